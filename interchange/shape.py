"""The interchange shape: the report's table as agencies keep it in Word and
Excel, one row per measure, the report's six columns in the report's order.

1. ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา: the tool, then the indicator.
       เครื่องมือการประเมิน OIT
       ตัวชี้วัดการป้องกันการทุจริต                    catalogue indicator, by its name
       ตัวชี้วัดที่ 10 การป้องกันการทุจริต               the same, by number
       ตัวชี้วัดการเสริมสร้างวัฒนธรรมองค์กร (ตัวชี้วัดที่ 10)
                                                  the agency's own wording (the measure's
                                                  target) for catalogue indicator 10
   A row without the tool line continues the tool of the row above. Export
   writes the tool on every row; the name form when the measure has no own
   wording (the number form if two indicators of the tool share a name), and
   the wording-with-number form when it has.
2. ผู้รับผิดชอบ: division names one per line, optionally "- name".
   "ทุกส่วนราชการ" and "ส่วนราชการที่เกี่ยวข้อง" are the collective entries.
3. ขั้นตอนหรือวิธีการ/มาตรการ: steps "1. …"; sub-items "- …", "(1) …", "1) …"
   under their step. When some sub-item of a step is indented (two spaces or a
   tab), indentation decides: the least indented are the first level, deeper
   ones the second. When none is, a change of marker style does ("-" items
   with "(1)" items below them). Export indents second-level items by two
   spaces, and a step whose one-level items change marker style (which would
   read as two levels) with every item indented by two spaces.
4. การรายงานผลและการกำกับติดตาม: numbered lines "1. …".
5. กำหนดเวลาแล้วเสร็จ: a BE date, full or abbreviated month, or empty.
6. ผลการดำเนินการ: for one round, the status line the report prints
   ("ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566", "อยู่ระหว่างดำเนินการ",
   "ยังไม่ดำเนินการ", "ไม่สามารถดำเนินการได้ เนื่องจาก…") then the result text
   lines. Empty means "not reported here": import leaves that progress alone.

A line that starts with no number or marker continues the line above it (a
wrapped line): joined without a space between two Thai letters (Thai writes a
phrase's words together), with one space otherwise.

Digits may be Thai or Arabic anywhere. The structure (step numbers, indicator
numbers, dates, the status line's date, the titles' year and round) is read by
the digits' values; the text people typed (step and sub-item text and markers,
monitoring lines, result text, reasons, own wordings, division names) is kept
with the digits it was typed with, as the report prints it. Exports write typed
text as typed and the portal's numbers in the organization's digits.

Rows above the header row are titles; export writes two, and the fiscal year
and round they name are checked on import.
"""

import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce

from measures.models import Measure
from measures.services import StepData
from measures.steps_text import ITEM_MARKER, ItemLine, format_item_lines, parse_item_lines
from organizations.models import Division
from progress.models import Progress
from thai import conventions as thai

COLUMNS = (
    "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา",
    "ผู้รับผิดชอบ",
    "ขั้นตอนหรือวิธีการ/มาตรการ",
    "การรายงานผลและการกำกับติดตาม",
    "กำหนดเวลาแล้วเสร็จ",
    "ผลการดำเนินการ",
)
INDICATOR, DIVISIONS, STEPS, MONITORING, DEADLINE, RESULT = range(len(COLUMNS))

TOOL_PREFIX = "เครื่องมือการประเมิน"
INDICATOR_PREFIX = "ตัวชี้วัด"
COLLECTIVE = {
    "ทุกส่วนราชการ": Division.Kind.ALL,
    "ส่วนราชการที่เกี่ยวข้อง": Division.Kind.CONCERNED,
}
DONE_PREFIX = "ดำเนินการแล้วเสร็จ"
CANNOT_PREFIX = "ไม่สามารถดำเนินการได้"
NOT_REPORTED = "ยังไม่ได้รายงานผล"
# An XLSX export continues a measure taller than a spreadsheet row shows (409 pt) on
# rows under it whose first cell says this; the other cells go on where the row above
# stopped, on a new line, or within the line when the row above's cell ends with
# CONTINUED_LINE (interchange.exporters.split_row; reading joins them back).
CONTINUED_ROW = "(ต่อ)"
CONTINUED_LINE = "…(ต่อ)"
STATUS_HINT = (
    "บรรทัดแรกต้องเป็น “ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566”, “อยู่ระหว่างดำเนินการ”, "
    "“ยังไม่ดำเนินการ” หรือ “ไม่สามารถดำเนินการได้ เนื่องจาก…”"
)

