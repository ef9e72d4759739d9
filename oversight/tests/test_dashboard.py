import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.generate import generate_measures
from measures import services
from measures.models import Measure, Round
from organizations.models import Membership
from oversight import charts
from oversight.dashboard import RECENT_ACTIVITY, Tally, bangkok_today, build_dashboard, percent
from progress.models import Progress, ReviewState
from testing.factories import (
    DivisionFactory,
    MeasureFactory,
    OrganizationFactory,
    RoundFactory,
    UserFactory,
    member,
)
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

# session, user, the round (with organization and fiscal year), the user's role,
# the organization's divisions, measures (with indicator and tool), their
# divisions, this round's progress, the round's latest 10 history records (with
# their users), the organization's rounds for the round switcher, last year's
# assessment scores with their result, indicator and tool (results.selectors), the
# year's OIT items (none in the seed: no more of oit.selectors.completeness), and
# the user's overseer scopes (the menu's link to the roll-up, access.is_overseer).
DASHBOARD_QUERIES = 13

SAMNAK_PALAD = "สำนักปลัดองค์การบริหารส่วนจังหวัด"
PERSONNEL = "กองการเจ้าหน้าที่"
SUPPLIES = "กองพัสดุและทรัพย์สิน"
AUDIT = "หน่วยตรวจสอบภายใน"
FINANCE = "กองคลัง"
STRATEGY = "กองยุทธศาสตร์และงบประมาณ"
CONCERNED = "ส่วนราชการที่เกี่ยวข้อง"
REGULAR = [PERSONNEL, SAMNAK_PALAD, SUPPLIES, AUDIT, FINANCE, STRATEGY]

Status = Progress.Status


@pytest.fixture
def twelve(seed):
    return Round.objects.get(organization=seed.organization, kind=Round.Kind.TWELVE_MONTHS)


def url(round_) -> str:
    return reverse(
        "oversight:dashboard",
        args=[round_.organization.slug, round_.fiscal_year.year, round_.kind],
    )


@pytest.fixture
def executive_client(client, seed):
    client.force_login(member(seed.organization, Membership.Role.EXECUTIVE, "executive"))
    return client


def measure(round_, order) -> Measure:
    return Measure.objects.get(organization=round_.organization, order=order)


def report(round_, order, status, review=ReviewState.APPROVED, **fields) -> Progress:
    """A result as the coordinator approved it (`review` says otherwise)."""
    if status == Status.DONE:
        fields.setdefault("completed_on", date(2023, 8, 1))
    if status == Status.CANNOT:
        fields.setdefault("cannot_reason", "งบประมาณไม่เพียงพอ")
    return Progress.objects.create(
        measure=measure(round_, order), round=round_, status=status, review_state=review, **fields
    )


def counts(tally: Tally) -> dict[str, int]:
    return {status: n for status, n in tally.counts.items() if n}


def by_division(dash) -> dict[str, Tally]:
    return {row.division.name: row.tally for row in dash.divisions}


# --- numbers ----------------------------------------------------------------------------------


def test_six_month_round_of_the_seed_is_all_done(six):
    dash = build_dashboard(six, today=date(2023, 4, 30))

    assert counts(dash.overall) == {"done": 8}
    assert dash.overall.done_percent_text == "100%"
    assert dash.overall.done_text == "8 จาก 8 มาตรการ"
    assert {g.tool.code: counts(g.tally) for g in dash.tools} == {
        "IIT": {"done": 4},
        "EIT": {"done": 2},
        "OIT": {"done": 2},
    }
    assert [g.tool.code for g in dash.tools] == ["IIT", "EIT", "OIT"]
    indicators = {
        (g.tool.code, i.number): tally.total for g in dash.tools for i, tally in g.indicators
    }
    assert indicators == {
        ("IIT", "1"): 1,
        ("IIT", "2"): 1,
        ("IIT", "4"): 1,
        ("IIT", "5"): 1,
        ("EIT", "7"): 1,
        ("EIT", "8"): 1,
        ("OIT", "10"): 2,
    }
    assert dash.not_reported == [] and dash.overdue == [] and dash.unsettled == []


