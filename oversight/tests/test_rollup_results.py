"""The roll-up with the previous year's assessment (issue 19, for overseers): each
agency's total and weak indicators, the filter "weak on indicator N" showing exactly
those agencies, the counts by indicator, province and kind, queries that do not grow
with the agencies, and each agency's results over the years."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from catalogue.models import FiscalYear, OitItem
from catalogue.services import load_catalogue, read_catalogue, shipped_file
from oit.models import AgencyOitLink
from organizations.access import SYSTEM
from organizations.models import Membership, Organization, OrganizationKind, OverseerScope
from organizations.services import province
from results.services import import_results
from results.tests.conftest import HEADER, UBON, UBON_ROW, csv_bytes
from testing.factories import OrganizationFactory, UserFactory, member
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

URL = "/oversight/2566/6/"
STRONG = ["90.00"] * 10
# Weak on indicator 3 only (80.00 under the pass mark 85).
WEAK_ON_3 = ["90.00", "90.00", "80.00", *["90.00"] * 7]


def catalogue_of(year: int) -> FiscalYear:
    """A past year's catalogue: the shipped 2566 one, as a superuser copies a year."""
    load_catalogue({**read_catalogue(shipped_file(2566)), "fiscal_year": year}, user=SYSTEM)
    return FiscalYear.objects.get(year=year)


def imported(year: FiscalYear, rows) -> None:
    import_results(user=SYSTEM, fiscal_year=year, content=csv_bytes([HEADER, *rows]))


@pytest.fixture
def world(seed):
    """อบจ.อุบลราชธานี (weak on 3, 6 and 10 in 2565), an อบต. in อุบลราชธานี weak on 3,
    a เทศบาลตำบล in ศรีสะเกษ weak on nothing, and an อบต. without a result."""
    ubon, sisaket = province("อุบลราชธานี"), province("ศรีสะเกษ")
    sao = OrganizationFactory(
        slug="sao-weak", name="อบต.อ่อนข้อสาม", province=ubon, kind=OrganizationKind.SAO
    )
    OrganizationFactory(
        slug="tambon-strong",
        name="ทต.ผ่านทุกข้อ",
        province=sisaket,
        kind=OrganizationKind.SUBDISTRICT_MUNICIPALITY,
    )
    OrganizationFactory(slug="sao-none", name="อบต.ไม่มีผล", province=ubon, kind=OrganizationKind.SAO)
    fy2565 = catalogue_of(2565)
    imported(
        fy2565,
        [UBON_ROW, ["sao-weak", *WEAK_ON_3, "89.00"], ["tambon-strong", *STRONG, "90.00"]],
    )
    # The OIT items of 2566: two the agency links itself, one filled by the 6-month
    # report, one by the analysis (every query oit.selectors.completeness makes).
    fy2566 = FiscalYear.objects.get(year=2566)
    kinds = ["", "", OitItem.FilledBy.SIX_MONTHS, OitItem.FilledBy.ANALYSIS]
    items = [
        OitItem.objects.create(
            fiscal_year=fy2566, number=f"O{n}", order=n, title=f"ข้อ {n}", filled_by=kind
        )
        for n, kind in enumerate(kinds, start=1)
    ]
    strong = Organization.objects.get(slug="tambon-strong")
    for item in items:
        AgencyOitLink.objects.create(organization=strong, item=item, url="https://example.go.th/x")
    AgencyOitLink.objects.create(organization=sao, item=items[0], url="https://example.go.th/o1")
    return {"sao": sao, "fy2565": fy2565}


@pytest.fixture
def national_client(client):
    user = UserFactory(username="national")
    OverseerScope.objects.create(user=user, whole_installation=True)
    client.force_login(user)
    return client


def agencies(page) -> list[str]:
    """The slugs of the agencies listed on the page, sorted."""
    return sorted(re.findall(r'<tr class="agency[^"]*" data-slug="([^"]+)"', page.content.decode()))


def test_each_agency_shows_last_years_total_and_weak_indicators(national_client, world):
    page = national_client.get(URL)
    text = visible_text(page)
    assert "ผลการประเมินปี 2565" in text
    html = page.content.decode()
    ubon_row = html[html.index('data-slug="ubon-pao"') :].split("</tr>", 1)[0]
    assert "84.32 (B)" in visible_text(ubon_row)
    assert "ต่ำกว่าเป้าหมาย: ตัวชี้วัดที่ 3, 6, 10" in visible_text(ubon_row)
    strong_row = html[html.index('data-slug="tambon-strong"') :].split("</tr>", 1)[0]
    assert "90.00 (A) ผ่านเป้าหมายทุกตัวชี้วัด" in visible_text(strong_row)
    none_row = html[html.index('data-slug="sao-none"') :].split("</tr>", 1)[0]
    assert "ไม่มีผล" in visible_text(none_row)