# Digits as people type them: Arabic or Thai. What they number is read with
# `_value`; the text around them is kept as typed.
_DIGIT = "[0-9๐-๙]"
_NUMBER = rf"{_DIGIT}+(?:\.{_DIGIT}+)*"
_NUMBERED_LINE = re.compile(rf"^(?P<number>{_DIGIT}{{1,3}})\s*\.(?!{_DIGIT})\s*(?P<text>.*)$")
# "พ.ศ. 2566", "ป.ป.ช." at the start of a wrapped line are words, not "ก." markers.
_ABBREVIATION = re.compile(r"^[ก-ฮ]{1,2}\.[ก-ฮ]")
_DASH = re.compile(r"^[-–•]\s*(?P<name>\S.*)$")
_TOOL = re.compile(
    r"^\s*(?:เครื่องมือ(?:การประเมิน)?\s*[:：]?\s*)?(?P<code>[A-Za-z]{2,10})(?![A-Za-z])(?P<rest>.*)$",
    re.S,
)
_BY_NUMBER = re.compile(rf"^ที่\s*(?P<number>{_NUMBER})\s*[.:]?\s*(?P<wording>.*)$")
_OWN_WORDING = re.compile(rf"^(?P<wording>.*?)\s*[(（]\s*ตัวชี้วัดที่\s*(?P<number>{_NUMBER})\s*[)）]$")
_TITLE_YEAR = re.compile(rf"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(?P<year>{_DIGIT}{{4}})")
_TITLE_ROUND = re.compile(r"รอบ\s*(?P<kind>6|12|๖|๑๒)\s*เดือน")


class CellError(ValueError):
    """A cell that cannot be read; the message is Thai and names no row."""


# --- Text ------------------------------------------------------------------------------------


def clean_text(value) -> str:
    """A cell's text with "\\n" line breaks and PDF-copy debris removed; digits as typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\xa0", " ").replace("\u200b", "").replace("\u0e4d\u0e32", "\u0e33")


def _value(digits: str) -> str:
    """A number typed in Thai or Arabic digits, as the portal keeps numbers (Arabic)."""
    return thai.to_arabic_digits(digits)


def _is_thai(char: str) -> bool:
    """A Thai letter or mark; Thai digits are digits (a wrapped line joins them with
    a space, as it joins Arabic ones)."""
    return "\u0e00" <= char <= "\u0e7f" and not "\u0e50" <= char <= "\u0e59"


def join_wrapped(head: str, tail: str) -> str:
    """Join a wrapped line to the line above it."""
    head, tail = head.rstrip(), tail.strip()
    if not head or not tail:
        return head or tail
    if _is_thai(head[-1]) and _is_thai(tail[0]):
        return head + tail
    return f"{head} {tail}"


def collapse(text: str) -> str:
    return " ".join(text.split())


def name_key(text: str) -> str:
    """What two names must share to be the same name: spacing and digits ignored."""
    return "".join(thai.to_arabic_digits(text).split())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Column 1: tool and indicator ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRef:
    tool: str
    number: str | None  # when the cell names the indicator by number
    wording: str  # the words after "ตัวชี้วัด" (without the number)
    own_wording: bool  # "… (ตัวชี้วัดที่ N)": the wording is the measure's target


def parse_indicator(text: str, previous_tool: str | None) -> IndicatorRef:
    tool = None
    if match := _TOOL.match(text):
        tool, text = match["code"].upper(), match["rest"]
    body = reduce(join_wrapped, _lines(text), "")
    tool = tool or previous_tool
    if not tool:
        raise CellError(f"ไม่ได้ระบุเครื่องมือการประเมิน บรรทัดแรกต้องเป็น เช่น “{TOOL_PREFIX} OIT”")
    if body.startswith(INDICATOR_PREFIX):
        body = body[len(INDICATOR_PREFIX) :].strip()
    if not body:
        raise CellError(f"ไม่ได้ระบุตัวชี้วัด เช่น “{INDICATOR_PREFIX}การป้องกันการทุจริต”")
    number, own = None, False
    if match := _OWN_WORDING.match(body):
        number, body, own = _value(match["number"]), match["wording"], True
    elif match := _BY_NUMBER.match(body):
        number, body = _value(match["number"]), match["wording"]
    wording = collapse(body).strip(" :-–")
    if own and not wording:
        own = False
    return IndicatorRef(tool=tool, number=number, wording=wording, own_wording=own)


def format_indicator(measure: Measure, *, name_is_ambiguous: bool = False) -> str:
    indicator = measure.indicator
    if measure.target:
        line = f"{INDICATOR_PREFIX}{measure.target} ({INDICATOR_PREFIX}ที่ {indicator.number})"
    elif name_is_ambiguous:
        line = f"{INDICATOR_PREFIX}ที่ {indicator.number} {indicator.name}"
    else:
        line = f"{INDICATOR_PREFIX}{indicator.name}"
    return f"{TOOL_PREFIX} {indicator.tool.code}\n{line}"


# --- Column 2: divisions ---------------------------------------------------------------------


def parse_divisions(text: str, known) -> list[str]:
    """Division names, one per line; `known(name)` says whether a name exists, so a
    name wrapped over two lines is found whole."""
    lines = _lines(text)
    if not lines:
        raise CellError("ต้องระบุผู้รับผิดชอบอย่างน้อย 1 ส่วนราชการ")
    names: list[str] = []
    if any(_DASH.match(line) for line in lines):
        for line in lines:
            if match := _DASH.match(line):
                names.append(match["name"])
            elif names:
                names[-1] = join_wrapped(names[-1], line)
            else:
                names.append(line)
    else:
        start = 0
        while start < len(lines):
            for end in range(len(lines), start, -1):
                candidate = reduce(join_wrapped, lines[start:end], "")
                if end == start + 1 or known(candidate):
                    break
            names.append(candidate)
            start = end
    return [collapse(name) for name in names]


def format_divisions(names: list[str]) -> str:
    if len(names) > 1:
        return "\n".join(f"- {name}" for name in names)
    return "\n".join(names)


# --- Column 3: steps -------------------------------------------------------------------------


@dataclass
class _StepBlock:
    number: int
    text: str
    items: list[str] = field(default_factory=list)


def _marker_style(marker: str) -> str:
    if marker in "-–•":
        return "dash"
    if marker.startswith("("):
        return "paren"
    return "close" if marker[0].isdigit() else "letter"


def _level_by_marker(items: list[ItemLine]) -> list[ItemLine]:
    """Without indentation, a marker style other than the step's first is level 2."""
    if not items or any(item.depth > 1 for item in items):
        return items
    first = _marker_style(items[0].marker)
    return [
        ItemLine(1 if _marker_style(item.marker) == first else 2, item.marker, item.text)
        for item in items
    ]


