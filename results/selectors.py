"""Reading results for other pages: the previous year's result of an agency beside
the measures of this year (the executive dashboard's "ผลการประเมินปีก่อน").

The catalogue is kept per fiscal year, so last year's indicator and this year's
measure's indicator are different rows: they are matched by tool code and
indicator number (IIT 1 of 2565 is IIT 1 of 2566)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Q

from catalogue.models import Indicator
from results.models import IndicatorScore, ITAResult, weak_key


def indicator_key(indicator: Indicator) -> tuple[str, str]:
    return (indicator.tool.code, indicator.number)


@dataclass
class IndicatorRow:
    indicator: Indicator  # of the assessed year
    score: Decimal
    weak: bool
    measures: list = field(default_factory=list)  # this year's measures answering it

    @property
    def unanswered(self) -> bool:
        """A weak point no measure of this year answers."""
        return self.weak and not self.measures


@dataclass
class PreviousYear:
    year: int  # the assessed year (the dashboard's year - 1)
    result: ITAResult | None
    rows: list[IndicatorRow]
    off_weak: list  # this year's measures answering no weak indicator

    @property
    def weak(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.weak]

    @property
    def unanswered(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.unanswered]


def previous_year(organization_id: int, year: int, measures) -> PreviousYear:
    """The agency's result of `year - 1` with this year's `measures` (their indicator
    and tool loaded) beside each indicator: one query, whatever the number of
    measures."""
    scores = list(
        IndicatorScore.objects.filter(
            result__organization_id=organization_id, result__fiscal_year__year=year - 1
        )
        .select_related("result", "indicator__tool")
        .order_by("indicator__tool__order", "indicator__tool__code", "indicator__order")
    )
    if not scores:
        return PreviousYear(year - 1, None, [], [])
    result = scores[0].result
    rows = {
        indicator_key(s.indicator): IndicatorRow(s.indicator, s.score, s.score < result.target)
        for s in scores
    }
    off_weak = []
    for measure in measures:
        row = rows.get(indicator_key(measure.indicator))
        if row is not None:
            row.measures.append(measure)
        if row is None or not row.weak:
            off_weak.append(measure)
    return PreviousYear(year - 1, result, list(rows.values()), off_weak)


# --- Across agencies: the overseers' roll-up (oversight.rollup) ---------------------------


def weak_on(organization_ref, year: int, number: str) -> Exists:
    """The agency (`organization_ref`, an OuterRef to its id) was weak in `year` on the
    indicator numbered `number` in that year's catalogue (below its target: one row
    per agency, ITAResult.weak_numbers)."""
    return Exists(
        ITAResult.objects.filter(
            organization_id=organization_ref,
            fiscal_year__year=year,
            weak_numbers__contains=weak_key(number),
        )
    )


@dataclass
class AgencyResult:
    total: Decimal
    grade: str
    weak: list[str] = field(default_factory=list)  # indicator numbers, catalogue order


def results_of(organization_ids, year: int) -> dict[int, AgencyResult]:
    """The `year` results of these agencies (a page of the roll-up): total, grade and
    the numbers of their weak indicators. One query."""
    scores = (
        IndicatorScore.objects.filter(
            result__organization_id__in=list(organization_ids), result__fiscal_year__year=year
        )
        .order_by("indicator__tool__order", "indicator__tool__code", "indicator__order")
        .values_list(
            "result__organization_id",
            "result__total",
            "result__grade",
            "result__target",
            "indicator__number",
            "score",
        )
    )
    found: dict[int, AgencyResult] = {}
    for organization_id, total, grade, target, number, score in scores:
        result = found.setdefault(organization_id, AgencyResult(total, grade))
        if score < target:
            result.weak.append(number)
    return found


def weak_counts(organization_ids, year: int, numbers: list[str]):
    """How many of these agencies (a subquery of their ids) had a result in `year`,
    and how many were weak on each of the indicators `numbers`, by province and kind:
    one GROUP BY over one row per agency. Rows of (province name, kind, assessed,
    weak on numbers[0], weak on numbers[1], ...)."""
    weak = {
        f"weak_{n}": Count("pk", filter=Q(weak_numbers__contains=weak_key(number)))
        for n, number in enumerate(numbers)
    }
    return (
        ITAResult.objects.filter(fiscal_year__year=year, organization_id__in=organization_ids)
        .values_list("organization__province__name", "organization__kind")
        .annotate(assessed=Count("pk"), **weak)
        .order_by()
    )


@dataclass
class YearResult:
    year: int
    result: ITAResult
    scores: dict[tuple[str, str], IndicatorScore]  # (tool code, number) -> score
    change: Decimal | None = None  # the total's change from the year before, if known


def trend(organization_id: int) -> tuple[list[YearResult], list[Indicator]]:
    """The agency's result of every assessed year, oldest first, with each
    indicator's score (matched across the years' catalogues by tool and number) and
    the total's change from the year before; and the indicators as columns (the
    newest year's wording). One query."""
    scores = (
        IndicatorScore.objects.filter(result__organization_id=organization_id)
        .select_related("result__fiscal_year", "indicator__tool")
        .order_by(
            "result__fiscal_year__year",
            "indicator__tool__order",
            "indicator__tool__code",
            "indicator__order",
        )
    )
    years: dict[int, YearResult] = {}
    columns: dict[tuple[str, str], Indicator] = {}
    for score in scores:
        year = score.result.fiscal_year.year
        row = years.setdefault(year, YearResult(year, score.result, {}))
        row.scores[indicator_key(score.indicator)] = score
        columns[indicator_key(score.indicator)] = score.indicator
    rows = list(years.values())
    for before, after in zip(rows, rows[1:], strict=False):
        if after.year == before.year + 1:
            after.change = after.result.total - before.result.total
    return rows, list(columns.values())


def totals_of(organization_ids, year: int) -> dict[int, tuple[Decimal, str, list[str]]]:
    """(total, grade, weak indicator numbers) of `year` for each of these agencies (ids
    or a subquery of them; the roll-up's export): one query over one row per agency."""
    found = ITAResult.objects.filter(
        fiscal_year__year=year, organization_id__in=organization_ids
    ).values_list("organization_id", "total", "grade", "weak_numbers")
    return {
        pk: (total, grade, weak.strip(",").split(",") if weak else [])
        for pk, total, grade, weak in found
    }
