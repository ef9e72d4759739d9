"""Spreadsheet files as rows of cells: what is a spreadsheet, what is too big,
and keeping cells from being read as formulas.

An XLSX file is checked before openpyxl loads it (`inspect_xlsx`): the zip
directory's uncompressed sizes, no DTD in any XML part, and the read sheet's
`<dimension ref=...>` (or, when that is missing or too large, where its filled
cells really are) against settings.IMPORT_MAX_ROWS × IMPORT_MAX_COLUMNS. A
4.8 KB file whose one cell sits at XFD1048576 is refused in milliseconds
instead of making openpyxl fill a 1,048,576 × 16,384 grid. Before loading,
what openpyxl would otherwise walk element by element is counted from the zip
stream: shared strings, the cells of the rows it reads, a dimensionless sheet's
elements, the elements of its other parts (`_count_elements`, `_filled_extent`):
a 99 KB file of 3.9 million empty shared strings is refused in milliseconds
instead of 42 s (docs/benchmarks.md). openpyxl reads the sheet in read-only
mode (streaming, one row at a time) and within those bounds only. openpyxl
parses XML with the standard library (defusedxml is not installed): Python's
expat 2.5 refuses entity-expansion bombs and ElementTree does not fetch
external entities, and `inspect_xlsx` refuses any part that
declares a DTD at all, which no spreadsheet program writes.
"""

import csv
import io
import posixpath
import re
import warnings
import zipfile
from contextvars import ContextVar
from dataclasses import dataclass
from xml.etree import ElementTree

import openpyxl
from django.conf import settings
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.constants import SHARED_STRINGS, WORKSHEET_TYPE

from progress.evidence import zip_directory_size
from progress.limits import megabytes

NOT_A_SPREADSHEET = "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)"
OLD_EXCEL = "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วนำเข้าใหม่"
NOT_UTF8 = (
    "ไฟล์ CSV นี้ไม่ได้บันทึกเป็น UTF-8 ภาษาไทยจะอ่านผิด "
    "กรุณาบันทึกจาก Excel เป็นชนิด “CSV UTF-8 (Comma delimited)” หรือ .xlsx แล้วนำเข้าใหม่"
)
EMPTY = "ไฟล์ว่างเปล่า ไม่มีข้อมูล"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Cell starts a spreadsheet reads as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableFileError(ValueError):
    """The file as a whole cannot be read; the message is Thai."""


@dataclass(frozen=True)
class Limits:
    """What one kind of import reads at most. The measures' import reads a year's
    table (settings.IMPORT_MAX_*); the national results import one row per agency
    (settings.RESULTS_IMPORT_MAX_*, results.sheet). Every bound of issue 17 holds
    for both, scaled: cells and shared strings at most rows × cells_per_row."""

    rows: int
    columns: int
    unpacked_bytes: int
    cells_per_row: int = 10
    table: str = "ตารางมาตรการ"  # what such a file holds, in the refusals

    @classmethod
    def measures(cls) -> "Limits":
        return cls(
            settings.IMPORT_MAX_ROWS,
            settings.IMPORT_MAX_COLUMNS,
            settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        )


_limits: ContextVar["Limits | None"] = ContextVar("table_limits", default=None)


def limits() -> Limits:
    """The limits of the file being read (read_table's), else the measures' own."""
    return _limits.get() or Limits.measures()


@dataclass(frozen=True)
class Table:
    kind: str  # "xlsx" or "csv"
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cell values)


def check_size(size: int) -> None:
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise TableFileError(f"ไฟล์มีขนาด {megabytes(size)} MB เกินขนาดที่รับได้ ({megabytes(limit)} MB)")


def _too_large_table(where: str, row: int, column: int) -> TableFileError:
    """`where` names the sheet or file, and the cell when known."""
    bound = limits()
    return TableFileError(
        f"{where} (แถวที่ {row:,} คอลัมน์ที่ {column:,}) เกินขนาดตารางที่นำเข้าได้ "
        f"(ไม่เกิน {bound.rows:,} แถว × {bound.columns:,} คอลัมน์) "
        f"กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่{bound.table} แล้วบันทึกไฟล์ใหม่"
    )


def _within_limits(rows: int, columns: int) -> bool:
    return rows <= limits().rows and columns <= limits().columns


