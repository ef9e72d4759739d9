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

from django.db.models import Count, Max, Q, QuerySet

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
DONE_AT = STATUSES.index(Standing.DONE)
NO_KIND = "ไม่ระบุประเภท"
NO_PROVINCE = "ไม่ระบุจังหวัด"


@dataclass(slots=True)
class AgencyRow:
    pk: int
    slug: str
    name: str
    kind: str
    origin: str
    province: str
    district: str
    # Measures in each standing, in STATUSES order.
    counts: tuple[int, ...] = (0,) * len(STATUSES)
    late: int = 0
    divisions_not_reported: int = 0
    has_round: bool = False
    round_open: bool = False
    published_version: int | None = None
    published_at: datetime | None = None
    last_activity: datetime | None = None

    @property
    def tally(self) -> Tally:
        return Tally(
            self.name, key=str(self.pk), counts=dict(zip(STATUSES, self.counts, strict=True))
        )

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, NO_KIND)

    @property
    def origin_label(self) -> str:
        return Organization.Origin(self.origin).label if self.origin else ""

    @property
    def measures(self) -> int:
        return sum(self.counts)

    @property
    def done(self) -> int:
        return self.counts[DONE_AT]

    @property
    def done_percent(self) -> int:
        return percent(self.counts[DONE_AT], sum(self.counts))

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

    def add_cell(self, cell: list[int]) -> None:
        """Add agencies counted together: [agencies, published, behind, late, then the
        measures in each standing, in STATUSES order]."""
        self.agencies += cell[0]
        self.published += cell[1]
        self.behind += cell[2]
        self.late += cell[3]
        counts = self.tally.counts
        for status, count in zip(STATUSES, cell[4:], strict=True):
            counts[status] += count

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
    "done": ("ร้อยละแล้วเสร็จ", lambda r: (r.done_percent, r.done)),
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


def _narrowed(filters: Filters) -> bool:
    return bool(filters.province_id or filters.district_id or filters.kind or filters.search)


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


def _within(queryset: QuerySet, path: str, organizations: QuerySet[Organization] | None):
    """`queryset` narrowed to the agencies shown; None: every agency (no condition,
    so that the database scans once instead of joining every agency again)."""
    if organizations is None:
        return queryset
    return queryset.filter(**{f"{path}__in": organizations})


def _agencies(organizations: QuerySet[Organization]) -> dict[int, AgencyRow]:
    """Query 1: the agencies with their names and places."""
    rows = organizations.values_list(
        "pk", "slug", "name", "kind", "origin", "province__name", "district__name"
    )
    return {
        pk: AgencyRow(pk, slug, name, kind, origin, province or "", district or "")
        for pk, slug, name, kind, origin, province, district in rows
    }


def _settled(fiscal_year: FiscalYear, kind: int) -> QuerySet[Progress]:
    """The round's results that say done or "cannot" and have left the reporter's
    hands (measures.standing.settled): such a measure is never late."""
    return Progress.objects.filter(
        round__fiscal_year=fiscal_year,
        round__kind=kind,
        status__in=[Status.DONE, Status.CANNOT],
        review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
    )


def _measures(
    organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int, today: date
):
    """Query 2: per agency, its measures of the year and how many are late: past due
    (their own deadline, else the round's last day) and not settled. The settled
    ones are one uncorrelated subquery (a hashed set in PostgreSQL)."""
    if round_end(fiscal_year, kind) < today:
        past_due = Q(deadline__lt=today) | Q(deadline__isnull=True)
    else:
        past_due = Q(deadline__lt=today)
    # The settled results of the same agencies, once, as a (hashed) set.
    settled = _within(_settled(fiscal_year, kind), "round__organization", organizations)
    unsettled = ~Q(pk__in=settled.values("measure_id"))
    return (
        _within(Measure.objects.filter(fiscal_year=fiscal_year), "organization", organizations)
        .values("organization")
        .annotate(
            measures=Count("pk"),
            late=Count("pk", filter=past_due & unsettled),
        )
        .order_by()
        .values_list("organization", "measures", "late")
    )


def _standings(organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int):
    """Query 3: per agency, its progress rows of the round by standing (a measure has
    at most one per round), and the round's last change."""
    approved = Q(review_state=ReviewState.APPROVED)
    submitted = Q(review_state=ReviewState.SUBMITTED)
    return (
        _within(
            Progress.objects.filter(round__fiscal_year=fiscal_year, round__kind=kind),
            "round__organization",
            organizations,
        )
        .values("round__organization")
        .annotate(
            rows=Count("pk"),
            done=Count("pk", filter=approved & Q(status=Status.DONE)),
            cannot=Count("pk", filter=approved & Q(status=Status.CANNOT)),
            awaiting=Count("pk", filter=submitted),
            # Rows that still count as not started: not sent, and saying nothing yet.
            unstarted=Count("pk", filter=~submitted & Q(status=Status.NOT_STARTED)),
            last_activity=Max("updated_at"),
        )
        .order_by()
        .values_list(
            "round__organization",
            "rows",
            "done",
            "cannot",
            "awaiting",
            "unstarted",
            "last_activity",
        )
    )


