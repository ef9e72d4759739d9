"""The roll-up reads summary rows (oversight.summaries): after every kind of write
through the services they must say what a live count says, "late" must follow the
date with no write at all, and the database's sorting must be the page's.

The live count is the executive dashboard's, agency by agency (oversight.dashboard,
progress.standing), with the public link's newest version (reports.selectors)."""

import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.db.models import Max

from catalogue.models import FiscalYear
from demo.generate_agencies import generate_agencies
from demo.generated import publish_generated
from interchange.exporters import EXPORTERS, build_sheet
from interchange.importer import import_measures
from interchange.rollover import rollover
from measures import services
from measures.models import Measure, Round
from organizations import services as organization_services
from organizations.access import SYSTEM
from organizations.models import Division, Membership, Organization
from organizations.services import add_member
from oversight import summaries
from oversight.dashboard import STATUSES, build_dashboard, percent
from oversight.models import RoundSummary
from oversight.rollup import SORTS, build_rollup
from progress import standing
from progress.models import Progress
from progress.part_services import save_part
from progress.services import (
    ProgressInput,
    review_progress,
    save_progress,
    set_round_open,
    submit_progress,
)
from reports.selectors import published_pdf
from reports.services import publish_round, withdraw_publication
from testing.factories import DivisionFactory, MeasureFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2023, 6, 1)  # fiscal year 2566: the 6-month round has ended, the 12-month not


def live_rows(fiscal_year: FiscalYear, kind: int, today: date) -> dict[str, tuple]:
    """Each agency's row as the dashboard and the public link count it, by slug."""
    rows = {}
    for org in Organization.objects.order_by("pk"):
        round_ = Round.objects.filter(organization=org, fiscal_year=fiscal_year, kind=kind).first()
        if round_ is not None:
            board = build_dashboard(round_, today=today)
            counts = tuple(board.overall.counts[s] for s in STATUSES)
            late, unreported = len(board.overdue), len(board.not_reported)
            last = Progress.objects.filter(round=round_).aggregate(last=Max("updated_at"))["last"]
            pdf = published_pdf(org.slug, fiscal_year.year, kind)
            version, published_at = (pdf.version, pdf.published_at) if pdf else (None, None)
            if published_at and (last is None or published_at > last):
                last = published_at
            rows[org.slug] = (counts, late, unreported, True, round_.is_open)
            rows[org.slug] += (version, published_at, last)
        else:
            # No round: nothing reported, every measure not started.
            measures = list(Measure.objects.filter(organization=org, fiscal_year=fiscal_year))
            nominal = Round(fiscal_year=fiscal_year, kind=kind)
            late = sum(
                standing.late_days(None, standing.due(m, nominal), today) is not None
                for m in measures
            )
            regular = set(
                org.divisions.filter(kind=Division.Kind.REGULAR).values_list("pk", flat=True)
            )
            named, concerned = set(), False
            for m in measures:
                for d in m.divisions.all():
                    if d.kind == Division.Kind.ALL:
                        named |= regular
                    elif d.kind == Division.Kind.CONCERNED:
                        concerned = True
                    else:
                        named.add(d.pk)
            counts = tuple(len(measures) if s == "not_started" else 0 for s in STATUSES)
            rows[org.slug] = (counts, late, len(named) + concerned, False, False, None, None, None)
    return rows


def rolled_up(fiscal_year: FiscalYear, kind: int, today: date) -> dict[str, tuple]:
    superuser = UserFactory(username="root", is_superuser=True)
    return {
        r.slug: (
            r.counts,
            r.late,
            r.divisions_not_reported,
            r.has_round,
            r.round_open,
            r.published_version,
            r.published_at,
            r.last_activity,
        )
        for r in build_rollup(superuser, fiscal_year, kind, today=today).rows
    }


