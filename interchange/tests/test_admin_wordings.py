"""The admin import preview when agencies write an indicator in their own words:
one agency's choice or measures never decide how another agency's sheet is read,
and its preview never tells it which agency, or whether any, wrote what. Another
agency's choice is at most the preselected suggestion the coordinator confirms."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue import services as catalogue
from catalogue.models import IndicatorWording
from interchange.importer import import_measures
from interchange.tests.sheets import xlsx_bytes, year_state
from measures.models import Measure
from organizations.models import Division, Membership
from testing.factories import DivisionFactory, OrganizationFactory, member
from testing.forms import form_data

IMPORT_URL = reverse("admin:measures_measure_import")
WORDING = "การเปิดเผยข้อมูลสาธารณะ"
SHEET = [
    ("เครื่องมือการประเมิน OIT\nตัวชี้วัด" + WORDING, "สำนักปลัด", "1. ประกาศ", "1. รายงานผู้บริหาร", "", "")
]
SUGGESTED_HELP = (
    "เลือกไว้ให้ตามที่หน่วยงานอื่นในระบบเลือกถ้อยคำนี้บ่อยที่สุด (ไม่ระบุหน่วยงาน) "
    "เป็นเพียงข้อแนะนำ ตรวจสอบแล้วยืนยัน หรือเลือกตัวชี้วัดข้ออื่น"
)


def agency(slug: str, name: str):
    organization = OrganizationFactory(slug=slug, name=name)
    DivisionFactory(organization=organization, name="สำนักปลัด")
    DivisionFactory(organization=organization, name="ทุกส่วนราชการ", kind=Division.Kind.ALL)
    coordinator = member(organization, Membership.Role.COORDINATOR, f"coord-{slug}")
    return organization, coordinator


def preview(client, organization, fiscal_year, rows=SHEET) -> str:
    response = client.post(
        IMPORT_URL,
        {
            "organization": organization.pk,
            "fiscal_year": fiscal_year.pk,
            "round_kind": "",
            "file": SimpleUploadedFile("sheet.xlsx", xlsx_bytes(rows)),
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.django_db(transaction=True)
def test_another_agencys_choice_is_only_a_suggestion_the_coordinator_confirms(client):
    fiscal_year = catalogue.ensure_year(2566)
    b, b_coordinator = agency("agency-b", "เทศบาลตำบลบีทดสอบ")
    a, a_coordinator = agency("agency-a", "เทศบาลตำบลเอทดสอบ")
    chosen_by_b = import_measures(
        content=xlsx_bytes(SHEET),
        organization=b,
        fiscal_year=fiscal_year,
        user=b_coordinator,
        wordings={("OIT", WORDING): "9"},
    )
    assert chosen_by_b.ok

    client.force_login(a_coordinator)
    page = preview(client, a, fiscal_year)

    # A is asked: B's reading is preselected and called a suggestion; B is not named.
    assert "พบข้อผิดพลาด 1 รายการ จึงไม่บันทึกข้อมูลใดเลย" in page
    assert "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด" in page
    assert f"“{WORDING}” (OIT แถวที่ 2)" in page
    assert '<option value="9" selected>ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล</option>' in page
    assert SUGGESTED_HELP in page
    assert 'id="import-wordings"' not in page  # nothing was read as an indicator
    assert 'id="confirm-form"' not in page
    for revealing in (b.name, b.slug, b_coordinator.username):
        assert revealing not in page

    # Confirming the suggestion makes it A's own choice.
    checked = client.post(IMPORT_URL, form_data(page, form_id="wordings-form")).content.decode()
    assert (
        f"<li>“{WORDING}” (OIT) อ่านเป็นตัวชี้วัดที่ 9 การเปิดเผยข้อมูล: เลือกไว้สำหรับการนำเข้านี้</li>"
    ) in checked
    confirmed = client.post(IMPORT_URL, form_data(checked, form_id="confirm-form"))
    assert confirmed.status_code == 302
    assert [m["indicator"] for m in year_state(a, fiscal_year)["measures"]] == ["9"]
    assert sorted(
        IndicatorWording.objects.filter(source="chosen").values_list(
            "organization__slug", "indicator__number", "created_by__username"
        )
    ) == [("agency-a", "9", "coord-agency-a"), ("agency-b", "9", "coord-agency-b")]

    # A's own choice reads A's next sheet, without asking (its measures gone).
    Measure.objects.filter(organization=a).delete()
    again = preview(client, a, fiscal_year)
    assert "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล" in again
    assert (
        f"<li>“{WORDING}” (OIT) อ่านเป็นตัวชี้วัดที่ 9 การเปิดเผยข้อมูล: หน่วยงานนี้เคยเลือกไว้เมื่อนำเข้าครั้งก่อน</li>"
    ) in again


@pytest.mark.django_db
def test_bs_preview_is_the_same_whatever_a_wrote(client):
    """A's draft measures write the wording for indicator 9 (its own words, with
    the number). B's preview of a sheet in those words says exactly what it said
    before A wrote them: nothing read, nothing preselected, A not named."""
    fiscal_year = catalogue.ensure_year(2566)
    a, a_coordinator = agency("agency-a", "เทศบาลตำบลเอทดสอบ")
    b, b_coordinator = agency("agency-b", "เทศบาลตำบลบีทดสอบ")
    client.force_login(b_coordinator)
    before = preview(client, b, fiscal_year)

    numbered = [("เครื่องมือการประเมิน OIT\nตัวชี้วัด" + WORDING + " (ตัวชี้วัดที่ 9)", *SHEET[0][1:])]
    written = import_measures(
        content=xlsx_bytes(numbered), organization=a, fiscal_year=fiscal_year, user=a_coordinator
    )
    assert written.ok
    assert Measure.objects.get(organization=a).target == WORDING
    after = preview(client, b, fiscal_year)

    for page in (before, after):
        assert f"“{WORDING}” (OIT แถวที่ 2)" in page
        assert 'id="import-wordings"' not in page
        assert not re.search(
            r'<option value="[^"]+" selected', between(page, 'id="wordings-form"', "</form>")
        )
        assert a.name not in page and a.slug not in page
    assert between(after, 'id="import-errors"', "</ul>") == between(
        before, 'id="import-errors"', "</ul>"
    )
    assert between(after, 'class="module aligned">', "</fieldset>") == between(
        before, 'class="module aligned">', "</fieldset>"
    )
    assert not Measure.objects.filter(organization=b).exists()