def _unreported_divisions(organization_ids: list[int], fiscal_year: FiscalYear, kind: int):
    """Per agency of `organization_ids`, the responsible divisions of measures that nobody has
    reported on in the round (no progress row, or one not started and never sent),
    as the executive dashboard lists them: a measure of "ทุกส่วนราชการ" makes every
    regular division count, one of "ส่วนราชการที่เกี่ยวข้อง" counts as one row."""
    reported = (
        Progress.objects.filter(round__fiscal_year=fiscal_year, round__kind=kind)
        .exclude(status=Status.NOT_STARTED, review_state=ReviewState.DRAFT)
        .values("measure_id")
    )
    return (
        MeasureDivision.objects.filter(
            measure__fiscal_year=fiscal_year, measure__organization__in=organization_ids
        )
        .exclude(measure_id__in=reported)
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


def _regular_divisions(organization_ids: list[int]):
    """Per agency, its regular divisions (what "ทุกส่วนราชการ" stands for)."""
    return (
        Division.objects.filter(organization__in=organization_ids, kind=Division.Kind.REGULAR)
        .values("organization")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organization", "n")
    )


def _rounds(organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int):
    """Query 4: per agency, the round (open or not) and its newest publication."""
    return (
        _within(
            Round.objects.filter(fiscal_year=fiscal_year, kind=kind), "organization", organizations
        )
        .annotate(
            version=Max("publications__version"), published_at=Max("publications__published_at")
        )
        .values_list("organization_id", "is_open", "version", "published_at")
    )


def attach_unreported(rows: list[AgencyRow], fiscal_year: FiscalYear, kind: int) -> None:
    """Set `divisions_not_reported` on these rows: two queries (the page's rows only,
    unless the page sorts by it or the export asks for every row)."""
    if not rows:
        return
    by_pk = {row.pk: row for row in rows}
    ids = list(by_pk)
    unreported = list(_unreported_divisions(ids, fiscal_year, kind))
    regular = dict(_regular_divisions(ids))
    for pk, regular_unreported, every, concerned in unreported:
        by_pk[pk].divisions_not_reported = (regular.get(pk, 0) if every else regular_unreported) + (
            1 if concerned else 0
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
    if access.oversees_everything(user) and not _narrowed(filters):
        organizations = None
    done_at, awaiting_at, progress_at, unstarted_at, cannot_at = (
        STATUSES.index(s)
        for s in (
            Standing.DONE,
            Standing.AWAITING_REVIEW,
            Standing.IN_PROGRESS,
            Standing.NOT_STARTED,
            Standing.CANNOT,
        )
    )
    totals = {}
    for pk, measures, late in _measures(organizations, fiscal_year, kind, today):
        if pk in rows:
            rows[pk].late = late
            totals[pk] = measures
    for pk, with_row, done, cannot, awaiting, unstarted, last in _standings(
        organizations, fiscal_year, kind
    ):
        row = rows.get(pk)
        if row is None:
            continue
        measures = totals.pop(pk, 0)
        counts = [0] * len(STATUSES)
        counts[done_at], counts[cannot_at], counts[awaiting_at] = done, cannot, awaiting
        counts[unstarted_at] = measures - with_row + unstarted
        counts[progress_at] = measures - done - cannot - awaiting - counts[unstarted_at]
        row.counts = tuple(counts)
        row.last_activity = last
    for pk, measures in totals.items():  # measures without a progress row in the round
        counts = [0] * len(STATUSES)
        counts[unstarted_at] = measures
        rows[pk].counts = tuple(counts)

    for pk, is_open, version, published_at in _rounds(organizations, fiscal_year, kind):
        row = rows.get(pk)
        if row is not None:
            row.has_round, row.round_open = True, is_open
            row.published_version, row.published_at = version, published_at
            if published_at and (row.last_activity is None or published_at > row.last_activity):
                row.last_activity = published_at

    shown = [row for row in rows.values() if _matches(row, filters)]
    if sort.lstrip("-") == "not_reported":
        attach_unreported(shown, fiscal_year, kind)
    shown = sort_rows(shown, sort)
    # Totals by province and by kind: one pass summing into (province, kind) cells,
    # then the cells into groups.
    cells: dict[tuple[str, str], list[int]] = {}
    width = len(STATUSES)
    for row in shown:
        cell = cells.get((row.province, row.kind))
        if cell is None:
            cell = cells[(row.province, row.kind)] = [0] * (4 + width)
        cell[0] += 1
        cell[1] += row.published_version is not None
        cell[2] += row.late > 0
        cell[3] += row.late
        for i, count in enumerate(row.counts, 4):
            cell[i] += count
    overall = Group("ทุกหน่วยงานที่แสดง", "all", tally=Tally("ทุกหน่วยงานที่แสดง", key="all"))
    provinces: dict[str, Group] = {}
    kinds: dict[str, Group] = {}
    for (province, kind_), cell in cells.items():
        name = province or NO_PROVINCE
        label = KIND_LABELS.get(kind_, NO_KIND)
        for group in (
            overall,
            provinces.setdefault(name, Group(name, name, tally=Tally(name, key=name))),
            kinds.setdefault(kind_, Group(label, kind_, tally=Tally(label, key=kind_))),
        ):
            group.add_cell(cell)
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
