"""The roll-up across agencies (/oversight/<year>/<6|12>/): what an overseer sees of
every agency in scope, its filters, sorting, pagination and export, that it changes
nothing, and that it costs the same number of queries for 20 agencies as for 200."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from demo.generate_agencies import generate_agencies
from demo.generated import publish_generated
from measures.models import Measure, Round
from organizations.models import Division, Membership, Organization, OrganizationKind, OverseerScope
from organizations.services import province
from oversight.models import RoundSummary
from progress.models import Progress, ReviewState
from reports.services import publish_round
from testing.factories import (
    DivisionFactory,
    MeasureFactory,
    OrganizationFactory,
    UserFactory,
    member,
)
from testing.forms import copy_for_a_test, kept_for_the_scope
from testing.pages import element_text, visible_text
from testing.seed_once import seed_for_a_test

pytestmark = pytest.mark.django_db

URL = "/oversight/2566/{kind}/"


def overseer(username, **scope):
    user = UserFactory(username=username)
    OverseerScope.objects.create(user=user, **scope)
    return user


@pytest.fixture
def ubon():
    return province("อุบลราชธานี")


def _build_world() -> dict:
    """The seed agency (อบจ. in อุบลราชธานี) with its 6-month report published; an
    อบต. in อุบลราชธานี with two measures half reported; a เทศบาลตำบล in ศรีสะเกษ."""
    seed = seed_for_a_test()
    ubon = province("อุบลราชธานี")
    pao = seed.organization
    coordinator = member(pao, Membership.Role.COORDINATOR, "coord")
    publish_round(round_=Round.objects.get(organization=pao, kind=6), user=coordinator)

    sao = OrganizationFactory(
        slug="sao-khamyai",
        name="องค์การบริหารส่วนตำบลขามใหญ่",
        kind=OrganizationKind.SAO,
        province=ubon,
    )
    office = DivisionFactory(organization=sao, name="สำนักปลัด")
    DivisionFactory(organization=sao, name="กองคลัง")
    twelve = Round.objects.create(organization=sao, fiscal_year=seed.fiscal_year, kind=12)
    reported = MeasureFactory(organization=sao, fiscal_year=seed.fiscal_year, order=1)
    silent = MeasureFactory(
        organization=sao,
        fiscal_year=seed.fiscal_year,
        order=2,
        indicator=reported.indicator,
        deadline=date(2023, 6, 30),
    )
    for measure in (reported, silent):
        measure.assignments.create(division=office, order=1)
    Progress.objects.create(
        measure=reported,
        round=twelve,
        status=Progress.Status.DONE,
        completed_on=date(2023, 5, 1),
        review_state=ReviewState.SUBMITTED,
    )

    sisaket = OrganizationFactory(
        slug="tessaban-sisaket",
        name="เทศบาลตำบลโนนสูง",
        kind=OrganizationKind.SUBDISTRICT_MUNICIPALITY,
        province=province("ศรีสะเกษ"),
    )
    return {"pao": pao, "sao": sao, "sisaket": sisaket, "silent": silent}


def rows_of(html: str) -> dict[str, str]:
    """The agencies' rows of the page, by slug."""
    return dict(re.findall(r'<tr class="agency[^"]*" data-slug="([^"]+)">(.*?)</tr>', html, re.S))