def test_collective_divisions_in_the_seed(six):
    """Measures 4–7 name "ทุกส่วนราชการ" and count for every division; measure 8
    also names "ส่วนราชการที่เกี่ยวข้อง", which gets a row of its own."""
    dash = build_dashboard(six)
    assert [row.division.name for row in dash.divisions] == [*REGULAR, CONCERNED]
    totals = {name: tally.total for name, tally in by_division(dash).items()}
    assert totals == {
        PERSONNEL: 5,  # 1, 7 and the four of every division (7 counted once)
        SAMNAK_PALAD: 6,  # 2, 8 and 4–7
        SUPPLIES: 5,
        AUDIT: 4,  # 5 is its own but also every division's: counted once
        FINANCE: 5,
        STRATEGY: 5,
        CONCERNED: 1,
    }
    assert "ทุกส่วนราชการ" not in totals
    assert all(tally.done_percent == 100 for tally in by_division(dash).values())


def test_collective_expansion_with_factories():
    organization = OrganizationFactory()
    one, two, three = (
        DivisionFactory(organization=organization, name=name, order=n)
        for n, name in enumerate(["กองหนึ่ง", "กองสอง", "กองสาม"], start=1)
    )
    every = DivisionFactory(organization=organization, name="ทุกส่วนราชการ", kind="all", order=8)
    concerned = DivisionFactory(
        organization=organization, name=CONCERNED, kind="concerned", order=9
    )
    round_ = RoundFactory(organization=organization)
    assignments = {1: [every], 2: [one, every], 3: [concerned], 4: [two, concerned], 5: [three]}
    for order, divisions in assignments.items():
        m = MeasureFactory(organization=organization, fiscal_year=round_.fiscal_year, order=order)
        services.set_divisions(measure=m, divisions=divisions)
    Progress.objects.create(measure=m, round=round_, status=Status.IN_PROGRESS)  # measure 5

    dash = build_dashboard(round_)

    rows = {row.division.name: [r.measure.order for r in row.measures] for row in dash.divisions}
    assert rows == {"กองหนึ่ง": [1, 2], "กองสอง": [1, 2, 4], "กองสาม": [1, 2, 5], CONCERNED: [3, 4]}
    assert counts(by_division(dash)["กองสาม"]) == {"in_progress": 1, "not_started": 2}
    # Only measure 5 has been reported on, and every division still owes something.
    assert [row.division.name for row in dash.not_reported] == list(rows)
    assert [r.measure.order for r in dash.not_reported[2].unreported] == [1, 2]


def test_twelve_month_round_before_anyone_reports(twelve):
    dash = build_dashboard(twelve, today=date(2023, 4, 1))

    assert counts(dash.overall) == {"not_started": 8}
    assert dash.overall.done_percent_text == "0%"
    assert [row.division.name for row in dash.not_reported] == [*REGULAR, CONCERNED]
    assert all(len(row.unreported) == len(row.measures) for row in dash.not_reported)


def test_numbers_follow_reported_progress(twelve):
    report(twelve, 3, Status.DONE)
    for order in (4, 5, 6, 7):
        report(twelve, order, Status.IN_PROGRESS)
    report(twelve, 8, Status.CANNOT)
    report(twelve, 2, Status.NOT_STARTED, ReviewState.DRAFT)  # a draft that says nothing yet

    dash = build_dashboard(twelve, today=date(2023, 6, 1))

    assert counts(dash.overall) == {"done": 1, "in_progress": 4, "not_started": 2, "cannot": 1}
    assert [s.percent_text for s in dash.overall.segments] == ["13%", "0%", "50%", "25%", "13%"]
    assert dash.overall.done_text == "1 จาก 8 มาตรการ"
    tools = {g.tool.code: g.tally for g in dash.tools}
    assert counts(tools["IIT"]) == {"done": 1, "in_progress": 3}
    assert tools["IIT"].done_percent_text == "25%"
    assert counts(tools["EIT"]) == {"in_progress": 1, "cannot": 1}
    assert counts(tools["OIT"]) == {"not_started": 2}
    divisions = by_division(dash)
    assert counts(divisions[SAMNAK_PALAD]) == {"in_progress": 4, "not_started": 1, "cannot": 1}
    assert counts(divisions[SUPPLIES]) == {"done": 1, "in_progress": 4}
    assert counts(divisions[CONCERNED]) == {"cannot": 1}

    # Divisions whose every measure has a report drop off the list.
    not_reported = {row.division.name: row.unreported for row in dash.not_reported}
    assert list(not_reported) == [PERSONNEL, SAMNAK_PALAD]
    assert [r.measure.order for r in not_reported[PERSONNEL]] == [1]
    assert [r.measure.order for r in not_reported[SAMNAK_PALAD]] == [2]

    # A not-started row that went to the coordinator counts as reported.
    Progress.objects.filter(round=twelve, measure__order=2).update(
        review_state=ReviewState.SUBMITTED
    )
    dash = build_dashboard(twelve, today=date(2023, 6, 1))
    assert [row.division.name for row in dash.not_reported] == [PERSONNEL]


