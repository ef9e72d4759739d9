"""The executive dashboard of a round: pure reads and arithmetic.

Everything comes from five queries whatever the number of measures or
divisions: the round's measures (with indicator and tool), their divisions,
this round's progress, the organization's divisions, and the latest history
records of the round. The rest is counting in Python.

A measure counts by where it stands in the round (progress.standing): done only
once the coordinator approved it, "รอตรวจ" while it waits for review, not started
when there is no Progress row. It is late once its due date (its own deadline,
else the round's end) has passed and its result is not settled.

In the division breakdown a measure assigned to "ทุกส่วนราชการ" counts for every
regular division of the organization; one assigned to "ส่วนราชการที่เกี่ยวข้อง"
counts under that label as its own row, since nobody wrote down which divisions
are concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from catalogue.models import AssessmentTool, Indicator
from measures.models import Measure, MeasureDivision, Round
from organizations.models import Division
from progress import standing
from progress.models import Progress, ReviewState
from thai import conventions as thai

BANGKOK = ZoneInfo("Asia/Bangkok")
RECENT_ACTIVITY = 10

Status = Progress.Status
Standing = standing.Standing
# The order standings are counted, stacked and listed in.
STATUSES: tuple[str, ...] = standing.STANDINGS

HISTORY_ACTIONS = {"+": "บันทึก", "~": "แก้ไข", "-": "ลบ"}


def bangkok_today() -> date:
    """Today's date in Thailand, whatever the server's time zone."""
    return timezone.localdate(timezone=BANGKOK)


def percent(count: int, total: int) -> int:
    """Whole percent, rounded half up, but never 100 before everything is
    counted nor 0 once something is: 199 of 200 is 99%, 1 of 300 is 1%."""
    if total <= 0:
        return 0
    value = int((Decimal(100 * count) / Decimal(total)).quantize(Decimal(1), ROUND_HALF_UP))
    if value == 100 and count < total:
        return 99
    if value == 0 and count > 0:
        return 1
    return value


def format_percent(value: int) -> str:
    return f"{thai.format_thai_number(value)}%"


@dataclass(frozen=True)
class Segment:
    """One status's part of a tally, ready for a chart or a table cell."""

    status: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.count, self.total)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def fraction(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass
class Tally:
    """How many measures of a group are in each status."""

    label: str
    key: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str) -> None:
        self.counts[status] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def done(self) -> int:
        """Approved as done: the only results that count as done."""
        return self.counts[Standing.DONE]

    @property
    def awaiting_review(self) -> int:
        return self.counts[Standing.AWAITING_REVIEW]

    @property
    def in_progress(self) -> int:
        return self.counts[Standing.IN_PROGRESS]

    @property
    def not_started(self) -> int:
        return self.counts[Standing.NOT_STARTED]

    @property
    def cannot(self) -> int:
        return self.counts[Standing.CANNOT]

    @property
    def segments(self) -> list[Segment]:
        total = self.total
        return [Segment(s, Standing(s).label, self.counts[s], total) for s in STATUSES]

    @property
    def done_percent(self) -> int:
        return percent(self.done, self.total)

    @property
    def done_percent_text(self) -> str:
        return format_percent(self.done_percent)

    @property
    def done_text(self) -> str:
        """Done out of all, e.g. "6 จาก 8 มาตรการ"."""
        return f"{self.done} จาก {self.total} มาตรการ"


@dataclass
class MeasureRow:
    measure: Measure
    progress: Progress | None
    divisions: list[Division]
    due: standing.Due
    overdue_days: int | None  # days past the due date, not settled (progress.standing)

    @property
    def status(self) -> str:
        """Where the measure stands (a progress.standing.Standing value)."""
        return standing.standing_of(self.progress)

    @property
    def status_label(self) -> str:
        return Standing(self.status).label

    @property
    def claimed_label(self) -> str:
        """What a result waiting for review says, e.g. "ดำเนินการแล้วเสร็จ"; else ""."""
        if self.status == Standing.AWAITING_REVIEW:
            return self.progress.get_status_display()
        return ""

    @property
    def reported(self) -> bool:
        """False while nobody has reported anything on it in this round."""
        p = self.progress
        return not (
            p is None or (p.status == Status.NOT_STARTED and p.review_state == ReviewState.DRAFT)
        )

    @property
    def overdue(self) -> bool:
        return self.overdue_days is not None


@dataclass
class DivisionRow:
    """A regular division, or the collective "divisions concerned", with the
    measures it answers for in this round (collective assignments expanded)."""

    division: Division
    tally: Tally
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def is_collective(self) -> bool:
        return self.division.is_collective

    @property
    def unreported(self) -> list[MeasureRow]:
        return [row for row in self.measures if not row.reported]


@dataclass
class ToolGroup:
    tool: AssessmentTool
    tally: Tally
    indicators: list[tuple[Indicator, Tally]]


@dataclass
class Activity:
    when: datetime
    who: str
    action: str
    measure: Measure | None
    measure_id: int
    status: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class Dashboard:
    round: Round
    today: date
    overall: Tally
    tools: list[ToolGroup]
    divisions: list[DivisionRow]
    measures: list[MeasureRow]
    activity: list[Activity]

    counting_note = standing.COUNTING_NOTE

    @property
    def round_ended(self) -> bool:
        return self.round.end < self.today

    @property
    def overdue(self) -> list[MeasureRow]:
        """Measures past their due date (their own deadline, else the round's end)
        whose result is not settled, most overdue first."""
        rows = [row for row in self.measures if row.overdue]
        return sorted(rows, key=lambda row: (-row.overdue_days, row.measure.order))

    @property
    def unsettled(self) -> list[MeasureRow]:
        """Measures whose result is not yet done or "cannot", sent or approved."""
        return [row for row in self.measures if not standing.settled(row.progress)]

    @property
    def not_reported(self) -> list[DivisionRow]:
        return [row for row in self.divisions if row.unreported]