def assert_consistent(fiscal_year: FiscalYear, today: date = TODAY) -> None:
    for kind in (6, 12):
        assert rolled_up(fiscal_year, kind, today) == live_rows(fiscal_year, kind, today)
    # Every row just read is fresh: only a write (or the date) makes it stale again.
    assert not RoundSummary.objects.filter(fiscal_year=fiscal_year, fresh_through=None).exists()


@pytest.fixture
def world(seed, media_root):
    """The seed agency, generated agencies of every profile (one of them reporting
    to nobody yet), and an agency with no round and no province."""
    made = generate_agencies(count=8, fiscal_year=2566, seed=7, measures_per_agency=6, today=TODAY)
    publish_generated(made.published)
    lonely = Organization.objects.create(slug="lonely", name="หน่วยงานที่ยังไม่มีรอบ")
    office = DivisionFactory(organization=lonely, name="สำนักปลัด")
    m = MeasureFactory(organization=lonely, fiscal_year=seed.fiscal_year, deadline=date(2023, 5, 1))
    m.assignments.create(division=office, order=1)
    coordinator = UserFactory(username="coord")
    add_member(member=coordinator, organization=seed.organization, role=Membership.Role.COORDINATOR)
    staff = UserFactory(username="staff")
    add_member(
        member=staff,
        organization=seed.organization,
        role=Membership.Role.STAFF,
        divisions=[Division.objects.get(name="สำนักปลัดองค์การบริหารส่วนจังหวัด")],
    )
    return {"coordinator": coordinator, "staff": staff, "lonely": lonely}


def entered(status="in_progress", completed_on=None, text="ดำเนินการตามแผนแล้ว"):
    return ProgressInput(
        status=status, completed_on=completed_on, result_text=text, cannot_reason=""
    )


