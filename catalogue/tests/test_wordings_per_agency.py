"""Whose a wording's reading is: the catalogue's variants are every agency's (the
superuser's), a coordinator's choice is that agency's only, in imports, rollover and
the admin; the choices recorded before they had an agency are given the agency that
can be shown to be theirs, the others kept as suggestions only (migration 0002)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from catalogue import services as catalogue
from catalogue.models import Indicator, IndicatorWording
from interchange.importer import import_measures
from interchange.rollover import rollover
from interchange.tests.sheets import xlsx_bytes
from measures.models import Measure
from organizations.models import Division, Membership
from testing.factories import DivisionFactory, OrganizationFactory, UserFactory, member
from testing.forms import form_data

pytestmark = pytest.mark.django_db

WORDING = "การเปิดเผยข้อมูลสาธารณะ"


def row(indicator: str) -> tuple:
    return (indicator, "สำนักปลัด", "1. จัดทำประกาศ", "1. รายงานผู้บริหาร", "", "")


def sheet(wording: str, tool: str = "OIT") -> bytes:
    return xlsx_bytes([row(f"เครื่องมือการประเมิน {tool}\nตัวชี้วัด{wording}")])


def agency(slug: str):
    organization = OrganizationFactory(slug=slug, name=f"เทศบาลตำบล{slug}ทดสอบ")
    DivisionFactory(organization=organization, name="สำนักปลัด")
    DivisionFactory(organization=organization, name="ทุกส่วนราชการ", kind=Division.Kind.ALL)
    return organization


def choose(organization, fiscal_year, wording: str, number: str, user=None):
    result = import_measures(
        content=sheet(wording),
        organization=organization,
        fiscal_year=fiscal_year,
        user=user,
        wordings={("OIT", wording): number},
    )
    assert result.ok, [str(e) for e in result.errors]


def readings(organization, fiscal_year, wording: str) -> list[str]:
    result = import_measures(
        content=sheet(wording), organization=organization, fiscal_year=fiscal_year, dry_run=True
    )
    return [str(m) for m in result.mapped]


def test_the_catalogues_variant_decides_for_every_agency_even_one_that_chose_otherwise(client):
    """A superuser adds, in the admin, a variant of indicator 10 that agency B had
    chosen indicator 9 for: every agency's import reads it as 10, B's too. The
    wordings inline names the agency of each choice."""
    fiscal_year = catalogue.ensure_year(2566)
    b = agency("bee")
    choose(b, fiscal_year, WORDING, "9")
    nine = Indicator.objects.get(tool__fiscal_year=fiscal_year, tool__code="OIT", number="9")
    ten = Indicator.objects.get(tool__fiscal_year=fiscal_year, tool__code="OIT", number="10")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    nine_page = client.get(reverse("admin:catalogue_indicator_change", args=[nine.pk]))
    page = nine_page.content.decode()
    assert WORDING in page and b.name in page

    url = reverse("admin:catalogue_indicator_change", args=[ten.pk])
    data = form_data(client.get(url).content.decode(), form_id="indicator_form")
    count = int(data["wordings-TOTAL_FORMS"])
    data |= {
        "wordings-TOTAL_FORMS": str(count + 1),
        f"wordings-{count}-id": "",
        f"wordings-{count}-indicator": str(ten.pk),
        f"wordings-{count}-wording": WORDING,
    }
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()
    ten_page = client.get(url).content.decode()
    assert "ทุกหน่วยงาน (เกณฑ์การประเมิน)" in ten_page

    expected = [
        f"“{WORDING}” (OIT) อ่านเป็นตัวชี้วัดที่ 10 การป้องกันการทุจริต: ถ้อยคำอื่นของตัวชี้วัดนี้ในเกณฑ์การประเมิน"
    ]
    Measure.objects.filter(organization=b).delete()
    for organization in (b, agency("aye"), agency("sea")):
        assert readings(organization, fiscal_year, WORDING) == expected


def test_a_coordinator_reading_the_catalogue_sees_no_agencys_choice(client):
    fiscal_year = catalogue.ensure_year(2566)
    b = agency("bee")
    choose(b, fiscal_year, WORDING, "9")
    a = agency("aye")
    client.force_login(member(a, Membership.Role.COORDINATOR, "coord-aye"))
    nine = Indicator.objects.get(tool__fiscal_year=fiscal_year, tool__code="OIT", number="9")

    response = client.get(reverse("admin:catalogue_indicator_change", args=[nine.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "การเปิดเผยข้อมูล" in page
    assert WORDING not in page and b.name not in page


def test_rollover_reads_no_other_agencys_choice():
    """2567 renames OIT 9, so A's 2566 measure under "การเปิดเผยข้อมูล" matches no
    name; B chose indicator 10 for that wording in 2567. A's rollover does not put
    A's measure under B's reading: it is listed for A to add, until A itself chose."""
    old_year, new_year = catalogue.ensure_year(2566), catalogue.ensure_year(2567)
    a, b = agency("aye"), agency("bee")
    numbered = import_measures(
        content=sheet("การเปิดเผยข้อมูล (ตัวชี้วัดที่ 9)"), organization=a, fiscal_year=old_year
    )
    assert numbered.ok
    Indicator.objects.filter(tool__fiscal_year=new_year, tool__code="OIT", number="9").update(
        name="การเปิดเผยข้อมูลต่อสาธารณะ"
    )
    choose(b, new_year, "การเปิดเผยข้อมูล", "10")

    result = rollover(organization=a, from_year=2566, to_year=2567)

    assert result.created == []
    assert result.unmapped == [
        "มาตรการที่ 1 (OIT ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล — การเปิดเผยข้อมูล): "
        "ไม่พบตัวชี้วัด “การเปิดเผยข้อมูล” ของเครื่องมือ OIT ในปีงบประมาณ พ.ศ. 2567"
    ]

    # A's own choice of that wording in 2567 is A's to roll over by.
    catalogue.record_wording(
        user=member(a, Membership.Role.COORDINATOR, "coord-aye"),
        organization=a,
        indicator=Indicator.objects.get(tool__fiscal_year=new_year, tool__code="OIT", number="9"),
        wording="การเปิดเผยข้อมูล",
    )
    again = rollover(organization=a, from_year=2566, to_year=2567)
    assert [
        m.indicator.number for m in Measure.objects.filter(organization=a, fiscal_year=new_year)
    ] == ["9"]
    assert again.unmapped == []


# --- Migration 0002: the choices recorded before they had an agency ----------------------


def legacy_choice(fiscal_year, wording: str, number: str, created_by=None) -> IndicatorWording:
    """A choice as record_wording stored it before choices had an agency."""
    indicator = Indicator.objects.get(
        tool__fiscal_year=fiscal_year, tool__code="OIT", number=number
    )
    return IndicatorWording.objects.create(
        tool=indicator.tool,
        key=catalogue.wording_key(wording),
        wording=wording,
        indicator=indicator,
        source=IndicatorWording.Source.CHOSEN,
        created_by=created_by,
    )


def write_measures(organization, fiscal_year, *wordings: tuple[str, str]) -> None:
    """The organization's measures: one per (wording, indicator number), as its sheet
    wrote them with the number."""
    rows = [row(f"เครื่องมือการประเมิน OIT\nตัวชี้วัด{w} (ตัวชี้วัดที่ {n})") for w, n in wordings]
    result = import_measures(
        content=xlsx_bytes(rows), organization=organization, fiscal_year=fiscal_year
    )
    assert result.ok, [str(e) for e in result.errors]


def test_the_migration_gives_a_choice_only_the_agency_it_can_show_to_be_its_own():
    migration = importlib.import_module("catalogue.migrations.0002_wordings_belong_to_agencies")
    fiscal_year = catalogue.ensure_year(2566)
    a, b, c, d = agency("aye"), agency("bee"), agency("sea"), agency("dee")
    coordinator_of_a = member(a, Membership.Role.COORDINATOR, "coord-aye")
    # A and B wrote "ถ้อยคำหนึ่ง" for 9: A's coordinator chose it, B's import was read by it.
    # Both wrote "ถ้อยคำสาม" for 9 too, chosen by no person: whose it was cannot be told.
    write_measures(a, fiscal_year, ("ถ้อยคำหนึ่ง", "9"), ("ถ้อยคำสาม", "9"))
    write_measures(b, fiscal_year, ("ถ้อยคำหนึ่ง", "9"), ("ถ้อยคำสาม", "9"))
    by_a = legacy_choice(fiscal_year, "ถ้อยคำหนึ่ง", "9", created_by=coordinator_of_a)
    unknown = legacy_choice(fiscal_year, "ถ้อยคำสาม", "9")
    # Only C's measures use "ถ้อยคำสอง" for 10; a command chose it (no person).
    write_measures(c, fiscal_year, ("ถ้อยคำสอง", "10"))
    only_c = legacy_choice(fiscal_year, "ถ้อยคำสอง", "10")
    # No measures left in the wording at all.
    gone = legacy_choice(fiscal_year, "ถ้อยคำสี่", "10", created_by=coordinator_of_a)
    variant = IndicatorWording.objects.get(key=catalogue.wording_key("การปรับปรุงระบบการทำงาน"))

    migration.give_choices_their_agency(apps, None)

    owners = {
        w.pk: w.organization_id
        for w in IndicatorWording.objects.filter(
            pk__in=[by_a.pk, only_c.pk, unknown.pk, gone.pk, variant.pk]
        )
    }
    assert owners == {
        by_a.pk: a.pk,
        only_c.pk: c.pk,
        unknown.pk: None,
        gone.pk: None,
        variant.pk: None,
    }
    # An agency the migration could not tell is a suggestion only: D is asked.
    result = import_measures(content=sheet("ถ้อยคำสี่"), organization=d, fiscal_year=fiscal_year)
    [question] = result.unknown_wordings
    assert (question.wording, question.suggested.number) == ("ถ้อยคำสี่", "10")
    assert not result.ok and result.mapped == []


def test_the_catalogue_takes_the_place_of_a_choice_whose_agency_is_not_known():
    fiscal_year = catalogue.ensure_year(2566)
    legacy_choice(fiscal_year, WORDING, "9")
    data = {
        "fiscal_year": 2566,
        "source": "คู่มือการประเมิน",
        "tools": [
            {
                "code": "OIT",
                "indicators": [{"number": "10", "name": "การป้องกันการทุจริต", "variants": [WORDING]}],
            }
        ],
    }

    loaded = catalogue.load_catalogue(data)

    assert (loaded.wordings, loaded.differences) == (1, [])
    assert readings(agency("aye"), fiscal_year, WORDING) == [
        f"“{WORDING}” (OIT) อ่านเป็นตัวชี้วัดที่ 10 การป้องกันการทุจริต: ถ้อยคำอื่นของตัวชี้วัดนี้ในเกณฑ์การประเมิน"
    ]