def test_the_filter_shows_exactly_the_agencies_weak_on_an_indicator(national_client, world):
    assert agencies(national_client.get(URL, {"weak": "3"})) == ["sao-weak", "ubon-pao"]
    assert agencies(national_client.get(URL, {"weak": "6"})) == ["ubon-pao"]
    assert agencies(national_client.get(URL, {"weak": "1"})) == []
    # With the other filters: อุบลราชธานี's อบต. weak on 3.
    ubon = province("อุบลราชธานี")
    assert agencies(
        national_client.get(URL, {"weak": "3", "province": ubon.pk, "kind": "sao"})
    ) == ["sao-weak"]
    # A number the previous year's catalogue lacks is named and left out.
    page = national_client.get(URL, {"weak": "99"})
    assert "ไม่มีตัวชี้วัดนี้ในเกณฑ์การประเมินปีก่อน" in visible_text(page)
    assert len(agencies(page)) == 4


def test_counts_of_weak_agencies_by_indicator_province_and_kind(national_client, world):
    page = national_client.get(URL)
    table = element_text(page, "weak-by-indicator")
    assert "ตัวชี้วัดที่ 3 การใช้อำนาจ (IIT) 2 3 ดูรายชื่อ" in table
    assert "ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (EIT) 1 3 ดูรายชื่อ" in table
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (IIT) 0 3" in table
    # Columns are indicators 1-10: อุบลราชธานี has 2 weak on 3, 1 on 6 and on 10.
    assert "อุบลราชธานี 0 0 2 0 0 1 0 0 0 1" in element_text(page, "weak-by-province")
    assert "ศรีสะเกษ 0 0 0 0 0 0 0 0 0 0" in element_text(page, "weak-by-province")
    assert "องค์การบริหารส่วนตำบล 0 0 1 0 0 0 0 0 0 0" in element_text(page, "weak-by-kind")
    chart = page.content.decode().split('class="chart chart-weak"', 1)[1].split("</svg>", 1)[0]
    assert "ตัวชี้วัดที่ 3 2 จาก 3" in chart
    # The counts follow the filters: only ศรีสะเกษ, no one weak.
    filtered = national_client.get(URL, {"province": province("ศรีสะเกษ").pk})
    assert "ตัวชี้วัดที่ 3 การใช้อำนาจ (IIT) 0 1" in element_text(filtered, "weak-by-indicator")


def test_oit_completeness_column_and_filter(national_client, world):
    page = national_client.get(URL)
    html = page.content.decode()

    def oit_of(slug):
        row = html[html.index(f'data-slug="{slug}"') :].split("</tr>", 1)[0]
        return visible_text(row.split('class="oit', 1)[1].split(">", 1)[1])

    assert oit_of("tambon-strong") == "ครบ 4 จาก 4 ข้อ"
    assert oit_of("sao-weak") == "ครบ 1 จาก 4 ข้อ"
    assert oit_of("sao-none") == "ครบ 0 จาก 4 ข้อ"
    assert agencies(national_client.get(URL, {"oit": "complete"})) == ["tambon-strong"]
    assert agencies(national_client.get(URL, {"oit": "incomplete"})) == [
        "sao-none",
        "sao-weak",
        "ubon-pao",
    ]
    assert agencies(national_client.get(URL, {"oit": "incomplete", "weak": "3"})) == [
        "sao-weak",
        "ubon-pao",
    ]
    bad = national_client.get(URL, {"oit": "ครบ"})
    assert "เลือกได้เฉพาะ ครบทุกข้อ หรือ ยังไม่ครบ" in visible_text(bad)


def test_without_last_years_results_the_page_says_so(national_client, seed):
    page = national_client.get(URL)
    assert element_text(page, "weak-none").startswith("ยังไม่มีผลการประเมินปี พ.ศ. 2565")
    # The national overseer may import them from here; a province's overseer may not.
    assert element_text(page, "import-results-link") == "นำเข้าผลการประเมิน ITA ของหลายหน่วยงานจากไฟล์"
    ubon_overseer = UserFactory(username="nacc-ubon")
    OverseerScope.objects.create(user=ubon_overseer, province=province("อุบลราชธานี"))
    national_client.force_login(ubon_overseer)
    assert element_text(national_client.get(URL), "import-results-link") is None


