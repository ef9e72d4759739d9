"""The assessment's catalogue per fiscal year as installation data: the shipped
files, loading them (idempotent), the years the portal knows, rolling over
into a year nobody typed, and a superuser adding a year in the admin."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from catalogue import services as catalogue
from catalogue.models import AssessmentTool, FiscalYear, Indicator, IndicatorWording
from demo.seed import load_report_data, read_seed
from interchange.rollover import rollover
from interchange.tests.sheets import year_state
from measures.models import Measure
from organizations.models import Membership, Organization
from testing.factories import OrganizationFactory, member
from testing.forms import form_data

pytestmark = pytest.mark.django_db

TEN = [
    ("IIT", "1", "การปฏิบัติหน้าที่"),
    ("IIT", "2", "การใช้งบประมาณ"),
    ("IIT", "3", "การใช้อำนาจ"),
    ("IIT", "4", "การใช้ทรัพย์สินของราชการ"),
    ("IIT", "5", "การแก้ไขปัญหาการทุจริต"),
    ("EIT", "6", "คุณภาพการดำเนินงาน"),
    ("EIT", "7", "ประสิทธิภาพการสื่อสาร"),
    ("EIT", "8", "การปรับปรุงการทำงาน"),
    ("OIT", "9", "การเปิดเผยข้อมูล"),
    ("OIT", "10", "การป้องกันการทุจริต"),
]


def indicators_of(year: int) -> list[tuple[str, str, str]]:
    return list(
        Indicator.objects.filter(tool__fiscal_year__year=year)
        .order_by("tool__order", "order")
        .values_list("tool__code", "number", "name")
    )


# --- The shipped files ----------------------------------------------------------------------


def test_every_year_from_2565_to_the_current_one_ships_with_its_source():
    # FY 2570 began on 1 October 2026 (BE 2569); the portal works in 2569 and 2570.
    # 2565: the year whose results the seed's 2566 measures analyse.
    assert catalogue.shipped_years() == [2565, 2566, 2567, 2568, 2569, 2570]
    for year in catalogue.shipped_years():
        data = catalogue.read_catalogue(catalogue.shipped_file(year))
        assert data["fiscal_year"] == year
        assert [
            (t["code"], i["number"], i["name"]) for t in data["tools"] for i in t["indicators"]
        ] == TEN
        assert data["source"] and data["note"]
        # Nothing is said to be checked against a manual that was not read.
        assert data["verified_against_manual"] is False
        assert f"ยังไม่ได้ตรวจสอบกับคู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}" in data["note"]
        # No invented OIT item numbers.
        assert not any("items" in i for t in data["tools"] for i in t["indicators"])
    later = catalogue.read_catalogue(catalogue.shipped_file(2570))
    assert later["source"] == "ยกมาจากเกณฑ์ของปีงบประมาณ พ.ศ. 2567 ไม่มีแหล่งข้อมูลของปีนี้"
    variants = {
        (t["code"], i["number"]): i.get("variants")
        for t in later["tools"]
        for i in t["indicators"]
        if i.get("variants")
    }
    assert variants == {
        ("IIT", "4"): ["การใช้ทรัพย์สินของทางราชการ"],
        ("EIT", "8"): ["การปรับปรุงระบบการทำงาน"],
    }


def test_loading_is_idempotent_and_keeps_what_a_superuser_corrected():
    first = catalogue.load_catalogue(catalogue.read_catalogue(catalogue.shipped_file(2570)))
    assert first.summary == (
        "ปีงบประมาณ พ.ศ. 2570: เพิ่มเครื่องมือ 3 ตัวชี้วัด 10 ถ้อยคำอื่น 2 รายการ ข้อ OIT 26 ข้อ"
    )
    assert indicators_of(2570) == TEN
    year = FiscalYear.objects.get(year=2570)
    assert year.catalogue_source.startswith("ยกมาจากเกณฑ์ของปีงบประมาณ พ.ศ. 2567")
    assert "ยังไม่ได้ตรวจสอบกับคู่มือการประเมินของปีนี้" in year.catalogue_source

    Indicator.objects.filter(tool__fiscal_year=year, number="7").update(name="การสื่อสาร")
    again = catalogue.load_catalogue(catalogue.read_catalogue(catalogue.shipped_file(2570)))
    assert again.summary == "ปีงบประมาณ พ.ศ. 2570: มีครบแล้ว ไม่ได้เพิ่มอะไร"
    assert again.differences == [
        "EIT ตัวชี้วัดที่ 7: ในระบบชื่อ “การสื่อสาร” ไฟล์ชื่อ “ประสิทธิภาพการสื่อสาร” คงไว้ตามเดิม"
    ]
    assert Indicator.objects.filter(tool__fiscal_year=year).count() == 10
    assert IndicatorWording.objects.filter(tool__fiscal_year=year).count() == 2


def test_the_portal_says_which_years_it_knows():
    assert catalogue.known_years_text() == "ยังไม่มีปีงบประมาณที่มีเกณฑ์การประเมิน"
    FiscalYear.objects.create(year=2571)  # a year without tools is not known
    assert [r.year for r in catalogue.load_shipped()] == [2565, 2566, 2567, 2568, 2569, 2570]
    assert catalogue.load_shipped() == []
    assert catalogue.known_years_text() == "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2565–2570"
    assert catalogue.years_text([2566, 2567, 2569]) == "2566–2567, 2569"


def test_only_a_superuser_or_a_command_changes_the_catalogue():
    organization = OrganizationFactory()
    coordinator = member(organization, Membership.Role.COORDINATOR, "coord")
    data = catalogue.read_catalogue(catalogue.shipped_file(2570))
    with pytest.raises(PermissionDenied):
        catalogue.load_catalogue(data, user=coordinator)
    assert not FiscalYear.objects.filter(year=2570).exists()
    root = get_user_model().objects.create_superuser("root", "", "pass-1234")
    assert catalogue.load_catalogue(data, user=root).indicators == 10


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "bad.json: ไม่ใช่ไฟล์ JSON (UTF-8) ที่อ่านได้"),
        (
            json.dumps({"fiscal_year": 2026, "source": "x", "tools": []}),
            "bad.json: ปีงบประมาณต้องเป็นปี พ.ศ.",
        ),
        (json.dumps({"fiscal_year": 2571, "tools": []}), "bad.json: ต้องมี “source”"),
        (
            json.dumps(
                {
                    "fiscal_year": 2571,
                    "source": "คู่มือ ITA 2571",
                    "tools": [{"code": "IIT", "indicators": [{"number": "1"}]}],
                }
            ),
            "bad.json เครื่องมือ IIT ตัวชี้วัดที่ 1: ต้องมี “name”",
        ),
    ],
)
def test_a_broken_catalogue_file_is_refused_in_thai(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_catalogue", str(path), stdout=io.StringIO())
    assert str(raised.value).startswith(message)
    assert not FiscalYear.objects.exists()


def test_load_catalogue_command_loads_a_new_years_file(tmp_path):
    data = catalogue.read_catalogue(catalogue.shipped_file(2570))
    data |= {"fiscal_year": 2571, "source": "คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571"}
    path = tmp_path / "2571.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("load_catalogue", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "ปีงบประมาณ พ.ศ. 2571: เพิ่มเครื่องมือ 3 ตัวชี้วัด 10 ถ้อยคำอื่น 2 รายการ ข้อ OIT 26 ข้อ",
        "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2571",
    ]
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert out.getvalue().splitlines()[-1] == "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2565–2571"


# --- Rolling over into a year nobody typed --------------------------------------------------


def test_the_seeds_measures_roll_over_to_the_current_year_without_a_typed_catalogue():
    seed = load_report_data(read_seed())
    assert not FiscalYear.objects.filter(year=2570).exists()
    before = year_state(seed.organization, seed.fiscal_year)

    result = rollover(organization=seed.organization, from_year=2566, to_year=2570)

    assert result.unmapped == []
    assert len(result.created) == 8
    target = FiscalYear.objects.get(year=2570)
    copied = year_state(seed.organization, target)["measures"]
    for new, old in zip(copied, before["measures"], strict=True):
        for key in ("order", "tool", "indicator", "target", "divisions", "steps", "monitoring"):
            assert new[key] == old[key]
        assert (new["deadline"], new["progress"]) == (None, [])
    assert indicators_of(2570) == TEN


def test_the_rollover_command_uses_the_shipped_catalogue():
    load_report_data(read_seed())
    out = io.StringIO()
    call_command(
        "rollover", "--organization", "ubon-pao", "--from", "2566", "--to", "2567", stdout=out
    )
    assert out.getvalue().splitlines()[0] == (
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี: ยกมาตรการจากปีงบประมาณ พ.ศ. 2566 "
        "ไปปีงบประมาณ พ.ศ. 2567 8 รายการ (ฉบับร่าง)"
    )
    assert Measure.objects.filter(fiscal_year__year=2567).count() == 8


def test_a_catalogue_wording_maps_a_renamed_indicator_when_rolling_over():
    """A year whose catalogue names indicator 4 "การใช้ทรัพย์สินของทางราชการ" and keeps
    the old name as a wording: the seed's measure 4 still finds it."""
    seed = load_report_data(read_seed())
    data = catalogue.read_catalogue(catalogue.shipped_file(2570))
    for tool in data["tools"]:
        for indicator in tool["indicators"]:
            if indicator["number"] == "4":
                indicator["name"] = "การใช้ทรัพย์สินของทางราชการ"
                indicator["variants"] = ["การใช้ทรัพย์สินของราชการ"]
    catalogue.load_catalogue(data)
    result = rollover(organization=seed.organization, from_year=2566, to_year=2570)
    assert result.unmapped == []
    moved = Measure.objects.get(fiscal_year__year=2570, order=4)
    assert moved.indicator.name == "การใช้ทรัพย์สินของทางราชการ"


