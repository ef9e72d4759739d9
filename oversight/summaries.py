"""The roll-up's summary rows (models.RoundSummary): one per organization, fiscal
year and round kind, holding what the roll-up across agencies shows of it
(oversight.rollup), so that a page over 8,300 agencies reads 8,300 small rows
instead of counting 83,000 measures and their progress on every request.

Computing (`refresh`). The same aggregate queries the roll-up made live (measures
of the year and the late ones, progress rows by standing, divisions nobody has
reported for, regular divisions, the round and its publications), restricted to
the organizations given, joined and written in ONE statement: INSERT ... SELECT
... ON CONFLICT DO UPDATE, in the database, on PostgreSQL and SQLite alike. So a
refresh costs the same few queries for one agency as for 8,300 (bulk_create
would cut the rows into batches of SQLite's 999 parameters), reads one snapshot,
and never brings the rows into Python.

Time. "Late" depends on the date: a measure becomes late the day after its
deadline (the round's last day when it has none). A row computed on day
`computed_on` holds through `fresh_through`: the earliest deadline, today or
later, of a measure not settled (the round's end when such a measure has no
deadline and the round has not ended); far in the future when nothing can turn
late. A row is stale when today is past `fresh_through`, or when it was marked
changed (`fresh_through` NULL); readers refresh stale rows first (`refresh_stale`),
and `manage.py refresh_summaries` does it for operators (e.g. nightly).

Writes. Every service that changes what a row shows calls `changed(organization,
fiscal year)` inside its transaction: the rows of that year (both round kinds; every
year the organization has measures in when the year is None) are marked changed in
one statement, and refreshed once the transaction commits (`transaction.on_commit`;
should that fail, the next reader refreshes them). Inside a `collecting()` block
(every such service, and the import and the seed around many of them) the marks
wait for the end of the outermost block, so they are the transaction's last writes,
made in (year, organization, kind) order; a refresh locks one year and kind in
organization order, so the two never wait for each other in a circle. New agencies
need no mark (demo.generate_agencies: no row can exist before they are
committed); a write that goes around the services (the ORM in a shell) is seen
after `manage.py refresh_summaries --all`.

Concurrency (PostgreSQL, READ COMMITTED). A refresh first locks its rows, in
organization order: it creates the missing ones (an insert that waits for a write
creating the same row), then SELECT ... FOR UPDATE, which waits for every
transaction that has marked one of them to end. Only then does it compute, in a
statement of its own, whose snapshot therefore holds every write that marked those
rows before the lock. A write that marks a row while a refresh holds it waits for
the refresh to commit, then marks the row changed again. So a refresh never stores
counts older than a write that committed before it, and a write that commits after
it leaves the row marked. The mark being an upsert, a refresh cannot create a
missing row behind the back of a write in progress. Writers of one organization
queue at the mark, for the end of their transactions only: marks come last (see
Writes), so a writer waiting there holds nothing the one ahead of it needs. The
rows have no foreign keys in the database: their deferred checks at COMMIT made a
refresh and a write wait for each other. SQLite serialises writers (settings:
transaction_mode IMMEDIATE), so there a refresh runs between writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from catalogue.models import FiscalYear
from measures.models import Measure, MeasureDivision, Round
from organizations.models import Division, Organization
from oversight.models import RoundSummary
from progress.models import Progress, ReviewState

Status = Progress.Status
KINDS = tuple(Round.Kind.values)
# `fresh_through` of a row that no date can make stale.
FAR_FUTURE = date(9999, 12, 31)
TABLE = RoundSummary._meta.db_table
ORGANIZATIONS = Organization._meta.db_table
# A refresh of this many rows or more (the first reader's, the nightly command's)
# updates PostgreSQL's statistics of the table, so that its plans know its size.
ANALYZE_AFTER = 1000
IDS = "summary_ids"  # the statement's organizations (a CTE)
BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok_today() -> date:
    """Today in Thailand, whatever the server's time zone."""
    return timezone.localdate(timezone=BANGKOK)


