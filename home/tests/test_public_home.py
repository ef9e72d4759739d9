"""The public home lists the agencies that publish, 50 to a page, searchable by name
or location: the same four queries for 20 agencies as for 200 (or 10,000)."""

import re
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from measures.models import Round
from organizations.models import Organization
from reports.models import PublishedReport
from testing.factories import FiscalYearFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def publishing_agencies(n: int, *, start: int = 0, published: bool = True) -> list[Organization]:
    """n agencies, each with the 6-month round of 2566 published once (unless not)."""
    organizations = Organization.objects.bulk_create(
        Organization(
            slug=f"agency-{i}",
            name=f"องค์การบริหารส่วนตำบลตัวอย่าง {i:05d}",
            location=f"อำเภอที่ {i} จังหวัดตัวอย่าง",
        )
        for i in range(start, start + n)
    )
    year = FiscalYearFactory(year=2566)
    rounds = Round.objects.bulk_create(
        Round(organization=o, fiscal_year=year, kind=Round.Kind.SIX_MONTHS) for o in organizations
    )
    if published:
        publisher = UserFactory(username="publisher")
        PublishedReport.objects.bulk_create(
            PublishedReport(
                round=r,
                version=1,
                pdf=f"published/{r.organization.slug}/2566/round6-v1.pdf",
                sha256="0" * 64,
                size=1000,
                published_by=publisher,
            )
            for r in rounds
        )
    return organizations


def publish(round_, version=1, when=None) -> PublishedReport:
    report = PublishedReport.objects.create(
        round=round_,
        version=version,
        pdf=f"published/{round_.organization.slug}/{round_.pk}-v{version}.pdf",
        sha256="1" * 64,
        size=1000,
        published_by=UserFactory(username="publisher"),
    )
    if when:
        PublishedReport.objects.filter(pk=report.pk).update(published_at=when)
    return report


def listed_slugs(html: str) -> list[str]:
    return re.findall(r'<td><a href="/p/([\w-]+)/">', html)


def home(client, **params) -> str:
    """The page's HTML, its white space squashed as a browser shows it."""
    response = client.get(reverse("home"), params)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("agencies", [20, 200])
def test_the_public_home_costs_four_queries_for_any_number_of_agencies(
    client, agencies, django_assert_num_queries
):
    publishing_agencies(agencies)
    # the provinces that publish (for browsing by province), the count of agencies
    # that publish, the page's 50 with their province, and their newest reports
    with django_assert_num_queries(4):
        html = home(client)
    assert len(listed_slugs(html)) == min(agencies, 50)
    assert f"หน่วยงานที่เผยแพร่รายงานแล้ว {agencies} หน่วยงาน" in html
    with django_assert_num_queries(4):
        searched = home(client, q="ตัวอย่าง", page=2)
    assert len(listed_slugs(searched)) == (20 if agencies == 20 else 50)  # 20: page 1


def test_the_pages_together_list_every_publishing_agency_once(client):
    publishing_agencies(120)
    publishing_agencies(5, start=500, published=False)  # no report: not listed
    first = home(client)
    assert "หน่วยงานที่เผยแพร่รายงานแล้ว 120 หน่วยงาน · หน้า 1 จาก 3" in first
    assert '<a class="page-link" href="?page=2" aria-label="หน้า 2">2</a>' in first
    assert '<a class="page-link" href="?page=2" rel="next">ถัดไป</a>' in first
    assert '<span class="page-link">ก่อนหน้า</span>' in first  # nothing before page 1

    pages = [listed_slugs(home(client, page=n)) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    slugs = [s for p in pages for s in p]
    assert sorted(slugs) == sorted(f"agency-{i}" for i in range(120))
    last = home(client, page=3)
    assert '<a class="page-link" href="?page=2" rel="prev">ก่อนหน้า</a>' in last
    assert '<span class="page-link">ถัดไป</span>' in last


@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("0", 3), ("-1", 3), ("99999999999999999999", 3), ("", 1)]
)
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, page, shown):
    publishing_agencies(120)
    assert f"หน้า {shown} จาก 3" in home(client, page=page)