# --- The admin (the superuser's) ------------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("root", "", "pass-1234")
    client.force_login(user)
    return client


def test_the_admin_index_says_which_years_have_a_catalogue(superuser):
    catalogue.load_shipped()
    page = superuser.get(reverse("admin:index")).content.decode()
    assert "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2565–2570" in page
    assert reverse("admin:catalogue_fiscalyear_changelist") in page
    listing = superuser.get(reverse("admin:catalogue_fiscalyear_changelist")).content.decode()
    assert "จำนวนตัวชี้วัด" in listing


def test_a_superuser_adds_a_new_year_by_copying_the_last_one(superuser):
    catalogue.load_shipped()
    url = reverse("admin:catalogue_fiscalyear_add")
    page = superuser.get(url).content.decode()
    # The form speaks Thai: its fields and the tools inline.
    for label in ("ปีงบประมาณ (พ.ศ.)", "คัดลอกเครื่องมือและตัวชี้วัดจาก", "ที่มาของเกณฑ์การประเมิน"):
        assert label in page
    assert "เครื่องมือการประเมิน" in page
    data = form_data(page, form_id="fiscalyear_form")
    data |= {
        "year": "2571",
        "copy_from": str(FiscalYear.objects.get(year=2570).pk),
        "catalogue_source": "คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571",
        "_save": "บันทึก",
    }
    response = superuser.post(url, data, follow=True)
    assert response.status_code == 200
    assert (
        "เกณฑ์การประเมิน ปีงบประมาณ พ.ศ. 2571: เพิ่มเครื่องมือ 3 ตัวชี้วัด 10 ถ้อยคำอื่น 2 รายการ"
        in response.content.decode()
    )
    assert indicators_of(2571) == TEN
    year = FiscalYear.objects.get(year=2571)
    assert year.catalogue_source == "คู่มือการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571"
    # The tool's page edits its indicators; the year's page links to it.
    change = superuser.get(reverse("admin:catalogue_fiscalyear_change", args=[year.pk]))
    tool = AssessmentTool.objects.get(fiscal_year=year, code="OIT")
    assert reverse("admin:catalogue_assessmenttool_change", args=[tool.pk]) in (
        change.content.decode()
    )


