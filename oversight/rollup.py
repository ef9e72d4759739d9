"""The roll-up across agencies for overseers: every agency in the user's scope
(organizations.access.overseen_organizations) with where its measures stand in one
round, whether it published the round's report, and totals by province and by kind.

Each agency's round is one summary row (measures.models.RoundSummary), computed in
the database and kept up to date by oversight.summaries. A page costs the same few
queries whatever the number of agencies (ita_portal/tests and reports/tests assert
it at 20 and 200; scripts/bench_oversight.py times it at 8,300):

1. the agencies in scope whose row is stale or missing, refreshed at once when
   there are any (oversight.summaries.refresh_stale: one query, four more with a
   refresh: its transaction, the missing rows created, all locked, computed);
2. the totals by province and kind, one GROUP BY over the rows the filters keep
   (which also counts them for the pagination);
3. the page's rows, filtered, sorted (ties by name, then id) and cut in the database.

Python only builds the page's 50 rows and the groups. The export reads every row of
the filter in one query, a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Sum, Value, When

from catalogue.models import FiscalYear
from measures.models import Round
from oit.selectors import completeness
from organizations import access
from organizations.models import Organization, OrganizationKind
from oversight import summaries
from oversight.dashboard import STATUSES, Tally, bangkok_today, percent
from oversight.models import RoundSummary
from progress import standing
from results.selectors import weak_on

Standing = standing.Standing

KIND_LABELS = dict(OrganizationKind.choices)
DONE_AT = STATUSES.index(Standing.DONE)
NO_KIND = "ไม่ระบุประเภท"
NO_PROVINCE = "ไม่ระบุจังหวัด"
# The summary's column of each standing, in STATUSES order.
COUNT_FIELDS = tuple(
    {
        Standing.DONE: "done",
        Standing.AWAITING_REVIEW: "awaiting_review",
        Standing.IN_PROGRESS: "in_progress",
        Standing.NOT_STARTED: "not_started",
        Standing.CANNOT: "cannot",
    }[s]
    for s in STATUSES
)


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
    # An indicator's number in the previous year's catalogue: agencies weak on it
    # in that year's assessment (results.selectors.weak_on).
    weak: str = ""
    # "complete" or "incomplete": the agency's OIT items of the year (oit.selectors).
    oit: str = ""


def _kind_rank() -> Case:
    """Agencies' kinds in the order of their Thai labels (no kind: "ไม่ระบุประเภท")."""
    labels = sorted({*KIND_LABELS.values(), NO_KIND})
    rank = {label: n for n, label in enumerate(labels)}
    return Case(
        *(When(organization__kind=v, then=Value(rank[label])) for v, label in KIND_LABELS.items()),
        default=Value(rank[NO_KIND]),
    )


@dataclass(frozen=True)
class Sort:
    label: str
    keys: tuple
    # Where a missing value goes: after every value (a blank province) or before
    # them (never published, no activity).
    blank_last: bool = True


# Sort keys the page offers. Descending ones start with "-" in the address; ties
# are broken by the agency's name, then its id, always ascending.
SORTS: dict[str, Sort] = {
    "name": Sort("ชื่อหน่วยงาน", (F("organization__name"),)),
    "province": Sort(
        "จังหวัด", (F("organization__province__name"), F("organization__district__name"))
    ),
    "kind": Sort("ประเภทหน่วยงาน", (_kind_rank(),)),
    "measures": Sort("จำนวนมาตรการ", (F("measures"),)),
    "done": Sort("ร้อยละแล้วเสร็จ", (F("done_percent"), F("done"))),
    "late": Sort("มาตรการที่เลยกำหนด", (F("late"),)),
    "not_reported": Sort("ส่วนราชการที่ยังไม่รายงาน", (F("divisions_not_reported"),)),
    "published": Sort("วันที่เผยแพร่", (F("published_at"),), blank_last=False),
    "activity": Sort("ความเคลื่อนไหวล่าสุด", (F("last_activity"),), blank_last=False),
}
DEFAULT_SORT = "-late"


def ordering(sort: str) -> list:
    """The ORDER BY of a sort the page offers (an unknown one sorts by name)."""
    descending = sort.startswith("-")
    chosen = SORTS.get(sort.lstrip("-"), SORTS["name"])
    order = []
    for key in chosen.keys:
        # A blank counts as larger than any value, or smaller, in both directions.
        nulls_high = chosen.blank_last
        if descending:
            order.append(key.desc(nulls_first=True) if nulls_high else key.desc(nulls_last=True))
        else:
            order.append(key.asc(nulls_last=True) if nulls_high else key.asc(nulls_first=True))
    return [*order, F("organization__name").asc(), F("organization_id").asc()]


def sort_choices() -> list[tuple[str, str]]:
    choices = []
    for key, chosen in SORTS.items():
        choices.append((key, f"{chosen.label} (น้อยไปมาก)"))
        choices.append((f"-{key}", f"{chosen.label} (มากไปน้อย)"))
    return choices


ROW_FIELDS = (
    "organization_id",
    "organization__slug",
    "organization__name",
    "organization__kind",
    "organization__origin",
    "organization__province__name",
    "organization__district__name",
    *COUNT_FIELDS,
    "late",
    "divisions_not_reported",
    "has_round",
    "round_open",
    "published_version",
    "published_at",
    "last_activity",
)
WIDTH = len(STATUSES)


def _row(values: tuple) -> AgencyRow:
    pk, slug, name, kind, origin, province, district = values[:7]
    counts = values[7 : 7 + WIDTH]
    late, unreported, has_round, is_open, version, published_at, last = values[7 + WIDTH :]
    return AgencyRow(
        pk,
        slug,
        name,
        kind,
        origin,
        province or "",
        district or "",
        counts=tuple(counts),
        late=late,
        divisions_not_reported=unreported,
        has_round=has_round,
        round_open=is_open,
        published_version=version,
        published_at=published_at,
        last_activity=last,
    )


