"""Unit tests for thai.conventions (pure Python, no Django needed)."""

from datetime import date
from decimal import Decimal

import pytest

from thai.conventions import (
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    ThaiDateError,
    be_year,
    ce_year,
    fiscal_year_bounds,
    fiscal_year_of,
    format_month_year,
    format_thai_date,
    format_thai_number,
    localize_digits,
    normalize_sara_am,
    parse_thai_date,
    thai_month_name,
    to_arabic_digits,
    to_thai_digits,
)

# --- Buddhist Era ---------------------------------------------------------------------------


@pytest.mark.parametrize(("ce", "be"), [(2023, 2566), (2024, 2567), (1957, 2500), (2000, 2543)])
def test_be_ce_conversion(ce: int, be: int) -> None:
    assert be_year(ce) == be
    assert ce_year(be) == ce


# --- Fiscal year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2022, 9, 30), 2565),
        (date(2022, 10, 1), 2566),
        (date(2023, 1, 1), 2566),
        (date(2023, 4, 18), 2566),
        (date(2023, 9, 30), 2566),
        (date(2023, 10, 1), 2567),
        (date(2023, 12, 31), 2567),
    ],
)
def test_fiscal_year_of(d: date, fy: int) -> None:
    assert fiscal_year_of(d) == fy


def test_fiscal_year_bounds_2566() -> None:
    assert fiscal_year_bounds(2566) == (date(2022, 10, 1), date(2023, 9, 30))


# A year is 365 days from 1 October to 30 September (364 between them), 366 when its
# February has a 29th: 2567 (CE 2023-2024) does.
@pytest.mark.parametrize(("fy", "days"), [(2560, 364), (2566, 364), (2567, 365), (2570, 364)])
def test_fiscal_year_bounds_roundtrip(fy: int, days: int) -> None:
    start, end = fiscal_year_bounds(fy)
    assert fiscal_year_of(start) == fy
    assert fiscal_year_of(end) == fy
    assert (end - start).days == days


# --- Digits and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "thai"),
    [
        ("0123456789", "๐๑๒๓๔๕๖๗๘๙"),
        ("18 เม.ย. 2566", "๑๘ เม.ย. ๒๕๖๖"),
        ("1,234.50", "๑,๒๓๔.๕๐"),
        ("ไม่มีตัวเลข", "ไม่มีตัวเลข"),
        ("", ""),
    ],
)
def test_digits_both_ways(arabic: str, thai: str) -> None:
    assert to_thai_digits(arabic) == thai
    assert to_arabic_digits(thai) == arabic
    assert localize_digits(arabic, thai=True) == thai
    assert localize_digits(thai, thai=False) == arabic


def test_digit_conversion_is_idempotent() -> None:
    assert to_thai_digits("๑2") == "๑๒"
    assert to_arabic_digits("๑2") == "12"


@pytest.mark.parametrize(
    ("n", "thai_digits", "expected"),
    [
        (0, False, "0"),
        (999, False, "999"),
        (1234, False, "1,234"),
        (1234567, False, "1,234,567"),
        (-1234, False, "-1,234"),
        (1234, True, "๑,๒๓๔"),
        (Decimal("1234.5"), False, "1,234.5"),
    ],
)
def test_format_thai_number(n: int | Decimal, thai_digits: bool, expected: str) -> None:
    assert format_thai_number(n, thai_digits) == expected


def test_format_thai_number_decimals() -> None:
    assert format_thai_number(1234.5, decimals=2) == "1,234.50"
    assert format_thai_number(Decimal("85.126"), thai_digits=True, decimals=2) == "๘๕.๑๓"


# --- Month names and date formatting ----------------------------------------------------------


def test_month_tuples() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[3] == "เมษายน"
    assert THAI_MONTHS[11] == "ธันวาคม"
    assert THAI_MONTHS_ABBR[3] == "เม.ย."
    assert THAI_MONTHS_ABBR[10] == "พ.ย."
    assert thai_month_name(10) == "ตุลาคม"
    assert thai_month_name(10, abbr=True) == "ต.ค."


