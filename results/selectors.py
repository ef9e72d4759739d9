"""Reading results for other pages: the previous year's result of an agency beside
the measures of this year (the executive dashboard's "ผลการประเมินปีก่อน").

The catalogue is kept per fiscal year, so last year's indicator and this year's
measure's indicator are different rows: they are matched by tool code and
indicator number (IIT 1 of 2565 is IIT 1 of 2566)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from catalogue.models import Indicator
from results.models import IndicatorScore, ITAResult


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