def escape_formula(text: str) -> str:
    """Text a spreadsheet will show as text: a formula-like start gets a quote."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def unescape_formula(value):
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    return value


def _has_control_characters(text: str) -> bool:
    return any(ord(char) < 32 and char not in "\t\n\r" for char in text)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            ansi = content.decode("cp874")
        except UnicodeDecodeError:
            raise TableFileError(NOT_A_SPREADSHEET) from None
        if any("\u0e00" <= char <= "\u0e7f" for char in ansi) and not _has_control_characters(ansi):
            raise TableFileError(NOT_UTF8) from None
        raise TableFileError(NOT_A_SPREADSHEET) from None
    if _has_control_characters(text):
        raise TableFileError(NOT_A_SPREADSHEET)
    max_rows, max_columns = limits().rows, limits().columns
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            filled = [i for i, cell in enumerate(row, start=1) if cell.strip()]
            if filled and (number > max_rows or filled[-1] > max_columns):
                raise _too_large_table("ไฟล์ CSV มีข้อมูลเกินขอบเขต", number, filled[-1])
            if number <= max_rows:
                rows.append((number, [unescape_formula(c) for c in row[:max_columns]]))
    except csv.Error as error:
        raise TableFileError(NOT_A_SPREADSHEET) from error
    return Table("csv", rows)


# --- XLSX: checked from the zip directory and the parts' bytes -----------------------------

XLSX_MAX_PARTS = 1000  # a workbook of a few sheets has a few dozen
# openpyxl spends 20-30 µs of CPU on each cell, shared string and other element
# it reads: their number, not the bytes, decides how long a preview takes. A
# 99 KB file of 3.9 million empty shared strings took 42 s. Bounded: cells in
# the rows read and shared strings (each at most CELLS_PER_ROW a row on average,
# the report's 6 columns and a few more; 20,000 at 2,000 rows), and the elements
# of every other part openpyxl reads whole (styles, workbook, content types).
CELLS_PER_ROW = 10  # the measures' (Limits.cells_per_row)
XLSX_MAX_OTHER_ELEMENTS = 5_000  # Excel's own parts of a workbook hold some hundreds
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_ROOT_OR_DTD = re.compile(rb"<(?:!(?:DOCTYPE|ENTITY)|[A-Za-z_])")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z0-9:$]+)"')
# A cell's start tag with its position.
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
# One that is not self-closing: a self-closing one (<c r="A1" s="3"/>) holds nothing.
_FILLED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is|f)[\s/>]")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
_ELEMENT = re.compile(rb"<[A-Za-z_]")
_WORKSHEET_REL = "/worksheet"
_SCAN_CHUNK = 1024 * 1024


def max_cells() -> int:
    """Cells of the rows read, and shared strings, that an import reads at most."""
    bound = limits()
    return bound.rows * min(bound.columns, bound.cells_per_row)


def _too_much(what: str) -> TableFileError:
    return TableFileError(
        f"{what} {limits().table} {limits().rows:,} แถวมีไม่ถึงนี้ ระบบจึงไม่อ่านไฟล์นี้ "
        f"กรุณาคัดลอกเฉพาะ{limits().table}ไปวางในไฟล์ใหม่ (วางแบบค่า) แล้วบันทึกและนำเข้าอีกครั้ง"
    )


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int


def _pieces(archive: zipfile.ZipFile, part: str):
    """The part's bytes as a stream of pieces, each cut just before a "<", so that
    no tag is split between two pieces and none is seen twice."""
    tail = b""
    with archive.open(part) as source:
        while chunk := source.read(_SCAN_CHUNK):
            window = tail + chunk
            cut = window.rfind(b"<")
            if cut > 0:
                yield window[:cut]
            tail = window[max(cut, 0) :] if cut >= 0 else b""
    yield tail


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the part declares a DTD before its root element."""
    seen = b""
    with archive.open(info) as part:
        while chunk := part.read(4096):
            seen += chunk
            found = _ROOT_OR_DTD.search(seen)
            if found:
                return bool(_DTD.match(seen, found.start()))
            seen = seen[-16:]
    return False


def _part(target: str) -> str:
    """A relationship's or override's target as a part name in the zip."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _relations(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """The workbook's relations: id -> (type, part name)."""
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    return {r.get("Id"): (r.get("Type", ""), _part(r.get("Target", ""))) for r in relations}


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of the workbook's worksheets, in its order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = _relations(archive)
    sheets = []
    for element in workbook.iter():
        if not element.tag.endswith("}sheet"):
            continue
        relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        kind, part = relations.get(relation, ("", ""))
        if kind.endswith(_WORKSHEET_REL):
            sheets.append((element.get("name", ""), part))
    return sheets