def test_after_every_kind_of_write_the_roll_up_says_what_a_live_count_says(seed, world):
    fy, pao = seed.fiscal_year, seed.organization
    coord, staff = world["coordinator"], world["staff"]
    twelve = Round.objects.get(organization=pao, fiscal_year=fy, kind=12)
    six = Round.objects.get(organization=pao, fiscal_year=fy, kind=6)
    office = Division.objects.get(organization=pao, name="สำนักปลัดองค์การบริหารส่วนจังหวัด")
    m2 = Measure.objects.get(organization=pao, fiscal_year=fy, order=2)
    assert_consistent(fy)

    # Progress: saved, submitted, returned, saved as done, submitted, approved.
    saved = save_progress(measure=m2, round_=twelve, user=staff, data=entered(), seen_version=0)
    assert_consistent(fy)
    saved = submit_progress(progress=saved, user=staff)
    assert_consistent(fy)
    saved = review_progress(progress=saved, user=coord, approve=False, comment="แนบหลักฐาน")
    assert_consistent(fy)
    saved = save_progress(
        measure=m2,
        round_=twelve,
        user=staff,
        data=entered("done", date(2023, 5, 20)),
        seen_version=saved.version,
    )
    saved = submit_progress(progress=saved, user=staff)
    assert_consistent(fy)
    review_progress(progress=saved, user=coord, approve=True, comment="")
    assert_consistent(fy)
    # A division's part on a shared measure nobody has reported yet (a blank result).
    m5 = Measure.objects.get(organization=pao, fiscal_year=fy, order=5)
    audit = Division.objects.get(organization=pao, name="หน่วยตรวจสอบภายใน")
    save_part(measure=m5, round_=twelve, division=audit, user=coord, note="ตรวจแล้ว", seen_version=0)
    assert_consistent(fy)

    # Measures: created with a deadline past, its deadline moved later, deleted.
    data = services.MeasureData(
        indicator=m2.indicator,
        target="มาตรการใหม่",
        monitoring="1. รายงานผู้บริหาร",
        deadline=date(2023, 5, 15),
        order=9,
        divisions=[office],
    )
    new = services.save_measure(
        user=coord, measure=Measure(organization=pao, fiscal_year=fy), data=data, reason="ทดสอบ"
    )
    assert_consistent(fy)
    data = services.MeasureData(**{**data.__dict__, "deadline": date(2023, 7, 31)})
    services.save_measure(user=coord, measure=new, data=data, reason="เลื่อนกำหนด")
    assert_consistent(fy)
    services.delete_measure(user=coord, measure=new, reason="ทดสอบ")
    assert_consistent(fy)

    # Divisions: a measure's own, a new regular division (what "ทุกส่วนราชการ" stands
    # for), then deleted again.
    m3 = Measure.objects.get(organization=pao, fiscal_year=fy, order=3)
    services.set_divisions(measure=m3, divisions=[office, audit])
    assert_consistent(fy)
    added = organization_services.save_division(
        user=coord, division=Division(organization=pao, name="กองใหม่", order=20)
    )
    assert_consistent(fy)
    organization_services.delete_division(user=coord, division=added)
    assert_consistent(fy)

    # An import: a changed result and a new measure with its result, in the 12-month round.
    sheet = build_sheet(organization=pao, fiscal_year=fy, round_kind=12)
    workbook = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"].export([sheet])[2]))
    workbook.active.append(
        (
            "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้อำนาจ",
            "กองคลัง",
            "๑. ประกาศแนวทางการใช้ดุลพินิจ",
            "๑. รายงานผู้บริหาร",
            "15/05/2566",
            "อยู่ระหว่างดำเนินการ",
        )
    )
    content = io.BytesIO()
    workbook.save(content)
    result = import_measures(
        content=content.getvalue(), organization=pao, fiscal_year=fy, round_kind=12, user=coord
    )
    assert result.ok, result.errors
    assert result.count("create") == 1
    assert_consistent(fy)

    # Rounds: the 12-month one closed; an agency's first round.
    set_round_open(round_=twelve, user=coord, is_open=False)
    assert_consistent(fy)
    services.ensure_round(user=SYSTEM, organization=world["lonely"], fiscal_year=fy, kind=6)
    assert_consistent(fy)

    # Publishing, then withdrawing: the roll-up shows what the public link serves.
    report = publish_round(round_=six, user=coord)
    assert_consistent(fy)
    withdraw_publication(report=report, user=coord, reason="แนบไฟล์ผิดฉบับ")
    assert_consistent(fy)

    # A rollover writes the next year's measures: that year's rows follow.
    next_year = FiscalYear.objects.get_or_create(year=2567)[0]
    assert_consistent(next_year, date(2024, 1, 10))
    rollover(organization=pao, from_year=2566, to_year=2567, user=coord)
    assert_consistent(next_year, date(2024, 1, 10))
    assert rolled_up(next_year, 12, date(2024, 1, 10))["ubon-pao"][0][3] == 9  # not started


def test_late_follows_the_date_without_any_write(seed, world):
    fy, pao = seed.fiscal_year, seed.organization
    coord = world["coordinator"]
    m2 = Measure.objects.get(organization=pao, fiscal_year=fy, order=2)
    services.save_measure(
        user=coord,
        measure=Measure(organization=pao, fiscal_year=fy),
        data=services.MeasureData(
            indicator=m2.indicator,
            target="มาตรการที่มีกำหนดเวลา",
            monitoring="1. รายงานผู้บริหาร",
            deadline=date(2023, 6, 30),
            order=9,
            divisions=[],
        ),
        reason="ทดสอบ",
    )

    def pao_row(today):
        return rolled_up(fy, 12, today)["ubon-pao"]

    # The seed's eight measures have no deadline: due on the round's last day.
    assert pao_row(date(2023, 6, 30))[1] == 0
    row = RoundSummary.objects.get(organization=pao, fiscal_year=fy, kind=12)
    assert (row.computed_on, row.fresh_through) == (date(2023, 6, 30), date(2023, 6, 30))
    writes = Progress.history.count() + Measure.history.count()
    assert pao_row(date(2023, 7, 1))[1] == 1  # the new measure's deadline has passed
    assert pao_row(date(2023, 9, 30))[1] == 1
    row.refresh_from_db()
    assert (row.computed_on, row.fresh_through) == (date(2023, 7, 1), date(2023, 9, 30))
    assert pao_row(date(2023, 10, 1))[1] == 9  # the round has ended
    assert Progress.history.count() + Measure.history.count() == writes
    assert_consistent(fy, date(2023, 10, 1))