def test_only_approved_results_count_as_done(executive_client, twelve):
    report(twelve, 1, Status.DONE)  # approved
    report(twelve, 2, Status.DONE, ReviewState.DRAFT)  # typed, never sent
    report(twelve, 3, Status.DONE, ReviewState.SUBMITTED)  # sent, not reviewed
    report(twelve, 4, Status.CANNOT, ReviewState.SUBMITTED)
    report(twelve, 5, Status.DONE, ReviewState.RETURNED)  # sent back for changes
    report(twelve, 6, Status.NOT_STARTED, ReviewState.DRAFT)

    dash = build_dashboard(twelve, today=date(2023, 6, 1))
    assert counts(dash.overall) == {
        "done": 1,
        "awaiting_review": 2,
        "in_progress": 2,
        "not_started": 3,
    }
    assert dash.overall.done_text == "1 จาก 8 มาตรการ"
    rows = {row.measure.order: (row.status_label, row.claimed_label) for row in dash.measures}
    assert rows[2] == ("อยู่ระหว่างดำเนินการ", "")
    assert rows[3] == ("รอตรวจ", "ดำเนินการแล้วเสร็จ")

    response = executive_client.get(url(twelve))
    html = response.content.decode()
    assert element_text(response, "overall-count") == (
        "ดำเนินการแล้วเสร็จ (อนุมัติแล้ว) 1 จาก 8 มาตรการ · รอตรวจ 2"
    )
    segments = element_text(response, "overall-segments")
    assert "ดำเนินการแล้วเสร็จ 1 มาตรการ (13%)" in segments
    assert "รอตรวจ 2 มาตรการ (25%)" in segments
    assert ">13%</text>" in html
    assert "<title>ภาพรวม — รอตรวจ 2 จาก 8 มาตรการ (25%)</title>" in html
    assert "นับเป็นแล้วเสร็จเมื่อผู้ประสานงานอนุมัติแล้ว" in visible_text(response)
    measures = element_text(response, "measures")
    assert "รอตรวจ แจ้งว่าดำเนินการแล้วเสร็จ" in measures


def test_overdue_by_own_deadline_else_the_end_of_the_round(twelve):
    Measure.objects.filter(order=1).update(deadline=date(2023, 5, 1))
    Measure.objects.filter(order=2).update(deadline=date(2023, 8, 1))
    Measure.objects.filter(order=3).update(deadline=date(2023, 5, 15))
    report(twelve, 3, Status.DONE)
    report(twelve, 4, Status.CANNOT)
    # Sent as done before the end of the round, not reviewed yet: not late.
    report(twelve, 5, Status.DONE, ReviewState.SUBMITTED)
    # Typed as done but never sent: still late.
    report(twelve, 6, Status.DONE, ReviewState.DRAFT)

    during = build_dashboard(twelve, today=date(2023, 6, 1))
    assert [(r.measure.order, r.overdue_days) for r in during.overdue] == [(1, 31)]
    assert not during.round_ended
    assert [(r.measure.order, r.due.label) for r in during.measures[:2]] == [
        (1, "1 พ.ค. 2566"),
        (2, "1 ส.ค. 2566"),
    ]
    # Without a deadline of its own a measure is due at the end of the round.
    assert during.measures[6].due.label == "30 ก.ย. 2566 (วันสิ้นสุดรอบ)"

    after = build_dashboard(twelve, today=date(2023, 10, 2))
    assert [(r.measure.order, r.overdue_days) for r in after.overdue] == [
        (1, 154),
        (2, 62),
        (6, 2),
        (7, 2),
        (8, 2),
    ]
    assert after.round_ended
    assert [r.measure.order for r in after.unsettled] == [1, 2, 6, 7, 8]