def _worksheet_parts(archive: zipfile.ZipFile, sheet_name: str | None) -> list[tuple[str, str]]:
    """(title, part name) of the sheet openpyxl will read: the one named
    `sheet_name`, else the first worksheet; every worksheet if the workbook's
    own index cannot be read."""
    names = set(archive.namelist())
    every = [(n, n) for n in sorted(names) if "worksheets/" in n and n.endswith(".xml")]
    try:
        sheets = _sheets(archive)
    except (KeyError, ElementTree.ParseError):
        return every
    chosen = [s for s in sheets if s[0] == sheet_name] or sheets[:1]
    return chosen if chosen and all(part in names for _, part in chosen) else every


def _lazy_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """The worksheets openpyxl's read-only mode reads only up to their dimension
    (what the workbook calls a worksheet and nothing names as another kind),
    part -> title; and the shared strings part, which it reads whole."""
    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        relations = _relations(archive).values()
        sheets = _sheets(archive)
    except (KeyError, ElementTree.ParseError):
        return {}, None
    named = {
        _part(o.get("PartName", "")): o.get("ContentType", "")
        for o in types
        if o.tag.endswith("}Override")
    }
    strings = next((part for part, kind in named.items() if kind == SHARED_STRINGS), None)
    other = {part for kind, part in relations if not kind.endswith(_WORKSHEET_REL)}
    other |= {part for part, kind in named.items() if kind != WORKSHEET_TYPE}
    return {part: title for title, part in sheets if part not in other}, strings


def _count(archive: zipfile.ZipFile, part: str, pattern: re.Pattern, used: int, limit: int) -> int:
    """`used` plus the matches of `pattern` in the part, read as a stream; stops
    once that passes `limit`."""
    for piece in _pieces(archive, part):
        used += len(pattern.findall(piece))
        if used > limit:
            break
    return used


def _elements_to_dimension(archive: zipfile.ZipFile, part: str, limit: int) -> int:
    """The elements openpyxl walks through when it loads a worksheet: up to its
    <dimension>, or to the end of its data when it has none (all its cells)."""
    used, in_data = 0, False
    for piece in _pieces(archive, part):
        dimension = None if in_data else _DIMENSION.search(piece)
        data = _SHEET_DATA.search(piece)
        if dimension and not (data and data.start() < dimension.start()):
            return used + len(_ELEMENT.findall(piece, 0, dimension.start()))
        in_data = in_data or data is not None
        used += len(_ELEMENT.findall(piece))
        if used > limit:
            break
    return used