def test_a_write_refreshes_its_rows_once_committed(seed, world, django_capture_on_commit_callbacks):
    fy, pao = seed.fiscal_year, seed.organization
    rolled_up(fy, 12, summaries.bangkok_today())  # every row computed
    twelve = Round.objects.get(organization=pao, fiscal_year=fy, kind=12)
    m2 = Measure.objects.get(organization=pao, fiscal_year=fy, order=2)
    with django_capture_on_commit_callbacks(execute=True):
        save_progress(
            measure=m2, round_=twelve, user=world["staff"], data=entered(), seen_version=0
        )
    # Computed again after the commit, without anyone reading the roll-up.
    row = RoundSummary.objects.get(organization=pao, fiscal_year=fy, kind=12)
    assert row.fresh_through is not None
    assert (row.in_progress, row.not_started) == (1, 7)
    assert row.last_activity == Progress.objects.get(measure=m2, round=twelve).updated_at


def _python_order(rows, sort):
    """The order the page sorted its rows in before the database did."""
    blank = "\uffff"  # blanks last
    keys = {
        "name": lambda r: r.name,
        "province": lambda r: (r.province or blank, r.district or blank),
        "kind": lambda r: r.kind_label or blank,
        "measures": lambda r: r.measures,
        "done": lambda r: (r.done_percent, r.done),
        "late": lambda r: r.late,
        "not_reported": lambda r: r.divisions_not_reported,
        "published": lambda r: r.published_at.timestamp() if r.published_at else -1,
        "activity": lambda r: r.last_activity.timestamp() if r.last_activity else -1,
    }
    ordered = sorted(rows, key=lambda r: (r.name, r.pk))
    ordered = sorted(ordered, key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    return [r.pk for r in ordered]


def test_the_database_sorts_as_the_page_did_ties_by_name_then_id(seed, world):
    generate_agencies(count=60, fiscal_year=2566, seed=11, measures_per_agency=4, today=TODAY)
    # Two agencies of one name, one of them with no kind and no province.
    Organization.objects.create(slug="twin-a", name="เทศบาลตำบลแฝด")
    Organization.objects.create(slug="twin-b", name="เทศบาลตำบลแฝด", kind="sao")
    superuser = UserFactory(username="root", is_superuser=True)
    rows = list(build_rollup(superuser, seed.fiscal_year, 12, today=TODAY).rows)
    assert len(rows) == Organization.objects.count()
    for key in SORTS:
        for sort in (key, f"-{key}"):
            got = build_rollup(superuser, seed.fiscal_year, 12, sort=sort, today=TODAY).rows
            assert [r.pk for r in got] == _python_order(rows, sort), sort


def test_the_percent_sorted_on_is_the_percent_shown(db):
    """The rows sort by a percent the database computes (summaries.PERCENT_SQL):
    the same as oversight.dashboard.percent for every count out of up to 60, and more."""
    pairs = [(done, total) for total in range(61) for done in range(total + 1)]
    pairs += [(199, 200), (1, 300), (299, 300), (2, 3), (1, 8), (7, 8)]
    values = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT done, measures, {summaries.PERCENT_SQL} FROM (SELECT column1 AS done,"
            f" column2 AS measures FROM (VALUES {values}) AS v) AS t",
            [n for pair in pairs for n in pair],
        )
        computed = cursor.fetchall()
    assert sorted(computed) == sorted((d, t, percent(d, t)) for d, t in pairs)