def test_today_is_the_date_in_bangkok(monkeypatch):
    # 18:30 UTC on 31 May is 01:30 on 1 June in Bangkok.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2023, 5, 31, 18, 30, tzinfo=UTC))
    assert bangkok_today() == date(2023, 6, 1)


def test_percent_never_rounds_to_all_or_nothing():
    assert percent(6, 8) == 75
    assert percent(1, 8) == 13  # 12.5 rounds half up
    assert percent(199, 200) == 99
    assert percent(1, 300) == 1
    assert percent(0, 0) == 0


# --- the page ---------------------------------------------------------------------------------


def test_page_of_the_closed_six_month_round(executive_client, six, twelve):
    response = executive_client.get(url(six))
    assert response.status_code == 200
    html = response.content.decode()
    page = visible_text(response)

    assert element_text(response, "overall-count") == "ดำเนินการแล้วเสร็จ (อนุมัติแล้ว) 8 จาก 8 มาตรการ"
    assert ">100%</text>" in html
    assert "ส่วนราชการที่ไม่ได้รายงาน ณ วันปิดรอบ" in page
    assert "ทุกส่วนราชการรายงานผลครบทุกมาตรการแล้ว" in page
    # Links down to every measure, to the report and to the other round.
    for m in Measure.objects.all():
        assert f'href="{reverse("progress:detail", args=[m.pk])}"' in html
    assert f'href="{reverse("reports:page", args=["ubon-pao", 2566, 6])}"' in html
    assert f'href="{url(twelve)}"' in html
    # Recent activity: the newest of the seed's results, which the loader reported,
    # submitted and approved (three records each), listed up to RECENT_ACTIVITY.
    assert html.count('class="py-2 border-bottom activity-item"') == RECENT_ACTIVITY
    assert "อนุมัติ" in page
    assert "ระบบ" in page


def test_charts_one_bar_per_division_and_a_ring_per_tool(executive_client, twelve):
    report(twelve, 3, Status.DONE)
    report(twelve, 5, Status.IN_PROGRESS)
    html = executive_client.get(url(twelve)).content.decode()

    assert html.count('<li class="division-bar">') == 7
    for name in REGULAR:
        assert f'<span class="division-name">{name}</span>' in html
    assert f'<span class="division-name fst-italic">{CONCERNED} (ไม่ระบุส่วนราชการ)</span>' in html
    # Overall and IIT / EIT / OIT.
    rings = re.findall(r'<svg [^>]*class="chart chart-ring"[^>]*aria-label="([^"]*)"', html)
    assert len(rings) == 4
    assert rings[0].startswith("ภาพรวมทั้งหน่วยงาน: แล้วเสร็จ 1 จาก 8 มาตรการ (13%)")
    assert rings[1] == (
        "เครื่องมือ IIT: แล้วเสร็จ 1 จาก 4 มาตรการ (25%), อยู่ระหว่างดำเนินการ 1 (25%), ยังไม่ดำเนินการ 2 (50%)"
    )
    assert rings[2] == "เครื่องมือ EIT: แล้วเสร็จ 0 จาก 2 มาตรการ (0%), ยังไม่ดำเนินการ 2 (100%)"
    assert 'role="img"' in html
    # IIT: 1 of 4 done, 1 of 4 in progress; overall 1 of 8 done.
    assert "<title>IIT — ดำเนินการแล้วเสร็จ 1 จาก 4 มาตรการ (25%)</title>" in html
    assert "<title>IIT — อยู่ระหว่างดำเนินการ 1 จาก 4 มาตรการ (25%)</title>" in html
    assert ">13%</text>" in html
    # The legend names the five standings in Thai, in chart colours.
    for label, colour in [
        ("ดำเนินการแล้วเสร็จ", "#198754"),
        ("รอตรวจ", "#ffc107"),
        ("อยู่ระหว่างดำเนินการ", "#0d6efd"),
        ("ยังไม่ดำเนินการ", "#adb5bd"),
        ("ไม่สามารถดำเนินการได้", "#dc3545"),
    ]:
        assert f'fill="{colour}"/></svg> {label}</li>' in html
    assert "<title>กองพัสดุและทรัพย์สิน — ดำเนินการแล้วเสร็จ 1 จาก 5 มาตรการ (20%)</title>" in html