class Rows:
    """The agencies the roll-up shows, in its order: a slice is one query (the page's
    rows), iterating reads them all in one query, a chunk at a time (the export).
    Counted by the totals (RollUp.overall), so a Paginator asks no COUNT of its own."""

    def __init__(self, queryset: QuerySet, count):
        self._queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self._count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_row(values) for values in self._queryset[index]]
        return self[index : index + 1][0]

    def __iter__(self) -> Iterator[AgencyRow]:
        for values in self._queryset.iterator(chunk_size=2000):
            yield _row(values)


@dataclass
class RollUp:
    fiscal_year: FiscalYear
    kind: int
    today: date
    round_end: date
    # The summary rows the filters keep, unordered.
    summaries: QuerySet[RoundSummary]
    sort: str = DEFAULT_SORT
    # The previous year's catalogue (oversight.weakness), set by the page.
    assessed_indicators: list = field(default_factory=list)

    counting_note = standing.COUNTING_NOTE

    @property
    def round_label(self) -> str:
        return Round.Kind(self.kind).label

    @property
    def assessed_year(self) -> int:
        """The assessment this year's measures answer: the year before."""
        return self.fiscal_year.year - 1

    @cached_property
    def rows(self) -> Rows:
        ordered = self.summaries.order_by(*ordering(self.sort)).values_list(*ROW_FIELDS)
        return Rows(ordered, lambda: self.overall.agencies)

    @cached_property
    def _groups(self) -> tuple[Group, list[Group], list[Group]]:
        """Totals by province and by kind: one GROUP BY over the rows shown, summed
        into (province, kind) cells, then the cells into groups."""
        cells = self.summaries.values_list(
            "organization__province__name", "organization__kind"
        ).annotate(
            n=Count("pk"),
            n_published=Count("pk", filter=Q(published_version__isnull=False)),
            n_behind=Count("pk", filter=Q(late__gt=0)),
            n_late=Sum("late"),
            **{f"n_{name}": Sum(name) for name in COUNT_FIELDS},
        )
        overall = Group("ทุกหน่วยงานที่แสดง", "all", tally=Tally("ทุกหน่วยงานที่แสดง", key="all"))
        provinces: dict[str, Group] = {}
        kinds: dict[str, Group] = {}
        for province, kind, *cell in cells.order_by():
            name = province or NO_PROVINCE
            label = KIND_LABELS.get(kind, NO_KIND)
            for group in (
                overall,
                provinces.setdefault(name, Group(name, name, tally=Tally(name, key=name))),
                kinds.setdefault(kind, Group(label, kind, tally=Tally(label, key=kind))),
            ):
                group.add_cell(cell)
        kind_order = {value: n for n, value in enumerate(OrganizationKind.values)}
        return (
            overall,
            sorted(provinces.values(), key=lambda g: (g.label == NO_PROVINCE, g.label)),
            sorted(kinds.values(), key=lambda g: kind_order.get(g.key, len(kind_order))),
        )

    @property
    def overall(self) -> Group:
        return self._groups[0]

    @property
    def by_province(self) -> list[Group]:
        return self._groups[1]

    @property
    def by_kind(self) -> list[Group]:
        return self._groups[2]


def round_end(fiscal_year: FiscalYear, kind: int) -> date:
    return summaries.round_end(fiscal_year, kind)


def _narrowed(queryset: QuerySet, filters: Filters, path: str = "") -> QuerySet:
    """`queryset` (of organizations, or of rows through `path`) narrowed to the
    province, district, kind and name asked for."""
    conditions = {
        "province_id": filters.province_id,
        "district_id": filters.district_id,
        "kind": filters.kind,
        "name__icontains": filters.search,
    }
    return queryset.filter(**{path + key: value for key, value in conditions.items() if value})


def scoped_organizations(user, filters: Filters) -> QuerySet[Organization]:
    return _narrowed(access.overseen_organizations(user), filters)


def _oit_matching(organizations: QuerySet, fiscal_year: FiscalYear, wanted: str) -> list[int]:
    """The agencies whose OIT items of the year are all linked ("complete") or not
    yet ("incomplete"): completeness over every agency the other filters keep (a few
    queries whatever their number); a year without items has neither."""
    counts = completeness(organizations.values_list("pk", flat=True), fiscal_year)
    complete = wanted == "complete"
    return [pk for pk, (done, total) in counts.items() if total and (done == total) == complete]


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
    summaries.refresh_stale(organizations, fiscal_year, kind, today)
    rows = RoundSummary.objects.filter(fiscal_year=fiscal_year, kind=kind)
    if access.oversees_everything(user):
        # No condition on agencies but the filters' own (no second scan of them all).
        rows = _narrowed(rows, filters, "organization__")
    else:
        rows = rows.filter(organization__in=organizations)
    if filters.published:
        rows = rows.filter(published_version__isnull=filters.published == "no")
    if filters.behind:
        rows = rows.filter(late__gt=0)
    if filters.weak:
        rows = rows.filter(weak_on(OuterRef("organization_id"), fiscal_year.year - 1, filters.weak))
    if filters.oit:
        rows = rows.filter(
            organization_id__in=_oit_matching(organizations, fiscal_year, filters.oit)
        )
    return RollUp(
        fiscal_year=fiscal_year,
        kind=kind,
        today=today,
        round_end=round_end(fiscal_year, kind),
        summaries=rows,
        sort=sort,
    )