def test_queries_do_not_grow_with_the_agencies_and_their_results(
    national_client, world, django_assert_num_queries
):
    from oversight.tests.test_oversight import ROLLUP_QUERIES

    # oit.selectors.completeness's further queries for a year with such items: the
    # agencies' own links, the published rounds, and the published analyses once the
    # analysis app is installed.
    oit_items = 3 if apps.is_installed("analysis") else 2

    national_client.get(URL)  # the summaries computed
    for first in (0, 30):
        rows = []
        for n in range(first, first + 30):
            OrganizationFactory(slug=f"more-{n}", name=f"อบต.เพิ่ม {n}", kind=OrganizationKind.SAO)
            rows.append([f"more-{n}", *WEAK_ON_3, "88.00"])
        imported(world["fy2565"], rows)
        national_client.get(URL)  # the new agencies' summaries computed
        with django_assert_num_queries(ROLLUP_QUERIES + oit_items):
            page = national_client.get(URL, {"weak": "3", "sort": "name"})
        assert element_text(page, "result-count").startswith(f"{first + 32} หน่วยงาน")


def test_an_agencys_results_over_the_years(client, national_client, world):
    fy2564 = catalogue_of(2564)
    imported(fy2564, [[UBON, *STRONG[:9], "50.00", "80.32"]])
    url = reverse("oversight:agency_results", args=["ubon-pao"])
    # Linked from the roll-up's column.
    assert f'href="{url}"' in national_client.get(URL).content.decode()
    page = national_client.get(url)
    trend = element_text(page, "result-trend")
    assert "พ.ศ. 2565 84.32 +4.00 B 85.00 90.50 88.00 80.25 ▼" in trend
    assert "พ.ศ. 2564 80.32 — B 85.00 90.00" in trend
    assert trend.index("2565") < trend.index("2564")
    assert trend.endswith("50.00 ▼")
    # Its executives read it; another province's overseer does not learn it exists;
    # its staff may not read it.
    org = Organization.objects.get(slug="ubon-pao")
    client.force_login(member(org, Membership.Role.EXECUTIVE, "exec"))
    assert client.get(url).status_code == 200
    sisaket = UserFactory(username="nacc-sisaket")
    OverseerScope.objects.create(user=sisaket, province=province("ศรีสะเกษ"))
    client.force_login(sisaket)
    assert client.get(url).status_code == 404
    client.force_login(member(org, Membership.Role.STAFF, "somchai"))
    assert client.get(url).status_code == 403
    # An agency without results says so.
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert (
        element_text(
            client.get(reverse("oversight:agency_results", args=["sao-none"])), "no-results"
        )
        == "ยังไม่มีผลการประเมิน ITA ของหน่วยงานนี้ในระบบ"
    )


def test_the_export_carries_last_years_result_and_oit(national_client, world):
    import csv
    import io

    export = national_client.get(reverse("oversight:oversight_export", args=[2566, 6, "csv"]))
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert table[0][-4:] == [
        "คะแนนรวม ITA ปี 2565",
        "ระดับผลการประเมิน ปี 2565",
        "ตัวชี้วัดที่ต่ำกว่าค่าเป้าหมาย",
        "ข้อมูลสาธารณะ (OIT) ปี 2566",
    ]
    rows = {row[0]: row[-4:] for row in table[1:]}
    assert rows[UBON] == ["84.32", "B", "3, 6, 10", "ครบ 0 จาก 4 ข้อ"]
    assert rows["ทต.ผ่านทุกข้อ"] == ["90.00", "A", "", "ครบ 4 จาก 4 ข้อ"]
    assert rows["อบต.ไม่มีผล"] == ["", "", "", "ครบ 0 จาก 4 ข้อ"]
    # The filter applies to the export too.
    weak = national_client.get(
        reverse("oversight:oversight_export", args=[2566, 6, "csv"]), {"weak": "3"}
    )
    names = [row[0] for row in csv.reader(io.StringIO(weak.content.decode("utf-8-sig")))][1:]
    assert sorted(names) == sorted([UBON, "อบต.อ่อนข้อสาม"])