def test_page_of_the_open_round_lists_who_has_not_reported(executive_client, twelve):
    page = visible_text(executive_client.get(url(twelve)))
    assert "ส่วนราชการที่ยังไม่รายงาน" in page
    for name in REGULAR:
        assert f"{name} ยังไม่รายงาน" in page
    assert f"{SUPPLIES} ยังไม่รายงาน 5 จาก 5 มาตรการ" in page
    # The 12-month round of FY 2566 ended on 30 September 2566.
    assert "รอบนี้สิ้นสุดเมื่อ 30 กันยายน 2566 ยังไม่ได้ส่งผลว่าแล้วเสร็จ 8 จาก 8 มาตรการ" in page

    for order in range(3, 9):
        report(twelve, order, Status.IN_PROGRESS)
    page = visible_text(executive_client.get(url(twelve)))
    assert f"{SUPPLIES} ยังไม่รายงาน" not in page
    assert f"{PERSONNEL} ยังไม่รายงาน 1 จาก 5 มาตรการ" in page
    assert f"{SAMNAK_PALAD} ยังไม่รายงาน 1 จาก 6 มาตรการ" in page


def test_page_lists_overdue_measures(executive_client, twelve):
    Measure.objects.filter(order=1).update(deadline=date(2023, 5, 1))
    Measure.objects.filter(order=2).update(deadline=date(2023, 5, 1))
    report(twelve, 2, Status.DONE)
    html = executive_client.get(url(twelve)).content.decode()
    start = html.index('id="overdue"')
    overdue = html[start : html.index("</table>", start)]
    assert "1. การเสริมสร้างวัฒนธรรมองค์กร" in element_text(html, "overdue")
    assert f'href="{reverse("progress:detail", args=[measure(twelve, 1).pk])}"' in overdue
    assert f'href="{reverse("progress:detail", args=[measure(twelve, 2).pk])}"' not in overdue
    days = (bangkok_today() - date(2023, 5, 1)).days
    assert f"{days} วัน" in overdue and "1 พ.ค. 2566" in overdue
    # Measures without a deadline of their own are late since the round ended.
    assert "3. การใช้งบประมาณ" in element_text(html, "overdue")
    assert "30 ก.ย. 2566 (วันสิ้นสุดรอบ)" in overdue


def test_recent_activity_shows_who_changed_what(executive_client, twelve):
    somchai = UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")
    progress = report(twelve, 3, Status.NOT_STARTED, updated_by=somchai)
    progress.status = Status.IN_PROGRESS
    progress._history_user = somchai
    progress.save()

    dash = build_dashboard(twelve)
    assert [(a.who, a.action, a.measure.order, a.status) for a in dash.activity] == [
        ("สมชาย ใจดี", "แก้ไข", 3, "in_progress"),
        ("สมชาย ใจดี", "บันทึก", 3, "not_started"),
    ]
    html = executive_client.get(url(twelve)).content.decode()
    activity = element_text(html, "activity")
    when = timezone.localtime(progress.history.latest().history_date)
    assert f"{when:%H:%M} น. · สมชาย ใจดี" in activity
    assert "แก้ไข มาตรการที่ 3 การใช้งบประมาณ อยู่ระหว่างดำเนินการ" in activity
    assert "พ.ศ." not in activity and f" {when.year + 543} " in activity


