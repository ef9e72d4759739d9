"""Thai conventions: Buddhist Era years, fiscal years, Thai digits, Thai dates.

Pure Python (no Django) so reports, forms and exports can share one implementation.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

__all__ = [
    "BE_OFFSET",
    "THAI_MONTHS",
    "THAI_MONTHS_ABBR",
    "ThaiDateError",
    "be_year",
    "ce_year",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_month_year",
    "format_thai_date",
    "format_thai_number",
    "localize_digits",
    "parse_thai_date",
    "thai_month_name",
    "to_arabic_digits",
    "to_thai_digits",
]

BE_OFFSET = 543
# Years below this are taken to be CE typed by mistake (BE 2400 = CE 1857).
MIN_BE_YEAR = 2400

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_ARABIC_DIGITS = "0123456789"
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans(_ARABIC_DIGITS, _THAI_DIGITS)
_TO_ARABIC = str.maketrans(_THAI_DIGITS, _ARABIC_DIGITS)


# --- Buddhist Era and fiscal year -------------------------------------------------------------


def be_year(ce_year: int) -> int:
    """Convert a CE (Gregorian) year to a Buddhist Era year."""
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    """Convert a Buddhist Era year to a CE (Gregorian) year."""
    return be_year - BE_OFFSET


def fiscal_year_of(d: date) -> int:
    """Thai fiscal year (BE) containing ``d``; FY runs 1 Oct - 30 Sep, named by its end year."""
    return be_year(d.year + 1 if d.month >= 10 else d.year)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy_be`` (e.g. 2566 -> 2022-10-01, 2023-09-30)."""
    end_ce = ce_year(fy_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


# --- Digits and numbers -----------------------------------------------------------------------


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits 0-9 with Thai digits ๐-๙."""
    return text.translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ๐-๙ with Arabic digits 0-9."""
    return text.translate(_TO_ARABIC)


def localize_digits(text: str, thai: bool) -> str:
    """Return ``text`` with Thai digits if ``thai`` is true, otherwise with Arabic digits."""
    return to_thai_digits(text) if thai else to_arabic_digits(text)


def normalize_sara_am(text: str) -> str:
    """Write SARA AM as the one character ำ where text copied from old PDFs
    has NIKHAHIT + SARA AA (ํ + า), which looks the same but searches and
    extracts differently (and upsets the PDF text layer of every ำ after it)."""
    return text.replace("\u0e4d\u0e32", "\u0e33")


def format_thai_number(
    n: float | Decimal, thai_digits: bool = False, *, decimals: int | None = None
) -> str:
    """Format a number with thousands separators ("1,234"), optionally fixed decimals."""
    text = f"{n:,}" if decimals is None else f"{n:,.{decimals}f}"
    return localize_digits(text, thai_digits)


# --- Dates ------------------------------------------------------------------------------------


def thai_month_name(month: int, *, abbr: bool = False) -> str:
    """Thai name of ``month`` (1-12), full or abbreviated."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    return (THAI_MONTHS_ABBR if abbr else THAI_MONTHS)[month - 1]


def format_thai_date(d: date, *, abbr: bool = False, thai_digits: bool = False) -> str:
    """Format as "18 เมษายน 2566" (``abbr``: "18 เม.ย. 2566"; ``thai_digits``: "๑๘ ...")."""
    text = f"{d.day} {thai_month_name(d.month, abbr=abbr)} {be_year(d.year)}"
    return localize_digits(text, thai_digits)


def format_month_year(d: date, *, abbr: bool = False, thai_digits: bool = False) -> str:
    """Format as "ตุลาคม 2565" (``abbr``: "ต.ค. 2565")."""
    text = f"{thai_month_name(d.month, abbr=abbr)} {be_year(d.year)}"
    return localize_digits(text, thai_digits)


class ThaiDateError(ValueError):
    """A date string could not be read; the message is Thai and suitable for end users."""


def _month_key(name: str) -> str:
    """Normalise a month token: drop dots, commas, separators and whitespace."""
    return re.sub(r"[\s.,/-]", "", name)


_MONTH_LOOKUP: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True), start=1):
    _MONTH_LOOKUP[_month_key(_full)] = _i
    _MONTH_LOOKUP[_month_key(_abbr)] = _i
_MONTH_LOOKUP["กรกฏาคม"] = 7  # common misspelling (ฏ instead of ฎ); unambiguous

_FORMAT_HINT = "กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566"
_YEAR_HINT = "กรุณาระบุปี พ.ศ. เป็นตัวเลข 4 หลัก เช่น 2566"

_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMERIC_RE = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]+)")
# The month part must contain at least one letter.
_TEXT_RE = re.compile(r"([0-9]{1,2})\s*([^0-9]*?[^\W0-9_][^0-9]*?)\s*([0-9]+)")
# Optional era marker between month and year: "พ.ศ." (accepted) or "ค.ศ." (rejected).
_ERA_RE = re.compile(r"(.*?)\s*(พ|ค)\s*\.?\s*ศ\s*\.?")


def _build_date(original: str, day: int, month: int, ce: int) -> date:
    """Validate day/month for CE year ``ce`` and return the date or raise ThaiDateError."""
    if not 1 <= month <= 12:
        raise ThaiDateError(f'อ่านวันที่ "{original}" ไม่ได้: ไม่มีเดือนที่ {month}')
    days = calendar.monthrange(ce, month)[1]
    if not 1 <= day <= days:
        raise ThaiDateError(
            f'อ่านวันที่ "{original}" ไม่ได้: เดือน{THAI_MONTHS[month - 1]} {be_year(ce)} มี {days} วัน'
        )
    return date(ce, month, day)


def _be_to_ce(original: str, year_text: str) -> int:
    """Convert a typed BE year to CE, rejecting short and CE-looking years."""
    if len(year_text) != 4:
        raise ThaiDateError(f'อ่านวันที่ "{original}" ไม่ได้: {_YEAR_HINT}')
    year = int(year_text)
    if year < MIN_BE_YEAR:
        raise ThaiDateError(
            f'อ่านวันที่ "{original}" ไม่ได้: ปี {year} ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น {be_year(year)}'
        )
    return ce_year(year)


def parse_thai_date(text: str) -> date:
    """Parse a Thai date string with a BE year.

    Accepts "18/04/2566", "18-4-2566", "2566-04-18", "18 เม.ย. 2566", "18 เมษายน พ.ศ. 2566",
    "เมย"/"เม.ย", Thai or Arabic digits and extra spaces. Two-digit and CE-looking years
    are rejected, in the year-first form too ("2023-04-18" like "18/04/2023").
    Raises ThaiDateError (a ValueError) with a Thai message, also for empty input.
    """
    original = (text or "").strip()
    if not original:
        raise ThaiDateError("กรุณาระบุวันที่")

    s = to_arabic_digits(original).replace("\u200b", "")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^วันที่\s*", "", s)

    if m := _ISO_RE.fullmatch(s):
        year_text, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        return _build_date(original, day, month, _be_to_ce(original, year_text))

    if m := _NUMERIC_RE.fullmatch(s):
        day, month = int(m.group(1)), int(m.group(2))
        return _build_date(original, day, month, _be_to_ce(original, m.group(3)))

    if m := _TEXT_RE.fullmatch(s):
        day, month_text, year_text = int(m.group(1)), m.group(2).strip(" /-,"), m.group(3)
        if era := _ERA_RE.fullmatch(month_text):
            month_text = era.group(1).strip()
            if era.group(2) == "ค":
                year = int(year_text)
                example = f" เช่น {be_year(year)}" if len(year_text) == 4 else ""
                raise ThaiDateError(
                    f'อ่านวันที่ "{original}" ไม่ได้: ระบุเป็นปี ค.ศ. {year} กรุณาใช้ปี พ.ศ.{example}'
                )
        if not month_text:  # e.g. "18 พ.ศ. 2566": no month at all
            raise ThaiDateError(f'อ่านวันที่ "{original}" ไม่ได้ {_FORMAT_HINT}')
        month = _MONTH_LOOKUP.get(_month_key(month_text))
        if month is None:
            raise ThaiDateError(f'อ่านวันที่ "{original}" ไม่ได้: ไม่รู้จักชื่อเดือน "{month_text}"')
        return _build_date(original, day, month, _be_to_ce(original, year_text))

    raise ThaiDateError(f'อ่านวันที่ "{original}" ไม่ได้ {_FORMAT_HINT}')
