"""A table of cells (see `tables`) read into measure rows (see `shape`), every
problem named by row and column. Nothing here touches the database."""

from dataclasses import dataclass, field
from datetime import date

from interchange import shape
from interchange.tables import Table
from measures.services import StepData


@dataclass(frozen=True)
class RowError:
    row: int | None  # as the spreadsheet numbers it; None for the file as a whole
    column: str | None  # a heading of shape.COLUMNS
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"แถวที่ {self.row}")
        if self.column:
            where.append(f'คอลัมน์ "{self.column}"')
        return f"{' '.join(where)}: {self.message}" if where else self.message


@dataclass
class MeasureRow:
    row: int
    position: int  # 1 for the first measure row of the sheet
    indicator: shape.IndicatorRef | None = None
    divisions_text: str = ""
    steps: list[StepData] = field(default_factory=list)
    monitoring: str = ""
    deadline: date | None = None
    result: shape.ResultData | None = None


@dataclass
class SheetData:
    titles: list[str] = field(default_factory=list)
    header_row: int | None = None
    rows: list[MeasureRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _texts(cells: list) -> list[str]:
    return [shape.clean_text(cell) for cell in cells]


def _is_header_like(texts: list[str]) -> bool:
    filled = [t for t in texts if t.strip()]
    return len(filled) >= 2 or (
        bool(texts) and shape.name_key(texts[0]) == shape.name_key(shape.COLUMNS[0])
    )


def _read_row(number: int, position: int, cells: list, texts: list[str], previous_tool):
    row = MeasureRow(row=number, position=position)
    errors = []

    def attempt(column: int, read):
        try:
            read()
        except shape.CellError as error:
            errors.append(RowError(number, shape.COLUMNS[column], str(error)))

    def read_indicator():
        row.indicator = shape.parse_indicator(texts[shape.INDICATOR], previous_tool)

    def read_steps():
        row.steps = shape.parse_steps(texts[shape.STEPS])

    def read_monitoring():
        row.monitoring = shape.parse_monitoring(texts[shape.MONITORING])

    def read_deadline():
        row.deadline = shape.parse_date_cell(cells[shape.DEADLINE])

    def read_result():
        row.result = shape.parse_result(texts[shape.RESULT])

    attempt(shape.INDICATOR, read_indicator)
    row.divisions_text = texts[shape.DIVISIONS]
    attempt(shape.STEPS, read_steps)
    attempt(shape.MONITORING, read_monitoring)
    attempt(shape.DEADLINE, read_deadline)
    attempt(shape.RESULT, read_result)
    return row, errors


def _join_continued(cell: str, more: str) -> str:
    """A cell and its continuation on the row below (shape.CONTINUED_ROW)."""
    if not more:
        return cell
    if cell.endswith(shape.CONTINUED_LINE):
        return cell[: -len(shape.CONTINUED_LINE)] + more
    return f"{cell}\n{more}" if cell else more


def _continuations_joined(rows) -> list:
    """The table's rows with each continuation row (its first cell
    shape.CONTINUED_ROW, as an XLSX export writes a measure taller than a spreadsheet
    row) joined to the row above it, cell by cell."""
    joined = []
    for number, cells in rows:
        texts = _texts(cells)
        if joined and texts and texts[0].strip() == shape.CONTINUED_ROW:
            above_number, above = joined[-1]
            above = list(above) + [None] * (len(cells) - len(above))
            for column, more in enumerate(texts[1:], start=1):
                if more.strip():
                    above[column] = _join_continued(shape.clean_text(above[column]), more)
            joined[-1] = (above_number, above)
        else:
            joined.append((number, cells))
    return joined


def read_sheet(table: Table) -> SheetData:
    data = SheetData()
    width = len(shape.COLUMNS)
    previous_tool = None
    for number, cells in _continuations_joined(table.rows):
        texts = _texts(cells)
        if not any(t.strip() for t in texts):
            continue
        if data.header_row is None:
            if not _is_header_like(texts):
                data.titles.append(" ".join(t.strip() for t in texts if t.strip()))
                continue
            data.header_row = number
            problems = shape.header_problems(texts)
            data.errors += [RowError(number, None, problem) for problem in problems]
            if problems:
                return data
            continue
        if not shape.header_problems(texts):
            continue  # the header repeated, as on every page of a Word table
        padded = list(cells) + [None] * (width - len(cells))
        texts += [""] * (width - len(texts))
        if any(t.strip() for t in texts[width:]):
            data.errors.append(RowError(number, None, f"มีข้อมูลเกิน {width} คอลัมน์ของรายงาน"))
        row, errors = _read_row(number, len(data.rows) + 1, padded, texts, previous_tool)
        data.rows.append(row)
        data.errors += errors
        if row.indicator:
            previous_tool = row.indicator.tool
    if data.header_row is None:
        data.errors.append(
            RowError(
                None,
                None,
                "ไม่พบแถวหัวตาราง ตารางต้องมีหัวตาราง 6 คอลัมน์ตามรายงาน: " + " | ".join(shape.COLUMNS),
            )
        )
    elif not data.rows:
        data.errors.append(RowError(None, None, "ไม่พบมาตรการในไฟล์ (มีแต่หัวตาราง)"))
    return data