def test_recent_activity_keeps_the_latest_ten(twelve):
    for order in range(1, 9):
        report(twelve, order, Status.IN_PROGRESS)
    for row in Progress.objects.filter(round=twelve, measure__order__in=[1, 2, 3, 4]):
        row.status = Status.DONE
        row.completed_on = date(2023, 8, 1)
        row.save()
    activity = build_dashboard(twelve).activity
    assert len(activity) == 10
    assert [(a.measure.order, a.status) for a in activity[:4]] == [
        (4, "done"),
        (3, "done"),
        (2, "done"),
        (1, "done"),
    ]
    assert [a.measure.order for a in activity[4:]] == [8, 7, 6, 5, 4, 3]


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Membership.Role.COORDINATOR, 200),
        (Membership.Role.EXECUTIVE, 200),
        (Membership.Role.STAFF, 403),
    ],
)
def test_dashboard_by_role(client, six, role, expected):
    client.force_login(member(six.organization, role, "person"))
    assert client.get(url(six)).status_code == expected


def test_outsiders_and_unknown_rounds_get_404(client, six):
    client.force_login(member(OrganizationFactory(), Membership.Role.EXECUTIVE, "outsider"))
    assert client.get(url(six)).status_code == 404
    client.force_login(member(six.organization, Membership.Role.EXECUTIVE, "exec"))
    missing = reverse("oversight:dashboard", args=[six.organization.slug, 2567, 6])
    assert client.get(missing).status_code == 404
    assert client.get(reverse("oversight:dashboard", args=["nobody", 2566, 6])).status_code == 404


def test_superuser_may_look(client, six):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(url(six)).status_code == 200


def test_anonymous_is_sent_to_log_in(client, six):
    response = client.get(url(six))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- cost -------------------------------------------------------------------------------------


def test_dashboard_costs_the_same_for_8_and_80_measures(
    executive_client, six, twelve, django_assert_num_queries
):
    worker = UserFactory(username="worker", first_name="ผู้รายงาน")
    progress = report(twelve, 1, Status.IN_PROGRESS, updated_by=worker)
    progress._history_user = worker
    progress.save()
    pages = [url(six), url(twelve)]
    for page in pages:
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = executive_client.get(page)
        assert response.status_code == 200

    generate_measures(six, 72)
    assert Measure.objects.count() == 80
    for page in pages:
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = executive_client.get(page)
        assert response.content.decode().count('<li class="division-bar">') == 7
    overall = element_text(executive_client.get(pages[0]), "overall-count")
    assert overall == "ดำเนินการแล้วเสร็จ (อนุมัติแล้ว) 80 จาก 80 มาตรการ"
    overall = element_text(executive_client.get(pages[1]), "overall-count")
    assert overall == "ดำเนินการแล้วเสร็จ (อนุมัติแล้ว) 0 จาก 80 มาตรการ"


# --- charts -----------------------------------------------------------------------------------


def test_chart_text_is_escaped_and_empty_groups_are_said():
    tally = Tally('กอง "<ทดสอบ>" & ข้อมูล')
    bars = charts.division_bars([(tally, False)])
    assert "&lt;ทดสอบ&gt;" in bars and "<ทดสอบ>" not in bars
    assert "ไม่มีมาตรการ" in bars
    ring = charts.progress_ring(Tally("OIT"))
    assert "ไม่มีมาตรการ" in ring and 'role="img"' in ring


def test_ring_segments_go_round_once():
    tally = Tally("IIT")
    for status in ["done", "done", "in_progress", "cannot"]:
        tally.add(status)
    ring = str(charts.progress_ring(tally))
    dashes = re.findall(r'stroke-dasharray="([\d.]+) ([\d.]+)"', ring)
    assert len(dashes) == 3
    assert sum(float(a) for a, _ in dashes) == pytest.approx(
        2 * 3.14159265 * charts.RING_RADIUS, 0.01
    )
    assert ">50%</text>" in ring and "เสร็จ 2/4" in ring


def test_long_division_names_are_printed_whole():
    long_name = "กองส่งเสริมคุณภาพชีวิตและสวัสดิการสังคมของผู้สูงอายุ คนพิการ และผู้ด้อยโอกาส" * 2
    tally = Tally(long_name)
    tally.add("done")
    bars = str(charts.division_bars([(tally, False)]))
    # As HTML text that wraps on a narrow screen (the browser test at 375 px).
    assert f'<span class="division-name">{long_name}</span>' in bars
    assert "…" not in bars