def test_adding_a_shipped_year_in_the_admin_loads_its_catalogue(superuser):
    url = reverse("admin:catalogue_fiscalyear_add")
    data = form_data(superuser.get(url).content.decode(), form_id="fiscalyear_form")
    data |= {"year": "2568", "_save": "บันทึก"}
    response = superuser.post(url, data, follow=True)
    assert "เกณฑ์การประเมิน ปีงบประมาณ พ.ศ. 2568: เพิ่มเครื่องมือ 3" in response.content.decode()
    assert indicators_of(2568) == TEN


def test_a_superuser_adds_a_wording_to_an_indicator_and_a_taken_one_is_refused(superuser):
    catalogue.ensure_year(2570)
    indicator = Indicator.objects.get(tool__fiscal_year__year=2570, number="10")
    url = reverse("admin:catalogue_indicator_change", args=[indicator.pk])
    data = form_data(superuser.get(url).content.decode(), form_id="indicator_form")
    prefix = "wordings"
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-wording": "การป้องกัน การทุจริตในหน่วยงาน",
        "_save": "บันทึก",
    }
    assert superuser.post(url, data).status_code == 302
    added = IndicatorWording.objects.get(indicator=indicator)
    assert (added.key, added.tool.code, added.source, added.created_by.username) == (
        "การป้องกันการทุจริตในหน่วยงาน",
        "OIT",
        "catalogue",
        "root",
    )

    other = Indicator.objects.get(tool__fiscal_year__year=2570, number="9")
    url = reverse("admin:catalogue_indicator_change", args=[other.pk])
    data = form_data(superuser.get(url).content.decode(), form_id="indicator_form")
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-wording": "การป้องกันการทุจริต ในหน่วยงาน",
        "_save": "บันทึก",
    }
    refused = superuser.post(url, data)
    assert refused.status_code == 200
    assert "ถ้อยคำนี้ใช้กับตัวชี้วัด “OIT 10. การป้องกันการทุจริต” อยู่แล้ว" in refused.content.decode()
    assert IndicatorWording.objects.filter(indicator=other).count() == 0


def test_a_new_agency_added_in_the_admin_finds_every_shipped_year(superuser):
    url = reverse("admin:organizations_organization_add")
    data = form_data(superuser.get(url).content.decode(), form_id="organization_form")
    data |= {"slug": "tambon-new", "name": "องค์การบริหารส่วนตำบลใหม่", "_save": "บันทึก"}
    response = superuser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organization.objects.filter(slug="tambon-new").exists()
    assert catalogue.known_years_text() == "ปีงบประมาณที่มีเกณฑ์การประเมิน: 2565–2570"