class TestTheRollUp:
    """The roll-up over the three agencies of _build_world, built once for the class
    (publishing the seed's report renders its PDF). Each test gets them as built; what
    a test writes is rolled back after it (testing.forms.kept_for_the_scope)."""

    @pytest.fixture(scope="class")
    @classmethod
    def built_world(cls, django_db_setup, django_db_blocker, tmp_path_factory):
        media = tmp_path_factory.mktemp("media")
        with (
            override_settings(MEDIA_ROOT=media),
            kept_for_the_scope(django_db_blocker, _build_world) as world,
        ):
            yield world

    @pytest.fixture
    def world(self, built_world, db):
        return copy_for_a_test(built_world)

    def test_an_overseer_of_a_province_sees_its_agencies_and_where_they_stand(
        self, client, world, ubon
    ):
        client.force_login(
            overseer("nacc-ubon", province=ubon, office="สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี")
        )
        html = client.get(URL.format(kind=12)).content.decode()
        rows = rows_of(html)
        assert set(rows) == {"ubon-pao", "sao-khamyai"}
        assert "สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี: ทุกหน่วยงาน จังหวัดอุบลราชธานี" in html
        pao = visible_text(rows["ubon-pao"])
        # 12-month round: nothing reported yet, every measure past the round's end.
        assert "องค์การบริหารส่วนจังหวัดอุบลราชธานี" in pao
        assert "อุบลราชธานี อำเภอเมืองอุบลราชธานี" in pao
        assert "แล้วเสร็จ 0/8 (0%)" in pao
        assert "8 มาตรการ" in pao  # late
        assert "7 ส่วนราชการ" in pao  # six divisions through "ทุกส่วนราชการ", and "ที่เกี่ยวข้อง"
        assert "ยังไม่เผยแพร่" in pao
        sao = visible_text(rows["sao-khamyai"])
        # One result sent for review (done, not yet approved), one measure never reported.
        assert "แล้วเสร็จ 0/2 (0%)" in sao and "รอตรวจ 1" in sao
        assert "1 มาตรการ" in sao  # the silent one is late; the sent one is settled
        assert "1 ส่วนราชการ" in sao
        assert reverse("oversight:dashboard", args=["sao-khamyai", 2566, 12]) in rows["sao-khamyai"]
        assert reverse("reports:page", args=["sao-khamyai", 2566, 12]) in rows["sao-khamyai"]

    def test_the_published_round_shows_its_version_and_links_to_the_public_pdf(self, client, world):
        client.force_login(overseer("national", whole_installation=True))
        html = client.get(URL.format(kind=6)).content.decode()
        rows = rows_of(html)
        assert set(rows) == {"ubon-pao", "sao-khamyai", "tessaban-sisaket"}
        pao = rows["ubon-pao"]
        assert "เผยแพร่แล้ว ฉบับที่ 1" in visible_text(pao)
        assert reverse("reports:public_pdf", args=["ubon-pao", 2566, 6]) in pao
        assert "แล้วเสร็จ 8/8 (100%)" in visible_text(pao)
        # No 6-month round at all: shown, not linked.
        assert "ยังไม่มีรอบการรายงานนี้" in visible_text(rows["sao-khamyai"])
        by_province = element_text(html, "by-province")
        # Province, agencies, published (%), with a measure overdue, measures.
        assert "ศรีสะเกษ 1 0 (0%) 0 0" in by_province
        assert "อุบลราชธานี 2 1 (50%) 1 10" in by_province
        by_kind = element_text(html, "by-kind")
        assert "องค์การบริหารส่วนจังหวัด 1 1 (100%) 0 8" in by_kind
        assert "องค์การบริหารส่วนตำบล 1 0 (0%) 1 2" in by_kind

    def test_filters_search_and_sorting(self, client, world, ubon):
        client.force_login(overseer("national", whole_installation=True))
        url = URL.format(kind=12)

        def slugs(**params):
            html = client.get(url, params).content.decode()
            return list(rows_of(html))

        assert set(slugs(province=ubon.pk)) == {"ubon-pao", "sao-khamyai"}
        assert slugs(kind=OrganizationKind.SAO) == ["sao-khamyai"]
        assert slugs(q="ขามใหญ่") == ["sao-khamyai"]
        assert slugs(behind="1", sort="name") == ["ubon-pao", "sao-khamyai"]
        assert slugs(published="yes") == []
        assert len(slugs(published="no")) == 3
        assert slugs(sort="-late") == ["ubon-pao", "sao-khamyai", "tessaban-sisaket"]
        assert slugs(sort="late") == ["tessaban-sisaket", "sao-khamyai", "ubon-pao"]
        district = world["pao"].district
        assert slugs(province=ubon.pk, district=district.pk) == ["ubon-pao"]

    def test_a_bad_filter_is_named_in_thai_and_the_others_still_apply(self, client, world, ubon):
        client.force_login(overseer("national", whole_installation=True))
        response = client.get(
            URL.format(kind=12),
            {"province": ubon.pk, "kind": "castle", "sort": "x", "q": "ก" * 101},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "ไม่มีประเภทหน่วยงานนี้" in html
        assert "ไม่มีการเรียงลำดับแบบนี้" in html
        assert "ค้นหาได้ไม่เกิน 100 ตัวอักษร" in html
        assert set(rows_of(html)) == {"ubon-pao", "sao-khamyai"}
        # A province outside the scope is not offered, and not applied.
        response = client.get(URL.format(kind=12), {"province": "999999"})
        assert "ไม่พบจังหวัดนี้ในขอบเขตที่คุณกำกับติดตาม" in response.content.decode()

    def test_the_export_is_what_the_page_shows(self, client, world, ubon):
        client.force_login(overseer("national", whole_installation=True))
        params = {"province": ubon.pk, "sort": "name"}
        response = client.get(reverse("oversight:oversight_export", args=[2566, 12, "csv"]), params)
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="ita-oversight-2566-round12.csv"'
        )
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert table[0][:6] == [
            "หน่วยงาน",
            "ประเภทหน่วยงาน",
            "จังหวัด",
            "อำเภอ",
            "ที่มาของข้อมูล",
            "จำนวนมาตรการ",
        ]
        assert [row[0] for row in table[1:]] == [
            "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
            "องค์การบริหารส่วนตำบลขามใหญ่",
        ]
        pao = dict(zip(table[0], table[1], strict=True))
        assert pao["มาตรการที่เลยกำหนด"] == "8"
        assert pao["ส่วนราชการที่ยังไม่รายงาน"] == "7"
        assert pao["เผยแพร่รายงานรอบนี้"] == "ยังไม่เผยแพร่"

        response = client.get(reverse("oversight:oversight_export", args=[2566, 6, "xlsx"]), params)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        header, first = values[1], values[2]
        pao = dict(zip(header, first, strict=True))
        assert pao["หน่วยงาน"] == "องค์การบริหารส่วนจังหวัดอุบลราชธานี"
        assert pao["ดำเนินการแล้วเสร็จ"] == 8
        assert pao["ฉบับที่"] == 1
        assert pao["ลิงก์รายงาน PDF"] == "http://testserver/p/ubon-pao/2566/6.pdf"
        assert (
            client.get(reverse("oversight:oversight_export", args=[2566, 6, "pdf"])).status_code
            == 404
        )

    def test_an_agency_name_that_looks_like_a_formula_is_exported_as_text(self, client, world):
        Organization.objects.filter(pk=world["sao"].pk).update(name="=HYPERLINK(1)")
        client.force_login(overseer("national", whole_installation=True))
        response = client.get(reverse("oversight:oversight_export", args=[2566, 12, "csv"]))
        assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")

    def test_from_a_row_down_to_the_dashboard_and_report_read_only(self, client, world, ubon):
        client.force_login(overseer("nacc-ubon", province=ubon))
        dashboard = client.get(reverse("oversight:dashboard", args=["sao-khamyai", 2566, 12]))
        assert dashboard.status_code == 200
        report = client.get(reverse("reports:page", args=["ubon-pao", 2566, 6]))
        assert report.status_code == 200
        assert "เผยแพร่รายงานฉบับนี้" not in report.content.decode()
        measure = world["silent"]
        detail = client.get(reverse("progress:detail", args=[measure.pk]))
        # The measure reads, with no button to report its result or add a division's
        # part, and no form but the sign-out button.
        assert "มาตรการที่ 2: " in visible_text(detail)
        assert element_text(detail, "actions") is None
        page = detail.content.decode()
        assert reverse("progress:progress", args=[measure.pk, 12]) not in page
        assert page.count('method="post"') == 1 and reverse("logout") in page
        assert client.get(reverse("progress:progress", args=[measure.pk, 12])).status_code == 403
        # The roll-up itself offers no form that writes (only the sign-out button).
        html = client.get(URL.format(kind=12)).content.decode()
        assert html.count('method="post"') == 1 and reverse("logout") in html
        # Agencies outside the scope: not told they exist.
        assert (
            client.get(
                reverse("oversight:dashboard", args=["tessaban-sisaket", 2566, 12])
            ).status_code
            == 404
        )

    def test_who_may_open_the_roll_up(self, client, world, ubon):
        url = URL.format(kind=12)
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(get_user_model().objects.get(username="coord"))
        response = client.get(url)
        assert response.status_code == 403
        assert "หน้านี้สำหรับผู้กำกับติดตามหลายหน่วยงาน" in response.content.decode()
        client.force_login(get_user_model().objects.create_superuser("root", "", "pass-1234"))
        assert len(rows_of(client.get(url).content.decode())) == 3
        assert client.get("/oversight/2566/7/").status_code == 404
        assert client.get("/oversight/2599/6/").status_code == 404
        client.force_login(overseer("nacc-ubon", province=ubon))
        response = client.get(reverse("oversight:oversight_index"))
        assert response.status_code == 302 and response.url == "/oversight/2566/12/"


