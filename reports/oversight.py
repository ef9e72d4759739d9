"""The roll-up across agencies for overseers: every agency in the user's scope
(measures.access.overseen_organizations) with where its measures stand in one
round, whether it published the round's report, and totals by province and by kind.

Everything is counted in the database, one row per agency, in a fixed number of
queries whatever the number of agencies (ita_portal/tests and reports/tests assert
it at 20 and 200; scripts/bench_oversight.py times it at 8,300):

1. the agencies in scope (filtered by province, district, kind and name), each with
   its number of regular divisions;
2. per agency, its measures of the year and where they stand in the round
   (measures.standing: done and "cannot" only once approved, "รอตรวจ" while waiting
   for review), how many are late, and the round's last change;
3. per agency, the divisions with a measure nobody has reported on in the round;
4. per agency, the round itself (open or closed) and its newest publication.

Only the filters that depend on those counts (published or not, behind schedule),
the sorting, the totals by province and kind (sums of the per-agency counts) and
the pagination are done in Python, on at most one small row per agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from measures import access, standing
from measures.models import (
    Division,
    FiscalYear,
    Measure,
    MeasureDivision,
    Organization,
    OrganizationKind,
    Progress,
    ReviewState,
    Round,
)
from reports.dashboard import STATUSES, Tally, bangkok_today, percent

Standing = standing.Standing
Status = Progress.Status

KIND_LABELS = dict(OrganizationKind.choices)
NO_KIND = "ไม่ระบุประเภท"
NO_PROVINCE = "ไม่ระบุจังหวัด"


@dataclass
class AgencyRow:
    pk: int
    slug: str
    name: str
    kind: str
    origin: str
    province: str
    district: str
    regular_divisions: int
    tally: Tally = field(default_factory=lambda: Tally(""))
    late: int = 0
    divisions_not_reported: int = 0
    has_round: bool = False
    round_open: bool = False
    published_version: int | None = None
    published_at: datetime | None = None
    last_activity: datetime | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, NO_KIND)

    @property
    def origin_label(self) -> str:
        return Organization.Origin(self.origin).label if self.origin else ""

    @property
    def measures(self) -> int:
        return self.tally.total

    @property
    def published(self) -> bool:
        return self.published_version is not None

    @property
    def behind(self) -> bool:
        """Some measure is past its due date with its result not settled."""
        return self.late > 0


@dataclass
class Group:
    """The agencies of one province, one kind, or all of them together."""

    label: str
    key: str
    agencies: int = 0
    published: int = 0
    behind: int = 0
    late: int = 0
    tally: Tally = field(default_factory=lambda: Tally(""))

    def add(self, row: AgencyRow) -> None:
        self.agencies += 1
        self.published += row.published
        self.behind += row.behind
        self.late += row.late
        for status in STATUSES:
            self.tally.counts[status] += row.tally.counts[status]

    @property
    def published_percent(self) -> int:
        return percent(self.published, self.agencies)

    @property
    def behind_percent(self) -> int:
        return percent(self.behind, self.agencies)


@dataclass
class Filters:
    """What the roll-up shows: all blank shows every agency in scope."""

    province_id: int | None = None
    district_id: int | None = None
    kind: str = ""
    search: str = ""
    published: str = ""  # "yes", "no" or "" (either)
    behind: bool = False


def _sort_text(value: str) -> str:
    return value or "\uffff"  # blanks last


# Sort keys the page offers: name -> (label, key of a row). Descending ones start
# with "-" in the address; ties are broken by the agency's name.
SORTS: dict[str, tuple[str, Callable[[AgencyRow], object]]] = {
    "name": ("ชื่อหน่วยงาน", lambda r: r.name),
    "province": ("จังหวัด", lambda r: (_sort_text(r.province), _sort_text(r.district))),
    "kind": ("ประเภทหน่วยงาน", lambda r: _sort_text(r.kind_label)),
    "measures": ("จำนวนมาตรการ", lambda r: r.measures),
    "done": ("ร้อยละแล้วเสร็จ", lambda r: (r.tally.done_percent, r.tally.done)),
    "late": ("มาตรการที่เลยกำหนด", lambda r: r.late),
    "not_reported": ("ส่วนราชการที่ยังไม่รายงาน", lambda r: r.divisions_not_reported),
    "published": ("วันที่เผยแพร่", lambda r: r.published_at.timestamp() if r.published_at else -1),
    "activity": (
        "ความเคลื่อนไหวล่าสุด",
        lambda r: r.last_activity.timestamp() if r.last_activity else -1,
    ),
}
DEFAULT_SORT = "-late"


def sort_choices() -> list[tuple[str, str]]:
    choices = []
    for key, (label, _) in SORTS.items():
        choices.append((key, f"{label} (น้อยไปมาก)"))
        choices.append((f"-{key}", f"{label} (มากไปน้อย)"))
    return choices


@dataclass
class RollUp:
    fiscal_year: FiscalYear
    kind: int
    today: date
    round_end: date
    rows: list[AgencyRow]
    overall: Group
    by_province: list[Group]
    by_kind: list[Group]

    counting_note = standing.COUNTING_NOTE

    @property
    def round_label(self) -> str:
        return Round.Kind(self.kind).label


def round_end(fiscal_year: FiscalYear, kind: int) -> date:
    return Round(fiscal_year=fiscal_year, kind=kind).end


def scoped_organizations(user, filters: Filters) -> QuerySet[Organization]:
    organizations = access.overseen_organizations(user)
    if filters.province_id:
        organizations = organizations.filter(province_id=filters.province_id)
    if filters.district_id:
        organizations = organizations.filter(district_id=filters.district_id)
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.search:
        organizations = organizations.filter(name__icontains=filters.search)
    return organizations


def _agencies(organizations: QuerySet[Organization]) -> dict[int, AgencyRow]:
    """Query 1: the agencies with their names, places and regular divisions."""
    rows = organizations.annotate(
        regular_divisions=Count("divisions", filter=Q(divisions__kind=Division.Kind.REGULAR))
    ).values_list(
        "pk",
        "slug",
        "name",
        "kind",
        "origin",
        "province__name",
        "district__name",
        "regular_divisions",
    )
    return {
        pk: AgencyRow(pk, slug, name, kind, origin, province or "", district or "", divisions)
        for pk, slug, name, kind, origin, province, district, divisions in rows
    }


def _standings(
    organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int, today: date
):
    """Query 2: per agency, its measures of the year and where they stand in the
    round. Each measure meets at most one progress row of the round (a measure has
    one per round), so the counts of progress rows below are counts of measures."""
    in_round = Q(progress__round__kind=kind)
    # Due: the measure's own deadline, else the round's last day (measures.standing).
    if round_end(fiscal_year, kind) < today:
        past_due = Q(deadline__lt=today) | Q(deadline__isnull=True)
    else:
        past_due = Q(deadline__lt=today)
    settled = Q(
        progress__status__in=[Status.DONE, Status.CANNOT],
        progress__review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
    )
    approved = Q(progress__review_state=ReviewState.APPROVED)
    submitted = Q(progress__review_state=ReviewState.SUBMITTED)
    return (
        Measure.objects.filter(fiscal_year=fiscal_year, organization__in=organizations)
        .values("organization")
        .annotate(
            measures=Count("pk", distinct=True),
            with_row=Count("progress", filter=in_round),
            done=Count("progress", filter=in_round & approved & Q(progress__status=Status.DONE)),
            cannot=Count(
                "progress", filter=in_round & approved & Q(progress__status=Status.CANNOT)
            ),
            awaiting=Count("progress", filter=in_round & submitted),
            # Rows that still count as not started: not sent, and saying nothing yet.
            unstarted_rows=Count(
                "progress",
                filter=in_round & ~submitted & Q(progress__status=Status.NOT_STARTED),
            ),
            past_due=Count("pk", distinct=True, filter=past_due),
            past_due_settled=Count("progress", filter=in_round & past_due & settled),
            last_activity=Max("progress__updated_at", filter=in_round),
        )
        .order_by()
        .values_list(
            "organization",
            "measures",
            "with_row",
            "done",
            "cannot",
            "awaiting",
            "unstarted_rows",
            "past_due",
            "past_due_settled",
            "last_activity",
        )
    )


def _unreported_divisions(
    organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int
):
    """Query 3: per agency, the responsible divisions of measures that nobody has
    reported on in the round (no progress row, or one not started and never sent),
    as the executive dashboard lists them: a measure of "ทุกส่วนราชการ" makes every
    regular division count, one of "ส่วนราชการที่เกี่ยวข้อง" counts as one row."""
    reported = Progress.objects.filter(measure_id=OuterRef("measure_id"), round__kind=kind).exclude(
        status=Status.NOT_STARTED, review_state=ReviewState.DRAFT
    )
    return (
        MeasureDivision.objects.filter(
            measure__fiscal_year=fiscal_year, measure__organization__in=organizations
        )
        .filter(~Exists(reported))
        .values("measure__organization")
        .annotate(
            regular=Count(
                "division_id", distinct=True, filter=Q(division__kind=Division.Kind.REGULAR)
            ),
            every=Count("pk", filter=Q(division__kind=Division.Kind.ALL)),
            concerned=Count("pk", filter=Q(division__kind=Division.Kind.CONCERNED)),
        )
        .order_by()
        .values_list("measure__organization", "regular", "every", "concerned")
    )


def _rounds(organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int):
    """Query 4: per agency, the round (open or not) and its newest publication."""
    return (
        Round.objects.filter(fiscal_year=fiscal_year, kind=kind, organization__in=organizations)
        .annotate(
            version=Max("publications__version"), published_at=Max("publications__published_at")
        )
        .values_list("organization_id", "is_open", "version", "published_at")
    )


def _matches(row: AgencyRow, filters: Filters) -> bool:
    if filters.published == "yes" and not row.published:
        return False
    if filters.published == "no" and row.published:
        return False
    return not (filters.behind and not row.behind)


def sort_rows(rows: list[AgencyRow], sort: str) -> list[AgencyRow]:
    descending = sort.startswith("-")
    _, key = SORTS.get(sort.lstrip("-"), SORTS["name"])
    rows = sorted(rows, key=lambda r: (r.name, r.pk))
    return sorted(rows, key=key, reverse=descending)


def build_rollup(
    user,
    fiscal_year: FiscalYear,
    kind: int,
    filters: Filters | None = None,
    *,
    sort: str = DEFAULT_SORT,
    today: date | None = None,
) -> RollUp:
    filters = filters or Filters()
    today = today or bangkok_today()
    organizations = scoped_organizations(user, filters)
    rows = _agencies(organizations)

    for (
        pk,
        measures,
        with_row,
        done,
        cannot,
        awaiting,
        unstarted_rows,
        past_due,
        past_due_settled,
        last_activity,
    ) in _standings(organizations, fiscal_year, kind, today):
        row = rows.get(pk)
        if row is None:
            continue
        not_started = measures - with_row + unstarted_rows
        counts = {
            Standing.DONE: done,
            Standing.AWAITING_REVIEW: awaiting,
            Standing.NOT_STARTED: not_started,
            Standing.CANNOT: cannot,
        }
        counts[Standing.IN_PROGRESS] = measures - sum(counts.values())
        row.tally = Tally(row.name, key=str(pk), counts={s: counts[s] for s in STATUSES})
        row.late = past_due - past_due_settled
        row.last_activity = last_activity

    for pk, regular, every, concerned in _unreported_divisions(organizations, fiscal_year, kind):
        row = rows.get(pk)
        if row is not None:
            row.divisions_not_reported = (row.regular_divisions if every else regular) + (
                1 if concerned else 0
            )

    for pk, is_open, version, published_at in _rounds(organizations, fiscal_year, kind):
        row = rows.get(pk)
        if row is not None:
            row.has_round, row.round_open = True, is_open
            row.published_version, row.published_at = version, published_at
            if published_at and (row.last_activity is None or published_at > row.last_activity):
                row.last_activity = published_at

    shown = sort_rows([row for row in rows.values() if _matches(row, filters)], sort)
    overall = Group("ทุกหน่วยงานที่แสดง", "all", tally=Tally("ทุกหน่วยงานที่แสดง", key="all"))
    provinces: dict[str, Group] = {}
    kinds: dict[str, Group] = {}
    for row in shown:
        overall.add(row)
        name = row.province or NO_PROVINCE
        provinces.setdefault(name, Group(name, name, tally=Tally(name, key=name))).add(row)
        label = row.kind_label
        kinds.setdefault(row.kind, Group(label, row.kind, tally=Tally(label, key=row.kind))).add(
            row
        )
    kind_order = {value: n for n, value in enumerate(OrganizationKind.values)}
    return RollUp(
        fiscal_year=fiscal_year,
        kind=kind,
        today=today,
        round_end=round_end(fiscal_year, kind),
        rows=shown,
        overall=overall,
        by_province=sorted(provinces.values(), key=lambda g: (g.label == NO_PROVINCE, g.label)),
        by_kind=sorted(kinds.values(), key=lambda g: kind_order.get(g.key, len(kind_order))),
    )
