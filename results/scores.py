"""Reading what people type or a sheet holds as the assessment's scores, and one
agency's result as read (`Entry`), before results.services writes it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from catalogue.models import FiscalYear, Indicator
from organizations.models import Organization
from results.models import PASS_MARK, Grade, ITAResult, grade_of
from thai import conventions as thai

TWO_PLACES = Decimal("0.01")


class ScoreError(ValueError):
    """A score that cannot be read; the message is Thai and names no field."""


def read_score(value) -> Decimal:
    """A score as typed or as a spreadsheet holds it: "85.25", "๘๕.๒๕", 85.25.
    Two decimals at most (a spreadsheet's float is rounded to two, as it shows
    it), 0 to 100. Raises ScoreError."""
    if isinstance(value, bool) or value is None:
        raise ScoreError("กรุณากรอกคะแนน")
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if isinstance(value, float):
            number = number.quantize(TWO_PLACES, ROUND_HALF_UP)
    else:
        text = thai.to_arabic_digits(str(value)).strip().replace(",", "")
        if not text:
            raise ScoreError("กรุณากรอกคะแนน")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ScoreError(f"“{value}” ไม่ใช่ตัวเลข กรุณากรอกคะแนนเช่น 85.25 หรือ ๘๕.๒๕") from None
        if not number.is_finite():
            raise ScoreError(f"“{value}” ไม่ใช่ตัวเลข กรุณากรอกคะแนนเช่น 85.25 หรือ ๘๕.๒๕")
    if number != number.quantize(TWO_PLACES, ROUND_HALF_UP):
        raise ScoreError(f"คะแนน {value} มีทศนิยมเกิน 2 ตำแหน่ง")
    if not Decimal(0) <= number <= Decimal(100):
        raise ScoreError(f"คะแนน {value} อยู่นอกช่วง 0 ถึง 100")
    return number.quantize(TWO_PLACES)


def read_grade(value) -> str:
    """A grade band as printed ("AA", "a", " B "); "" when none is given."""
    text = str(value or "").strip().upper()
    if text and text not in Grade.values:
        raise ScoreError(f"“{value}” ไม่ใช่ระดับผลการประเมิน (AA, A, B, C, D, E หรือ F)")
    return text


def indicator_label(indicator: Indicator) -> str:
    return f"ตัวชี้วัดที่ {indicator.number} {indicator.name}"


def catalogue_indicators(fiscal_year: FiscalYear) -> list[Indicator]:
    """The year's indicators in the catalogue's order, with their tools: one query."""
    return list(
        Indicator.objects.filter(tool__fiscal_year=fiscal_year)
        .select_related("tool")
        .order_by("tool__order", "tool__code", "order", "number")
    )


@dataclass
class Entry:
    """One agency's result as read, before it is written."""

    organization: Organization
    total: Decimal
    grade: str  # "" when the source gives none
    scores: dict[int, Decimal]  # indicator pk -> score
    target: Decimal | None = None  # None: keep the agency's own (or the pass mark)

    def values(self, existing: ITAResult | None) -> dict:
        grade = self.grade or grade_of(self.total)
        target = self.target if self.target is not None else getattr(existing, "target", PASS_MARK)
        return {
            "total": self.total,
            "grade": grade,
            "grade_derived": not self.grade,
            "target": target,
        }