def test_pagination_keeps_the_filters(client, db, seed, ubon):
    generate_agencies(count=55, fiscal_year=2566, seed=3, provinces=[ubon], measures_per_agency=1)
    client.force_login(overseer("nacc-ubon", province=ubon))
    html = client.get(URL.format(kind=12), {"province": ubon.pk, "sort": "name"}).content.decode()
    assert len(rows_of(html)) == 50
    assert "56 หน่วยงาน · หน้า 1 จาก 2" in visible_text(html)
    assert f"?province={ubon.pk}&amp;sort=name&amp;page=2" in html
    second = client.get(URL.format(kind=12), {"province": ubon.pk, "sort": "name", "page": 2})
    assert len(rows_of(second.content.decode())) == 6


# The roll-up's queries, whatever the number of agencies: session, user, the
# overseer's scopes (rulebook), the fiscal year, the province choices of the filter
# form and the previous year's indicators (its "weak on" choices); the agencies in
# scope whose summary is stale or missing; the totals by province and kind (which
# count the rows for the pagination); the page's 50 rows and their previous year's
# results; the OIT items of the year (oit.selectors.completeness: one query for a year
# without items, as here; four with items filled by reports and the analysis, as
# oversight/tests/test_rollup_results.py asserts); the agencies weak on each indicator
# (oversight.weakness); the scope's descriptions and the fiscal years of the round
# switcher.
ROLLUP_QUERIES = 14
# Stale or missing summaries, computed first whatever their number: a savepoint
# (the test's transaction; a transaction of its own in production), the missing rows
# created, the rows locked, the rows computed and written, the savepoint released.
REFRESH_QUERIES = 5