def _count_elements(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse what would make openpyxl's loading slow, counted from the stream
    before anything is parsed: shared strings past max_cells(), worksheets
    without a dimension past 3 × max_cells() elements, and elements past
    XLSX_MAX_OTHER_ELEMENTS in the other parts it reads whole (the index parts first)."""
    index = ("[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/workbook.xml")
    names = [n for n in index if n in set(archive.namelist())]
    others, limit = 0, XLSX_MAX_OTHER_ELEMENTS
    for name in names:
        others = _count(archive, name, _ELEMENT, others, limit)
    if others <= limit:
        sheets, strings = _lazy_parts(archive)
        for name, title in sheets.items():
            if name in archive.namelist() and (
                _elements_to_dimension(archive, name, 3 * max_cells()) > 3 * max_cells()
            ):
                raise _too_much(f"แผ่นงาน “{title}” ไม่ระบุขอบเขตข้อมูล และมีเซลล์มากเกินที่อ่านได้")
        for info in infos:
            name = info.filename
            if name in names or name in sheets:
                continue
            if name == strings:
                if _count(archive, name, _SHARED_STRING, 0, max_cells()) > max_cells():
                    raise _too_much(
                        f"ไฟล์นี้มีข้อความที่เก็บรวมไว้ (shared strings) เกิน {max_cells():,} รายการ"
                    )
            elif name.endswith((".xml", ".rels")):
                others = _count(archive, name, _ELEMENT, others, limit)
            if others > limit:
                break
    if others > limit:
        raise _too_much(f"ไฟล์นี้มีการจัดรูปแบบหรือข้อมูลประกอบภายในเกิน {limit:,} รายการ")


def _far_value(region: bytes, title: str, rows_before: int) -> TableFileError | None:
    """The refusal for the first filled cell in `region`, which lies past the rows
    an import reads (`rows_before` row elements came before it); None if none.
    A filled cell has a value, an inline string or a formula."""
    if not any(tag in region for tag in (b"<v", b"<is", b"<f", b":v", b":is", b":f")):
        return None  # the common case, at the speed of bytes.find
    value = _VALUE.search(region)
    if value is None:
        return None
    starts = list(_ANY_CELL.finditer(region, 0, value.start()))
    cell = _CELL.match(region, starts[-1].start()) if starts else None
    if cell:
        letters, number = cell.group(1).decode(), int(cell.group(2))
        row, column = number, range_boundaries(letters + "1")[0]
        where = f"แผ่นงาน “{title}” มีข้อมูลที่เซลล์ {letters}{number}"
        return _too_large_table(where, row, column)
    row = rows_before + len(_ROW.findall(region, 0, value.start()))
    return TableFileError(
        f"แผ่นงาน “{title}” มีข้อมูลในแถวที่ {row:,} เกินขนาดตารางที่นำเข้าได้ "
        f"(ไม่เกิน {limits().rows:,} แถว) "
        f"กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่{limits().table} แล้วบันทึกไฟล์ใหม่"
    )


def _filled_extent(archive: zipfile.ZipFile, part: str, title: str) -> Extent:
    """Where the sheet's filled cells end, read as a stream (bounded memory).
    Refused as soon as one lies past the limits, or when the rows openpyxl would
    read (up to IMPORT_MAX_ROWS + 2 rows) hold more than max_cells() cells."""
    rows = columns = cells = row_tags = 0
    last_row, in_data = limits().rows + 2, True
    for piece in _pieces(archive, part):
        counted = len(piece) if row_tags <= last_row else 0
        if row_tags <= last_row:
            for row_tag in _ROW.finditer(piece):
                row_tags += 1
                if row_tags > last_row:
                    counted = row_tag.start()
                    break
            cells += len(_ANY_CELL.findall(piece, 0, counted))
        if cells > max_cells():
            raise _too_much(
                f"แผ่นงาน “{title}” มีเซลล์ (รวมเซลล์ว่างที่จัดรูปแบบไว้) ใน {last_row - 2:,} แถวแรก "
                f"เกิน {max_cells():,} เซลล์"
            )
        for letters, number in _FILLED_CELL.findall(piece, 0, counted):
            row, column = int(number), range_boundaries(letters.decode() + "1")[0]
            rows, columns = max(rows, row), max(columns, column)
            if row > limits().rows or column > limits().columns:
                cell = f"{letters.decode()}{row}"
                raise _too_large_table(f"แผ่นงาน “{title}” มีข้อมูลที่เซลล์ {cell}", row, column)
        if counted < len(piece) and in_data:
            # Past the rows openpyxl reads: only whether any cell there is filled.
            end = _SHEET_DATA_END.search(piece, counted)
            in_data = end is None
            region = piece[counted : end.start() if end else len(piece)]
            if far := _far_value(region, title, row_tags - 1):
                raise far
            row_tags += len(_ROW.findall(region))
    return Extent(rows, columns)


def _too_many_parts(count: str) -> TableFileError:
    return TableFileError(f"ไฟล์นี้มีส่วนประกอบภายในมากผิดปกติ ({count} ส่วน) จึงไม่ใช่ไฟล์ตารางที่นำเข้าได้")


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > XLSX_MAX_PARTS:
        raise _too_many_parts(f"{len(infos):,}")
    unpacked = sum(info.file_size for info in infos)
    limit = limits().unpacked_bytes
    if unpacked > limit:
        usual = " ตารางมาตรการทั้งปีปกติมีขนาดไม่ถึง 1 MB" if limits().table == "ตารางมาตรการ" else ""
        raise TableFileError(
            f"ไฟล์นี้เมื่อแตกออกมีขนาด {megabytes(unpacked)} MB เกินที่นำเข้าได้ "
            f"({megabytes(limit)} MB){usual} กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง"
        )


def _sheet_extent(archive: zipfile.ZipFile, title: str, part: str) -> Extent:
    """The bounds to read one sheet in: its dimension when that is true and within
    the limits, else one row and one column past the limits."""
    filled = _filled_extent(archive, part, title)
    with archive.open(part) as source:
        found = _DIMENSION.search(source.read(64 * 1024))
    try:
        _, _, columns, rows = range_boundaries(found.group(1).decode())
    except (AttributeError, ValueError, TypeError):  # no dimension, or a broken one
        rows = columns = 0
    if (
        rows
        and columns
        and _within_limits(rows, columns)
        and filled.rows <= rows
        and filled.columns <= columns
    ):
        return Extent(rows, columns)  # what openpyxl reads by itself
    # No dimension, a wrong one, or the formatted area past the limits (LibreOffice
    # writes that). Cells may also omit their position (r=): reading one row and
    # one column past the limits shows whether anything lies beyond.
    return Extent(limits().rows + 1, limits().columns + 1)


def inspect_xlsx(content: bytes, sheet_name: str | None = None) -> Extent:
    """Check an XLSX file without loading it; the bounds to read the sheet in.
    Raises TableFileError with a Thai message."""
    if zip_directory_size(io.BytesIO(content)) > XLSX_MAX_PARTS * 256:
        raise _too_many_parts(f"เกิน {XLSX_MAX_PARTS:,}")  # seen before zipfile reads them
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise TableFileError(NOT_A_SPREADSHEET) from error
    with archive:
        infos = archive.infolist()
        _check_directory(infos)
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                    raise TableFileError(
                        "ไฟล์นี้มีการประกาศ DTD ในเนื้อ XML ซึ่งโปรแกรมตารางไม่เขียน "
                        "ระบบจึงไม่นำเข้าเพื่อความปลอดภัย กรุณาบันทึกไฟล์จาก Excel ใหม่"
                    )
            _count_elements(archive, infos)
            parts = _worksheet_parts(archive, sheet_name)
            if not parts:  # a zip, but no workbook in it (a .docx, say)
                raise TableFileError(NOT_A_SPREADSHEET)
            extents = [_sheet_extent(archive, title, part) for title, part in parts]
        except TableFileError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
            raise TableFileError(NOT_A_SPREADSHEET) from error
        except RuntimeError as error:  # an encrypted part
            raise TableFileError(NOT_A_SPREADSHEET) from error
    return Extent(max(e.rows for e in extents), max(e.columns for e in extents))


def _read_xlsx(content: bytes, sheet_name: str | None) -> Table:
    bounds = inspect_xlsx(content, sheet_name)
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions other programs write.
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # any broken or foreign zip is "not a spreadsheet"
            raise TableFileError(NOT_A_SPREADSHEET) from error
        try:
            if not workbook.worksheets:
                raise TableFileError(EMPTY)
            sheet = (
                workbook[sheet_name]
                if sheet_name in workbook.sheetnames
                else workbook.worksheets[0]
            )
            # Within the checked bounds, whatever the sheet's dimension says.
            cells = sheet.iter_rows(max_row=bounds.rows, max_col=bounds.columns, values_only=True)
            rows = [(n, [unescape_formula(c) for c in row]) for n, row in enumerate(cells, start=1)]
            for number, row in rows:
                filled = [i for i, cell in enumerate(row, start=1) if cell not in (None, "")]
                if filled and not _within_limits(number, filled[-1]):
                    raise _too_large_table(
                        f"แผ่นงาน “{sheet.title}” มีข้อมูลเกินขอบเขต", number, filled[-1]
                    )
            rows = [(n, row[: limits().columns]) for n, row in rows[: limits().rows]]
        except TableFileError:
            raise
        except Exception as error:
            raise TableFileError(NOT_A_SPREADSHEET) from error
        finally:
            workbook.close()
    return Table("xlsx", rows)


def read_table(
    content: bytes, *, sheet_name: str | None = None, bounds: Limits | None = None
) -> Table:
    """The rows of an XLSX (the sheet named `sheet_name`, else the first) or a
    UTF-8 CSV file, within `bounds` (the measures' limits unless given). Raises
    TableFileError with a Thai message."""
    token = _limits.set(bounds)
    try:
        return _read_table(content, sheet_name)
    finally:
        _limits.reset(token)


def _read_table(content: bytes, sheet_name: str | None) -> Table:
    check_size(len(content))
    if not content.strip():
        raise TableFileError(EMPTY)
    if content.startswith(_ZIP_MAGIC):
        return _read_xlsx(content, sheet_name)
    if content.startswith(_OLE_MAGIC):
        raise TableFileError(OLD_EXCEL)
    if content.startswith(b"%PDF"):
        raise TableFileError(NOT_A_SPREADSHEET)
    return _read_csv(content)