@pytest.mark.parametrize("month", [0, 13])
def test_thai_month_name_out_of_range(month: int) -> None:
    with pytest.raises(ValueError):
        thai_month_name(month)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "18 เมษายน 2566"),
        ({"abbr": True}, "18 เม.ย. 2566"),
        ({"thai_digits": True}, "๑๘ เมษายน ๒๕๖๖"),
        ({"abbr": True, "thai_digits": True}, "๑๘ เม.ย. ๒๕๖๖"),
    ],
)
def test_format_thai_date(kwargs: dict[str, bool], expected: str) -> None:
    assert format_thai_date(date(2023, 4, 18), **kwargs) == expected


def test_format_thai_date_single_digit_day() -> None:
    assert format_thai_date(date(2022, 10, 1)) == "1 ตุลาคม 2565"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "ตุลาคม 2565"),
        ({"abbr": True}, "ต.ค. 2565"),
        ({"thai_digits": True}, "ตุลาคม ๒๕๖๕"),
        ({"abbr": True, "thai_digits": True}, "ต.ค. ๒๕๖๕"),
    ],
)
def test_format_month_year(kwargs: dict[str, bool], expected: str) -> None:
    assert format_month_year(date(2022, 10, 1), **kwargs) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_format_then_parse_roundtrip(month: int) -> None:
    d = date(2023, month, 28)
    for abbr in (False, True):
        for thai_digits in (False, True):
            assert parse_thai_date(format_thai_date(d, abbr=abbr, thai_digits=thai_digits)) == d


# --- Parsing: accepted formats --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "18/04/2566",
        "18/4/2566",
        "18-04-2566",
        "18-4-2566",
        "18.04.2566",
        " 18 / 04 / 2566 ",
        "18 เม.ย. 2566",
        "18 เมษายน 2566",
        "18 เม.ย 2566",
        "18 เมย 2566",
        "18 เมย. 2566",
        "18เม.ย.2566",
        "  18   เม.ย.    2566  ",
        "18\u00a0เม.ย.\u00a02566",
        "18 เมษายน พ.ศ. 2566",
        "วันที่ 18 เมษายน พ.ศ. 2566",
        "๑๘ เม.ย. ๒๕๖๖",
        "๑๘/๐๔/๒๕๖๖",
        "๑๘ เมษายน ๒๕๖๖",
        "๑๘-๔-๒๕๖๖",
        "2566-04-18",
        "๒๕๖๖-๐๔-๑๘",
    ],
)
def test_parse_accepted_formats(text: str) -> None:
    assert parse_thai_date(text) == date(2023, 4, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 ม.ค. 2567", date(2024, 1, 1)),
        ("29 ก.พ. 2567", date(2024, 2, 29)),  # 2024 is a leap year
        ("29/02/2567", date(2024, 2, 29)),
        ("2567-02-29", date(2024, 2, 29)),
        ("31 ธ.ค. 2566", date(2023, 12, 31)),
        ("1 มีค 2566", date(2023, 3, 1)),  # มี.ค. (March), not ม.ค. (January)
        ("1 มค 2566", date(2023, 1, 1)),
        ("5 กรกฎาคม 2566", date(2023, 7, 5)),
        ("5 กรกฏาคม 2566", date(2023, 7, 5)),  # common misspelling
        ("30 ก.ย. 2566", date(2023, 9, 30)),
        ("1 พ.ย. 2566", date(2023, 11, 1)),
        ("1 พ.ค. 2566", date(2023, 5, 1)),
    ],
)
def test_parse_specific_dates(text: str, expected: date) -> None:
    assert parse_thai_date(text) == expected


def test_thai_date_error_is_value_error() -> None:
    assert issubclass(ThaiDateError, ValueError)