def round_measures(round_: Round):
    """The round's measures in report order: three queries (measures with
    indicator and tool, their divisions, this round's progress)."""
    return (
        Measure.objects.filter(
            organization_id=round_.organization_id, fiscal_year_id=round_.fiscal_year_id
        )
        .select_related("indicator__tool")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MeasureDivision.objects.select_related("division").order_by("order"),
            ),
            Prefetch(
                "progress", queryset=Progress.objects.filter(round=round_), to_attr="round_progress"
            ),
        )
        .order_by("order")
    )


def recent_history(round_: Round, limit: int = RECENT_ACTIVITY):
    """The latest history records of the round's progress: one query."""
    return (
        Progress.history.filter(round_id=round_.pk)
        .select_related("history_user", "updated_by")
        .order_by("-history_date", "-history_id")[:limit]
    )


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def build_dashboard(round_: Round, *, today: date | None = None) -> Dashboard:
    today = today or bangkok_today()
    divisions = _DivisionTallies(round_)
    overall = Tally("ภาพรวม", key="all")
    catalogue = _CatalogueTallies()
    measure_rows: list[MeasureRow] = []
    for measure in round_measures(round_):
        progress = measure.round_progress[0] if measure.round_progress else None
        status = standing.standing_of(progress)
        when = standing.due(measure, round_)
        row = MeasureRow(
            measure=measure,
            progress=progress,
            divisions=[a.division for a in measure.assignments.all()],
            due=when,
            overdue_days=standing.late_days(progress, when, today),
        )
        measure_rows.append(row)
        overall.add(status)
        catalogue.add(measure.indicator, status)
        divisions.add(row, status)
    return Dashboard(
        round=round_,
        today=today,
        overall=overall,
        tools=catalogue.groups(),
        divisions=divisions.rows(),
        measures=measure_rows,
        activity=_activity(round_, measure_rows),
    )


class _DivisionTallies:
    """The division breakdown: a row for each regular division of the organization
    (one query), and one for "ส่วนราชการที่เกี่ยวข้อง" once a measure is assigned to it."""

    def __init__(self, round_: Round):
        divisions = Division.objects.filter(organization_id=round_.organization_id).order_by(
            "order", "name"
        )
        self.by_division: dict[int, DivisionRow] = {
            d.pk: DivisionRow(d, Tally(d.name, key=str(d.pk)))
            for d in divisions
            if d.kind == Division.Kind.REGULAR
        }
        self.concerned: DivisionRow | None = None

    def add(self, row: MeasureRow, status: str) -> None:
        # Each division counts a measure once, however it came to be responsible.
        counted: set[int] = set()
        for division in row.divisions:
            if division.kind == Division.Kind.ALL:
                counted.update(self.by_division)
            elif division.kind == Division.Kind.CONCERNED:
                if self.concerned is None:
                    self.concerned = DivisionRow(division, Tally(division.name, key="concerned"))
                self.concerned.tally.add(status)
                self.concerned.measures.append(row)
            elif division.pk in self.by_division:
                counted.add(division.pk)
        for pk in counted:
            self.by_division[pk].tally.add(status)
            self.by_division[pk].measures.append(row)

    def rows(self) -> list[DivisionRow]:
        """The divisions in their order, each with its measures in report order; the
        concerned row last."""
        rows = list(self.by_division.values())
        for division_row in rows:
            division_row.measures.sort(key=lambda r: r.measure.order)
        if self.concerned is not None:
            rows.append(self.concerned)
        return rows


class _CatalogueTallies:
    """The count by assessment tool, and within each tool by indicator."""

    def __init__(self):
        self.tools: dict[int, ToolGroup] = {}
        self.indicators: dict[int, tuple[Indicator, Tally]] = {}

    def add(self, indicator: Indicator, status: str) -> None:
        tool = indicator.tool
        if tool.pk not in self.tools:
            self.tools[tool.pk] = ToolGroup(tool, Tally(tool.code, key=tool.code), [])
        self.tools[tool.pk].tally.add(status)
        if indicator.pk not in self.indicators:
            label = f"ตัวชี้วัดที่ {indicator.number} {indicator.name}"
            self.indicators[indicator.pk] = (indicator, Tally(label, key=str(indicator.pk)))
        self.indicators[indicator.pk][1].add(status)

    def groups(self) -> list[ToolGroup]:
        """The tools in their order, each with its indicators in theirs."""
        for indicator, tally in self.indicators.values():
            self.tools[indicator.tool_id].indicators.append((indicator, tally))
        groups = sorted(self.tools.values(), key=lambda g: (g.tool.order, g.tool.code))
        for group in groups:
            group.indicators.sort(key=lambda pair: (pair[0].order, pair[0].number))
        return groups


def _activity(round_: Round, measure_rows: list[MeasureRow]) -> list[Activity]:
    """The latest changes of the round's progress, newest first (one query)."""
    by_id = {row.measure.pk: row.measure for row in measure_rows}
    return [
        Activity(
            when=record.history_date,
            who=_person(record.history_user) or _person(record.updated_by) or "ระบบ",
            action=record.history_change_reason or HISTORY_ACTIONS.get(record.history_type, ""),
            measure=by_id.get(record.measure_id),
            measure_id=record.measure_id,
            status=record.status,
        )
        for record in recent_history(round_)
    ]


def organization_rounds(round_: Round):
    """Every round of the round's organization, newest year first: one query."""
    return (
        Round.objects.filter(organization_id=round_.organization_id)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year", "kind")
    )