def _generated(count, seed):
    result = generate_agencies(count=count, fiscal_year=2566, seed=seed, measures_per_agency=10)
    publish_generated(result.published)


def test_queries_are_the_same_for_20_and_200_agencies(
    client, db, media_root, django_assert_num_queries
):
    client.force_login(overseer("national", whole_installation=True))
    for count, seed in ((20, 1), (180, 2)):
        _generated(count, seed=seed)
        agencies = Organization.objects.count()
        pages = -(-agencies // 50)
        count_line = (
            f"{agencies} หน่วยงาน"
            + (f" · หน้า 1 จาก {pages}" if pages > 1 else "")
            + " · คลิกหัวคอลัมน์เพื่อเรียงลำดับ"
        )
        # None computed yet: the first reader computes them all.
        RoundSummary.objects.all().delete()
        with django_assert_num_queries(ROLLUP_QUERIES + REFRESH_QUERIES):
            response = client.get(URL.format(kind=6))
        assert element_text(response, "result-count") == count_line
        # Every agency changed something since.
        RoundSummary.objects.update(fresh_through=None)
        with django_assert_num_queries(ROLLUP_QUERIES + REFRESH_QUERIES):
            response = client.get(URL.format(kind=6), {"sort": "done"})
        assert element_text(response, "result-count") == count_line
        # All fresh.
        with django_assert_num_queries(ROLLUP_QUERIES):
            response = client.get(URL.format(kind=6), {"sort": "-activity"})
        assert element_text(response, "result-count") == count_line
        # The export: no totals, no weak counts, no scope descriptions, no round
        # switcher; every row of the filter in one query, their previous year's results
        # in one, their OIT completeness in two here (a year without items: the items,
        # the agencies' ids).
        with django_assert_num_queries(ROLLUP_QUERIES - 3):
            response = client.get(reverse("oversight:oversight_export", args=[2566, 6, "csv"]))
        assert len(response.content.decode("utf-8-sig").splitlines()) == agencies + 1
    assert Measure.objects.count() == 2000
    assert Division.objects.filter(kind=Division.Kind.ALL).count() == 200


def test_load_seed_adds_demo_overseers_and_demo_agencies_once(db, media_root, client):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_seed", stdout=out)
    assert "หน่วยงานสาธิตสำหรับหน้าภาพรวมหลายหน่วยงาน 8 หน่วยงาน" in out.getvalue()
    demo = Organization.objects.filter(origin=Organization.Origin.DEMO)
    assert demo.filter(province__name="อุบลราชธานี").count() == 6
    assert not demo.filter(name="องค์การบริหารส่วนจังหวัดอุบลราชธานี").exists()
    national = OverseerScope.objects.get(user__username="overseer")
    assert national.whole_installation
    ubon_scope = OverseerScope.objects.get(user__username="overseer-ubon")
    assert ubon_scope.province.name == "อุบลราชธานี"
    call_command("load_seed", stdout=io.StringIO())
    assert demo.count() == 8
    assert OverseerScope.objects.count() == 2

    client.force_login(ubon_scope.user)
    html = client.get(URL.format(kind=6)).content.decode()
    rows = rows_of(html)
    assert len(rows) == 7  # the seed agency and six demo agencies
    assert "ข้อมูลสาธิต" in visible_text(rows["demo-1-00002"])
    # Its generated publication is the shared PDF, which says what it is.
    pdf = client.get(reverse("reports:public_pdf", args=["demo-1-00002", 2566, 6]))
    content = b"".join(pdf.streaming_content)
    from testing.pdftext import pdf_text

    assert "รายงานจำลองสำหรับทดสอบระบบ" in pdf_text(content)


def test_an_agencys_dashboard_leads_back_to_the_filtered_roll_up(client, db, seed, ubon):
    """Issue 21 (dead ends): the roll-up's agency links carry the list's address, and
    the dashboard's breadcrumb goes back to it, filters kept; nothing but a roll-up
    page of this site is followed."""
    client.force_login(overseer("nacc-ubon", province=ubon))
    listed = URL.format(kind=12) + f"?province={ubon.pk}&sort=name"
    html = client.get(listed).content.decode()
    link = re.search(r'href="(/dashboard/ubon-pao/2566/12/\?from=[^"]+)"', html).group(1)
    dashboard = client.get(link.replace("&amp;", "&"))
    back = re.search(
        r'<a href="([^"]+)" id="rollup-back">ภาพรวมหลายหน่วยงาน</a>', dashboard.content.decode()
    )
    assert back.group(1).replace("&amp;", "&") == listed
    for elsewhere in ("https://example.com/oversight/", "//example.com/oversight/", "/admin/"):
        page = client.get("/dashboard/ubon-pao/2566/12/", {"from": elsewhere}).content.decode()
        assert 'href="/oversight/2566/12/" id="rollup-back"' in page
    coordinator = member(seed.organization, Membership.Role.COORDINATOR, "coord")
    client.force_login(coordinator)
    assert "rollup-back" not in client.get(link.replace("&amp;", "&")).content.decode()