def _is_item(line: str) -> bool:
    return bool(ITEM_MARKER.match(line)) and not _ABBREVIATION.match(line)


def _is_indented(line: str) -> bool:
    return line.startswith(("\t", "  "))


def _read_items(lines: list[str]) -> list[ItemLine]:
    """A step's sub-item lines (leading spaces kept): by indentation relative to
    the least indented, or when none is indented, by marker style."""
    if not any(_is_indented(line) for line in lines):
        return _level_by_marker(parse_item_lines("\n".join(lines)))
    return parse_item_lines(textwrap.dedent("\n".join(lines)))


def parse_steps(text: str) -> list[StepData]:
    blocks: list[_StepBlock] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if match := _NUMBERED_LINE.match(line):
            blocks.append(_StepBlock(int(_value(match["number"])), match["text"].strip()))
        elif not blocks:
            raise CellError(
                f"บรรทัด “{_short(line)}” ไม่ได้ขึ้นต้นด้วยเลขข้อ ขั้นตอนต้องเขียนเป็นข้อ เช่น “1. จัดทำ…”"
            )
        elif _is_item(line):
            blocks[-1].items.append(raw.rstrip())
        elif blocks[-1].items:
            blocks[-1].items[-1] = join_wrapped(blocks[-1].items[-1], line)
        else:
            blocks[-1].text = join_wrapped(blocks[-1].text, line)
    if not blocks:
        raise CellError("ต้องมีขั้นตอนหรือวิธีการอย่างน้อย 1 ข้อ")
    seen: set[int] = set()
    steps = []
    for block in blocks:
        if block.number in seen:
            raise CellError(f"ข้อ {block.number} ซ้ำกัน")
        if block.number < 1:
            raise CellError("เลขข้อต้องเริ่มที่ 1")
        if not block.text:
            raise CellError(f"ข้อ {block.number} ไม่มีข้อความ")
        seen.add(block.number)
        items = _read_items(block.items)
        steps.append(StepData(block.number, collapse(block.text), tuple(items)))
    return steps


def format_items(items) -> str:
    """A step's sub-items as cell text that `parse_steps` reads back to the same levels."""
    lines = [ItemLine(item.depth, item.marker, item.text) for item in items]
    if lines and all(item.depth == 1 for item in lines) and _level_by_marker(lines) != lines:
        # One level in two marker styles: unindented, it would read as two levels.
        return "\n".join(f"  {item.marker} {item.text}" for item in lines)
    return format_item_lines(lines)


def format_steps(steps) -> str:
    """StepData (or anything with `.number`, `.text` and a list `.items`) as cell text."""
    lines = []
    for step in steps:
        lines.append(f"{step.number}. {step.text}")
        if items := format_items(step.items):
            lines.append(items)
    return "\n".join(lines)