def test_many_pages_are_elided_in_the_navigation(client):
    publishing_agencies(1000)
    html = home(client, page=10)
    assert "หน้า 10 จาก 20" in html
    assert (
        '<li class="page-item active" aria-current="page"><span class="page-link">10</span>' in html
    )
    numbers = re.findall(r'aria-label="หน้า (\d+)"', html)
    assert numbers == ["1", "2", "7", "8", "9", "11", "12", "13", "19", "20"]
    assert html.count('<span class="page-link">…</span>') == 2
    assert len(html.encode()) < 100_000  # was 1.45 MB at 10,001 agencies, all on one page


def test_search_by_name_in_thai_keeps_the_search_across_pages(client):
    publishing_agencies(120)
    ubon = RoundFactory(
        organization__slug="ubon-pao",
        organization__name="องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        organization__location="อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี",
    )
    publish(ubon)
    html = home(client, q="  จังหวัดอุบล  ")
    assert listed_slugs(html) == ["ubon-pao"]
    assert "พบ 1 หน่วยงานที่ตรงกับ “จังหวัดอุบล”" in html
    assert 'value="จังหวัดอุบล"' in html  # the box keeps what was typed

    # Part of the name, 120 matches: the next page keeps the search.
    html = home(client, q="ตัวอย่าง")
    assert "พบ 120 หน่วยงานที่ตรงกับ “ตัวอย่าง”" in html
    assert (
        '<a class="page-link" href="?q=%E0%B8%95%E0%B8%B1%E0%B8%A7%E0%B8%AD%E0%B8%A2%E0%B9'
        '%88%E0%B8%B2%E0%B8%87&amp;page=2" rel="next">ถัดไป</a>'
    ) in html
    second = home(client, q="ตัวอย่าง", page=2)
    assert len(listed_slugs(second)) == 50 and "ubon-pao" not in listed_slugs(second)


def test_search_by_location_in_any_case_and_as_text_pasted_from_a_pdf(client):
    publishing_agencies(3)
    kham = RoundFactory(
        organization__slug="kham-nam-saep",
        organization__name="เทศบาลเมืองคำน้ำแซบ (Kham Nam Saep)",
        organization__location="อำเภอวารินชำราบ จังหวัดอุบลราชธานี",
    )
    publish(kham)
    assert listed_slugs(home(client, q="วารินชำราบ")) == ["kham-nam-saep"]
    assert listed_slugs(home(client, q="kham NAM saep")) == ["kham-nam-saep"]
    # SARA AM as NIKHAHIT + SARA AA, as copied out of old PDFs.
    assert listed_slugs(home(client, q="ค\u0e4d\u0e32น\u0e49\u0e4d\u0e32แซบ")) == ["kham-nam-saep"]


def test_a_search_that_finds_nothing_says_so_in_thai(client):
    publishing_agencies(3)
    html = home(client, q="ไม่มีหน่วยงานนี้")
    assert "ไม่พบหน่วยงานที่ตรงกับ “ไม่มีหน่วยงานนี้”" in html
    assert 'href="/">ดูทุกหน่วยงาน</a>' in html
    assert listed_slugs(html) == []


def test_nothing_published_yet(client):
    publishing_agencies(3, published=False)
    html = home(client)
    assert "ยังไม่มีหน่วยงานเผยแพร่รายงาน" in html
    assert "หน่วยงานที่เผยแพร่รายงานแล้ว 0 หน่วยงาน" in html


def test_each_agency_links_to_its_reports_and_its_newest_report(client):
    six_66 = RoundFactory(
        organization__slug="ubon-pao",
        organization__name="องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        organization__location="จังหวัดอุบลราชธานี",
        fiscal_year__year=2566,
    )
    twelve_66 = RoundFactory(organization=six_66.organization, kind=Round.Kind.TWELVE_MONTHS)
    six_67 = RoundFactory(organization=six_66.organization, fiscal_year__year=2567)
    RoundFactory(organization=six_66.organization, fiscal_year__year=2568)  # not published
    published = timezone.make_aware(timezone.datetime(2024, 4, 18, 10, 30))
    publish(twelve_66, when=published - timedelta(days=200))
    publish(six_66, when=published - timedelta(days=400))
    publish(six_67, version=1, when=published - timedelta(days=1))
    publish(six_67, version=2, when=published)

    html = home(client)
    row = re.search(r"<tr>\s*<td><a href=\"/p/ubon-pao/\">.*?</tr>", html, re.S).group(0)
    assert ">องค์การบริหารส่วนจังหวัดอุบลราชธานี</a>" in row
    assert "<td>จังหวัดอุบลราชธานี</td>" in row
    assert 'href="/p/ubon-pao/2567/6.pdf">รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2567 (PDF)</a>' in row
    assert "เผยแพร่เมื่อ 18 เม.ย. 2567 10:30 น." in row
    # The link works for a citizen (the agency's page lists the rounds).
    assert client.get("/p/ubon-pao/").status_code == 200