def round_end(fiscal_year: FiscalYear, kind: int) -> date:
    return Round(fiscal_year=fiscal_year, kind=kind).end


# --- The aggregates, per organization of the statement's `summary_ids` -------------------


def _ids() -> RawSQL:
    return RawSQL(f"SELECT id FROM {IDS}", ())  # noqa: S611  (a constant)


def _settled(fiscal_year: FiscalYear, kind: int) -> QuerySet[Progress]:
    """The round's results that say done or "cannot" and have left the reporter's
    hands (progress.standing.settled): such a measure is never late."""
    return Progress.objects.filter(
        round__fiscal_year=fiscal_year,
        round__kind=kind,
        round__organization__in=_ids(),
        status__in=[Status.DONE, Status.CANNOT],
        review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED],
    )


def _measures(fiscal_year: FiscalYear, kind: int, today: date) -> QuerySet:
    """Per organization, its measures of the year; how many are late: past due
    (their own deadline, else the round's last day) and not settled; and when the
    next one could turn late (`next_due`, the earliest deadline today or later of a
    measure not settled; `undated`, those not settled without a deadline)."""
    ended = round_end(fiscal_year, kind) < today
    past_due = Q(deadline__lt=today) | Q(deadline__isnull=True) if ended else Q(deadline__lt=today)
    # The settled results, once, as a (hashed) set.
    unsettled = ~Q(pk__in=_settled(fiscal_year, kind).values("measure_id"))
    return (
        Measure.objects.filter(fiscal_year=fiscal_year, organization__in=_ids())
        .values(org=F("organization_id"))
        .annotate(
            measures=Count("pk"),
            late=Count("pk", filter=past_due & unsettled),
            next_due=Min("deadline", filter=unsettled & Q(deadline__gte=today)),
            undated=Count("pk", filter=unsettled & Q(deadline__isnull=True)),
        )
        .order_by()
    )


def _standings(fiscal_year: FiscalYear, kind: int) -> QuerySet:
    """Per organization, its progress rows of the round by standing (a measure has
    at most one per round), and the round's last change."""
    approved = Q(review_state=ReviewState.APPROVED)
    submitted = Q(review_state=ReviewState.SUBMITTED)
    return (
        Progress.objects.filter(
            round__fiscal_year=fiscal_year, round__kind=kind, round__organization__in=_ids()
        )
        .values(org=F("round__organization_id"))
        .annotate(
            progress_rows=Count("pk"),
            done=Count("pk", filter=approved & Q(status=Status.DONE)),
            cannot=Count("pk", filter=approved & Q(status=Status.CANNOT)),
            awaiting=Count("pk", filter=submitted),
            # Rows that still count as not started: not sent, and saying nothing yet.
            unstarted=Count("pk", filter=~submitted & Q(status=Status.NOT_STARTED)),
            last_activity=Max("updated_at"),
        )
        .order_by()
    )


def _unreported_divisions(fiscal_year: FiscalYear, kind: int) -> QuerySet:
    """Per organization, the responsible divisions of measures that nobody has
    reported on in the round (no progress row, or one not started and never sent),
    as the executive dashboard lists them: a measure of "ทุกส่วนราชการ" makes every
    regular division count, one of "ส่วนราชการที่เกี่ยวข้อง" counts as one row."""
    reported = (
        Progress.objects.filter(
            round__fiscal_year=fiscal_year, round__kind=kind, round__organization__in=_ids()
        )
        .exclude(status=Status.NOT_STARTED, review_state=ReviewState.DRAFT)
        .values("measure_id")
    )
    return (
        MeasureDivision.objects.filter(
            measure__fiscal_year=fiscal_year, measure__organization__in=_ids()
        )
        .exclude(measure_id__in=reported)
        .values(org=F("measure__organization_id"))
        .annotate(
            regular=Count(
                "division_id", distinct=True, filter=Q(division__kind=Division.Kind.REGULAR)
            ),
            every=Count("pk", filter=Q(division__kind=Division.Kind.ALL)),
            concerned=Count("pk", filter=Q(division__kind=Division.Kind.CONCERNED)),
        )
        .order_by()
    )