# --- Parsing: rejections --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # CE year where BE is expected
        (
            "18/04/2023",
            'อ่านวันที่ "18/04/2023" ไม่ได้: ปี 2023 ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2566',
        ),
        (
            "18 เม.ย. 2023",
            'อ่านวันที่ "18 เม.ย. 2023" ไม่ได้: ปี 2023 ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2566',
        ),
        (
            "๑๘/๐๔/๒๐๒๓",
            'อ่านวันที่ "๑๘/๐๔/๒๐๒๓" ไม่ได้: ปี 2023 ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2566',
        ),
        # ... also year first, as a date field of a browser or a spreadsheet writes it
        (
            "2023-04-18",
            'อ่านวันที่ "2023-04-18" ไม่ได้: ปี 2023 ดูเหมือนเป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. เช่น 2566',
        ),
        (
            "18 เม.ย. ค.ศ. 2023",
            'อ่านวันที่ "18 เม.ย. ค.ศ. 2023" ไม่ได้: ระบุเป็นปี ค.ศ. 2023 กรุณาใช้ปี พ.ศ. เช่น 2566',
        ),
        # two-digit (or otherwise not 4-digit) years are ambiguous
        (
            "18 เม.ย. 66",
            'อ่านวันที่ "18 เม.ย. 66" ไม่ได้: กรุณาระบุปี พ.ศ. เป็นตัวเลข 4 หลัก เช่น 2566',
        ),
        (
            "18/04/66",
            'อ่านวันที่ "18/04/66" ไม่ได้: กรุณาระบุปี พ.ศ. เป็นตัวเลข 4 หลัก เช่น 2566',
        ),
        # invalid day for the month, incl. leap years
        (
            "31 ก.พ. 2566",
            'อ่านวันที่ "31 ก.พ. 2566" ไม่ได้: เดือนกุมภาพันธ์ 2566 มี 28 วัน',
        ),
        (
            "29 ก.พ. 2566",
            'อ่านวันที่ "29 ก.พ. 2566" ไม่ได้: เดือนกุมภาพันธ์ 2566 มี 28 วัน',
        ),
        (
            "30/02/2567",
            'อ่านวันที่ "30/02/2567" ไม่ได้: เดือนกุมภาพันธ์ 2567 มี 29 วัน',
        ),
        (
            "31 เมษายน 2566",
            'อ่านวันที่ "31 เมษายน 2566" ไม่ได้: เดือนเมษายน 2566 มี 30 วัน',
        ),
        (
            "0/04/2566",
            'อ่านวันที่ "0/04/2566" ไม่ได้: เดือนเมษายน 2566 มี 30 วัน',
        ),
        (
            "2566-02-29",
            'อ่านวันที่ "2566-02-29" ไม่ได้: เดือนกุมภาพันธ์ 2566 มี 28 วัน',
        ),
        # month number out of range (e.g. month/day swapped)
        ("04/18/2566", 'อ่านวันที่ "04/18/2566" ไม่ได้: ไม่มีเดือนที่ 18'),
        ("18/00/2566", 'อ่านวันที่ "18/00/2566" ไม่ได้: ไม่มีเดือนที่ 0'),
        # unknown month name
        ("18 เมษ 2566", 'อ่านวันที่ "18 เมษ 2566" ไม่ได้: ไม่รู้จักชื่อเดือน "เมษ"'),
        ("18 April 2566", 'อ่านวันที่ "18 April 2566" ไม่ได้: ไม่รู้จักชื่อเดือน "April"'),
        # garbage
        ("abc", 'อ่านวันที่ "abc" ไม่ได้ กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566'),
        ("18042566", 'อ่านวันที่ "18042566" ไม่ได้ กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566'),
        ("เมษายน 2566", 'อ่านวันที่ "เมษายน 2566" ไม่ได้ กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566'),
        ("18/04", 'อ่านวันที่ "18/04" ไม่ได้ กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566'),
        ("18 พ.ศ. 2566", 'อ่านวันที่ "18 พ.ศ. 2566" ไม่ได้ กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566'),
        # empty
        ("", "กรุณาระบุวันที่"),
        ("   ", "กรุณาระบุวันที่"),
    ],
)
def test_parse_rejections(text: str, message: str) -> None:
    with pytest.raises(ThaiDateError) as exc_info:
        parse_thai_date(text)
    assert str(exc_info.value) == message


def test_sara_am_typed_as_two_characters_becomes_one():
    assert normalize_sara_am("ด\u0e4d\u0e32เนินการ น\u0e49\u0e4d\u0e32") == "ดำเนินการ น\u0e49ำ"
    assert normalize_sara_am("ดำเนินการ") == "ดำเนินการ"