def test_the_directory_browses_by_province_and_kind(client):
    from organizations.models import Organization, OrganizationKind
    from organizations.services import province

    publishing_agencies(3)
    publishing_agencies(2, start=100)
    ubon, sisaket = province("อุบลราชธานี"), province("ศรีสะเกษ")
    organizations = list(Organization.objects.order_by("slug"))
    Organization.objects.filter(pk__in=[o.pk for o in organizations[:3]]).update(
        province=ubon, kind=OrganizationKind.SAO
    )
    Organization.objects.filter(pk__in=[o.pk for o in organizations[3:]]).update(
        province=sisaket, kind=OrganizationKind.SUBDISTRICT_MUNICIPALITY
    )
    html = home(client)
    assert "อุบลราชธานี</a> (3)" in html and "ศรีสะเกษ</a> (2)" in html
    by_province = home(client, province=sisaket.pk)
    assert sorted(listed_slugs(by_province)) == sorted(o.slug for o in organizations[3:])
    assert "พบ 2 หน่วยงาน ในจังหวัดศรีสะเกษ" in by_province
    by_kind = home(client, kind=OrganizationKind.SAO)
    assert sorted(listed_slugs(by_kind)) == sorted(o.slug for o in organizations[:3])
    assert "ประเภทองค์การบริหารส่วนตำบล" in by_kind
    assert "องค์การบริหารส่วนตำบล</div>" in by_kind
    # Searching by the province's name finds agencies whose location does not say it.
    assert len(listed_slugs(home(client, q="ศรีสะเกษ"))) == 2


def test_a_bad_province_or_kind_is_said_in_thai_and_everything_is_shown(client):
    publishing_agencies(2)
    html = home(client, province="99999", kind="castle")
    assert "ไม่พบจังหวัดที่เลือก" in html
    assert "ไม่มีประเภทหน่วยงานที่เลือก จึงแสดงทุกประเภท" in html
    assert len(listed_slugs(html)) == 2


def test_the_province_index_counts_only_agencies_with_a_version_not_withdrawn(client):
    from organizations.models import Organization
    from organizations.services import province

    publishing_agencies(3)
    ubon, sisaket = province("อุบลราชธานี"), province("ศรีสะเกษ")
    first, second, third = Organization.objects.order_by("slug")
    Organization.objects.filter(pk__in=[first.pk, second.pk]).update(province=ubon)
    Organization.objects.filter(pk=third.pk).update(province=sisaket)
    # One agency in each province withdrew its only version.
    PublishedReport.objects.filter(round__organization__in=[second, third]).update(
        withdrawn_at=timezone.now(), withdrawal_reason="แนบไฟล์ผิดฉบับ"
    )
    html = home(client)
    assert "อุบลราชธานี</a> (1)" in html
    assert "ศรีสะเกษ</a>" not in html  # nobody there publishes a version now
    assert listed_slugs(html) == [first.slug]
    assert listed_slugs(home(client, province=ubon.pk)) == [first.slug]


def test_an_agency_withdrawn_while_its_page_is_made_shows_so(rf):
    """The page's rows are taken, then their newest reports: a version withdrawn in
    between leaves a row with none, which says so instead of failing."""
    from django.template.loader import render_to_string

    from reports.selectors import attach_newest_reports, publishing_organizations

    (organization,) = publishing_agencies(1)
    listed = list(publishing_organizations())
    PublishedReport.objects.update(withdrawn_at=timezone.now(), withdrawal_reason="ผิดฉบับ")
    page = Paginator(attach_newest_reports(listed), 50).page(1)
    html = render_to_string("home/home_public.html", {"page": page}, request=rf.get("/"))
    assert organization.name in html
    assert "ถอนการเผยแพร่แล้ว" in html