def _regular_divisions() -> QuerySet:
    """Per organization, its regular divisions (what "ทุกส่วนราชการ" stands for)."""
    return (
        Division.objects.filter(organization__in=_ids(), kind=Division.Kind.REGULAR)
        .values(org=F("organization_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def _rounds(fiscal_year: FiscalYear, kind: int) -> QuerySet:
    """Per organization, the round (open or not) and its newest publication that is
    not withdrawn: the version the public link serves (reports.selectors.published_pdf)."""
    served = Q(publications__withdrawn_at__isnull=True)
    return (
        Round.objects.filter(fiscal_year=fiscal_year, kind=kind, organization__in=_ids())
        .values("is_open", org=F("organization_id"))
        .annotate(
            version=Max("publications__version", filter=served),
            published_at=Max("publications__published_at", filter=served),
        )
        .order_by()
    )


# Whole percent rounded half up, never 100 before all nor 0 once some are done:
# oversight.dashboard.percent, in integer arithmetic.
PERCENT_SQL = (
    "CASE WHEN measures <= 0 THEN 0"
    " WHEN (200 * done + measures) / (2 * measures) = 100 AND done < measures THEN 99"
    " WHEN (200 * done + measures) / (2 * measures) = 0 AND done > 0 THEN 1"
    " ELSE (200 * done + measures) / (2 * measures) END"
)
COLUMNS = (
    "measures",
    "done",
    "awaiting_review",
    "in_progress",
    "not_started",
    "cannot",
    "done_percent",
    "late",
    "divisions_not_reported",
    "has_round",
    "round_open",
    "published_version",
    "published_at",
    "last_activity",
    "computed_on",
    "fresh_through",
)


def _ids_cte(organization_ids: list[int]) -> tuple[str, list]:
    marks = ", ".join(["%s"] * len(organization_ids))
    return (
        f"WITH {IDS}(id) AS (SELECT id FROM {ORGANIZATIONS} WHERE id IN ({marks}))",
        list(organization_ids),
    )


class _Statement:
    """SQL text and its parameters, written in the order they appear."""

    def __init__(self):
        self.text: list[str] = []
        self.params: list = []

    def add(self, text: str, params=()) -> _Statement:
        self.text.append(text)
        self.params += list(params)
        return self

    def sql(self) -> tuple[str, list]:
        return "\n".join(self.text), self.params


def _fresh_through(fiscal_year: FiscalYear, kind: int, today: date) -> tuple[str, list]:
    """The last day the row holds (see the module's docstring, Time), from the
    measures' `next_due` and `undated`."""
    end = round_end(fiscal_year, kind)
    if end < today:
        return "COALESCE(m.next_due, %s)", [FAR_FUTURE]
    # A measure without a deadline turns late the day after the round's end.
    return (
        "CASE WHEN m.next_due IS NOT NULL AND (COALESCE(m.undated, 0) = 0 OR m.next_due < %s)"
        " THEN m.next_due WHEN COALESCE(m.undated, 0) > 0 THEN %s ELSE %s END",
        [end, end, FAR_FUTURE],
    )


def _compute_statement(organization_ids: list[int], fiscal_year: FiscalYear, kind: int, today):
    """The one statement that computes the rows and stores them."""
    columns = ", ".join(["organization_id", "fiscal_year_id", "kind", *COLUMNS])
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)
    statement = _Statement().add(*_ids_cte(organization_ids))
    statement.add(
        f"""INSERT INTO {TABLE} ({columns})
        SELECT organization_id, %s, %s, measures, done, awaiting_review,
            measures - done - awaiting_review - cannot - not_started, not_started, cannot,
            {PERCENT_SQL}, late, divisions_not_reported, has_round, round_open,
            published_version, published_at, last_activity, %s, fresh_through
        FROM (
            SELECT o.id AS organization_id,
                COALESCE(m.measures, 0) AS measures,
                COALESCE(s.done, 0) AS done,
                COALESCE(s.awaiting, 0) AS awaiting_review,
                COALESCE(s.cannot, 0) AS cannot,
                COALESCE(m.measures, 0) - COALESCE(s.progress_rows, 0)
                    + COALESCE(s.unstarted, 0) AS not_started,
                COALESCE(m.late, 0) AS late,
                CASE WHEN COALESCE(u.every, 0) > 0 THEN COALESCE(r.n, 0)
                    ELSE COALESCE(u.regular, 0) END
                    + CASE WHEN COALESCE(u.concerned, 0) > 0 THEN 1 ELSE 0 END
                    AS divisions_not_reported,
                rd.org IS NOT NULL AS has_round,
                COALESCE(rd.is_open, FALSE) AS round_open,
                rd.version AS published_version,
                rd.published_at AS published_at,
                CASE WHEN rd.published_at IS NOT NULL
                    AND (s.last_activity IS NULL OR rd.published_at > s.last_activity)
                    THEN rd.published_at ELSE s.last_activity END AS last_activity,""",
        [fiscal_year.pk, kind, today],
    )
    fresh, fresh_params = _fresh_through(fiscal_year, kind, today)
    # From the organizations' own table, not the CTE: PostgreSQL then knows each join
    # below matches one row (its estimate over the CTE ran to billions of rows, enough
    # to compile the statement with JIT: seconds).
    statement.add(f"{fresh} AS fresh_through FROM {ORGANIZATIONS} o", fresh_params)
    for alias, queryset in (
        ("m", _measures(fiscal_year, kind, today)),
        ("s", _standings(fiscal_year, kind)),
        ("u", _unreported_divisions(fiscal_year, kind)),
        ("r", _regular_divisions()),
        ("rd", _rounds(fiscal_year, kind)),
    ):
        sql, params = queryset.query.sql_with_params()
        statement.add(f"LEFT JOIN ({sql}) {alias} ON {alias}.org = o.id", params)
    statement.add(
        f"""WHERE o.id IN (SELECT id FROM {IDS})
        ) AS t
        WHERE TRUE ORDER BY organization_id
        ON CONFLICT (organization_id, fiscal_year_id, kind) DO UPDATE SET {updates}"""
    )
    return statement.sql()


def _lock(cursor, organization_ids: list[int], fiscal_year: FiscalYear, kind: int) -> None:
    """Lock the rows in organization order, creating the missing ones first (marked
    changed). The insert waits for a transaction that is creating one of them (a
    write's mark), which SELECT ... FOR UPDATE could not see; the SELECT then waits
    for every transaction that has marked one. Neither writes a new version of a row
    that exists (the table's rows are rewritten often enough)."""
    with_ids, params = _ids_cte(organization_ids)
    cursor.execute(
        f"""{with_ids}
        INSERT INTO {TABLE} (organization_id, fiscal_year_id, kind)
        SELECT id, %s, %s FROM {IDS} WHERE TRUE ORDER BY id
        ON CONFLICT (organization_id, fiscal_year_id, kind) DO NOTHING""",
        [*params, fiscal_year.pk, kind],
    )
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(
        f"""{with_ids}
        SELECT id FROM {TABLE} WHERE fiscal_year_id = %s AND kind = %s
        AND organization_id IN (SELECT id FROM {IDS}) ORDER BY organization_id{lock}""",
        [*params, fiscal_year.pk, kind],
    )


def refresh(
    organization_ids: Iterable[int],
    fiscal_year: FiscalYear,
    kind: int,
    today: date,
    *,
    analyze: bool = True,
) -> None:
    """Compute the rows of these organizations for the round `kind` of the year, as
    of `today`, and store them: three statements whatever the number of organizations
    (and PostgreSQL's ANALYZE of the table after ANALYZE_AFTER rows or more)."""
    ids = sorted(set(organization_ids))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, ids, fiscal_year, kind)
        cursor.execute(*_compute_statement(ids, fiscal_year, kind, today))
    if analyze and len(ids) >= ANALYZE_AFTER:
        analyze_table()


def analyze_table() -> None:
    """Bring PostgreSQL's statistics of the table up to date (it may have grown by
    thousands of rows at once; autovacuum would do it later, or never when off)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")


def fresh(fiscal_year: FiscalYear, kind: int, today: date) -> QuerySet[RoundSummary]:
    """The rows of the round that hold on `today`."""
    return RoundSummary.objects.filter(
        fiscal_year=fiscal_year,
        kind=kind,
        computed_on__lte=today,
        fresh_through__gte=today,  # NULL (changed) never matches
    )


def refresh_stale(
    organizations: QuerySet[Organization], fiscal_year: FiscalYear, kind: int, today: date
) -> int:
    """Refresh the rows of these organizations that are stale or missing: one query
    when none is, and the refresh's three more otherwise. How many were refreshed."""
    current = fresh(fiscal_year, kind, today).filter(organization_id=OuterRef("pk"))
    ids = list(organizations.filter(~Exists(current)).order_by().values_list("pk", flat=True))
    refresh(ids, fiscal_year, kind, today)
    return len(ids)


# --- Writes: mark changed in the transaction, refresh after the commit --------------------


def _years(marks: set[tuple[int, int | None]]) -> dict[int, set[int]]:
    """{fiscal year id: organization ids}; an organization with no year given is
    marked in every year it has measures in."""
    years: dict[int, set[int]] = {}
    anywhere = {org for org, year in marks if year is None}
    found = (
        Measure.objects.filter(organization__in=anywhere)
        .values_list("fiscal_year_id", "organization_id")
        .distinct()
        if anywhere
        else []
    )
    for year, org in [(y, o) for o, y in marks if y is not None] + list(found):
        years.setdefault(year, set()).add(org)
    return years


def _mark(marks: set[tuple[int, int | None]]) -> None:
    years = _years(marks)
    if not years:
        return
    with connection.cursor() as cursor:
        for year in sorted(years):
            ids = sorted(years[year])
            with_ids, params = _ids_cte(ids)
            kinds = " UNION ALL ".join(f"SELECT {int(k)} AS kind" for k in KINDS)
            cursor.execute(
                f"""
                {with_ids}
                INSERT INTO {TABLE} (organization_id, fiscal_year_id, kind)
                SELECT o.id, %s, k.kind FROM {IDS} o CROSS JOIN ({kinds}) k
                WHERE TRUE ORDER BY o.id, k.kind
                ON CONFLICT (organization_id, fiscal_year_id, kind)
                DO UPDATE SET fresh_through = NULL
                """,
                [*params, year],
            )
    transaction.on_commit(lambda: _refresh_marked(years), robust=True)


def _refresh_marked(years: dict[int, set[int]]) -> None:
    """After the commit: refresh what the write marked (a failure leaves the rows
    marked, for the next reader to refresh)."""
    on = bangkok_today()
    for fiscal_year in FiscalYear.objects.filter(pk__in=years).order_by("pk"):
        for kind in KINDS:
            refresh(years[fiscal_year.pk], fiscal_year, kind, on)


def refresh_all(fiscal_years: Iterable[FiscalYear], *, everything: bool = False) -> int:
    """For operators (manage.py refresh_summaries): refresh the stale or missing rows
    of every organization (all of them with `everything`) in these years, both
    rounds, in chunks that keep each lock short. How many rows were refreshed."""
    on, refreshed = bangkok_today(), 0
    for fiscal_year in fiscal_years:
        for kind in KINDS:
            organizations = Organization.objects.all()
            if not everything:
                current = fresh(fiscal_year, kind, on).filter(organization_id=OuterRef("pk"))
                organizations = organizations.filter(~Exists(current))
            ids = list(organizations.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), REFRESH_CHUNK):
                chunk = ids[start : start + REFRESH_CHUNK]
                refresh(chunk, fiscal_year, kind, on, analyze=False)
            refreshed += len(ids)
    if refreshed >= ANALYZE_AFTER:
        analyze_table()
    return refreshed


REFRESH_CHUNK = 1000


def mark_changed(sender, marks: set[tuple[int, int | None]], **kwargs) -> None:
    """Receiver of organizations.changes.agency_data_changed: the rows those writes
    touched no longer hold (connected in OversightConfig.ready)."""
    _mark(marks)