# --- Column 4: monitoring --------------------------------------------------------------------


def parse_monitoring(text: str) -> str:
    lines: list[str] = []
    numbered = False
    for line in _lines(text):
        if _NUMBERED_LINE.match(line):
            numbered = True
            lines.append(line)
        elif numbered:
            lines[-1] = join_wrapped(lines[-1], line)
        else:
            lines.append(line)
    if not lines:
        raise CellError("ต้องระบุการรายงานผลและการกำกับติดตาม เช่น “1. เจ้าหน้าที่ผู้รับผิดชอบรายงานผล…”")
    return "\n".join(lines)


# --- Column 5: deadline ----------------------------------------------------------------------


def parse_date_cell(value) -> date | None:
    """A date cell: spreadsheet dates as they are (a year past 2400 was typed in BE),
    text through thai.parse_thai_date."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year >= thai.MIN_BE_YEAR:
            return value.replace(year=thai.ce_year(value.year))
        return value
    text = clean_text(value).strip()
    if not text:
        return None
    try:
        return thai.parse_thai_date(text)
    except thai.ThaiDateError as error:
        raise CellError(str(error)) from error


def format_date(value: date | None) -> str:
    return thai.format_thai_date(value) if value else ""


# --- Column 6: result of one round -----------------------------------------------------------


@dataclass(frozen=True)
class ResultData:
    status: str
    completed_on: date | None = None
    result_text: str = ""
    cannot_reason: str = ""


def parse_result(text: str) -> ResultData | None:
    lines = _lines(text)
    if not lines or lines[0] == NOT_REPORTED:
        return None
    first, rest = lines[0], lines[1:]
    status, completed_on, reason = None, None, ""
    if first.startswith(DONE_PREFIX):
        status = Progress.Status.DONE
        when = re.sub(r"^เมื่อ\s*", "", first[len(DONE_PREFIX) :].strip())
        if not re.search(_DIGIT, when) and rest:  # the date wrapped onto the next line
            when = f"{when} {rest.pop(0)}"
        if not re.search(_DIGIT, when):
            raise CellError("ดำเนินการแล้วเสร็จต้องระบุวันที่ เช่น “ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566”")
        completed_on = parse_date_cell(when)
    elif first.startswith(CANNOT_PREFIX):
        status = Progress.Status.CANNOT
        reason = re.sub(r"^เนื่องจาก\s*", "", first[len(CANNOT_PREFIX) :].strip())
        if not reason:
            raise CellError("ไม่สามารถดำเนินการได้ต้องระบุเหตุผล เช่น “ไม่สามารถดำเนินการได้ เนื่องจาก…”")
    else:
        for choice in (Progress.Status.IN_PROGRESS, Progress.Status.NOT_STARTED):
            if first.startswith(choice.label):
                status = choice
                if remainder := first[len(choice.label) :].strip():
                    rest.insert(0, remainder)
        if status is None:
            raise CellError(f"อ่านสถานะ “{_short(first)}” ไม่ได้ {STATUS_HINT}")
    return ResultData(str(status), completed_on, "\n".join(rest), reason)


def format_result(progress: Progress | None) -> str:
    if progress is None:
        return ""
    lines = [progress.result_line]
    lines += [line.strip() for line in progress.result_text.splitlines() if line.strip()]
    return "\n".join(lines)


# --- Titles and header -----------------------------------------------------------------------


def title_year(titles: list[str]) -> int | None:
    for title in titles:
        if match := _TITLE_YEAR.search(title):
            return int(_value(match["year"]))
    return None


def title_round(titles: list[str]) -> int | None:
    for title in titles:
        if match := _TITLE_ROUND.search(title):
            return int(_value(match["kind"]))
    return None


def header_problems(cells: list[str]) -> list[str]:
    """Why a row is not the report's header row, one message per wrong column."""
    problems = []
    padded = list(cells) + [""] * (len(COLUMNS) - len(cells))
    for number, (expected, found) in enumerate(zip(COLUMNS, padded, strict=False), start=1):
        if name_key(found) != name_key(expected):
            shown = f"“{_short(collapse(found))}”" if found.strip() else "ช่องว่าง"
            problems.append(f"คอลัมน์ที่ {number} ต้องมีหัวตาราง “{expected}” แต่พบ {shown}")
    for number, extra in enumerate(padded[len(COLUMNS) :], start=len(COLUMNS) + 1):
        if extra.strip():
            problems.append(
                f"คอลัมน์ที่ {number} “{_short(collapse(extra))}” ไม่ใช่คอลัมน์ของรายงาน "
                f"ตารางต้องมี {len(COLUMNS)} คอลัมน์"
            )
    return problems
