"""Spreadsheet files as rows of cells: what is a spreadsheet, what is too big,
and keeping cells from being read as formulas.

An XLSX file is checked before openpyxl loads it (`inspect_xlsx`): the zip
directory's uncompressed sizes, no DTD in any XML part, and the read sheet's
`<dimension ref=...>` (or, when that is missing or too large, where its filled
cells really are) against settings.IMPORT_MAX_ROWS × IMPORT_MAX_COLUMNS. A
4.8 KB file whose one cell sits at XFD1048576 is refused in milliseconds
instead of making openpyxl fill a 1,048,576 × 16,384 grid. openpyxl reads the
sheet in read-only mode (streaming, one row at a time) and within those bounds
only. openpyxl parses XML with the standard library (defusedxml is not
installed): Python's expat 2.5 refuses entity-expansion bombs and ElementTree
does not fetch external entities, and `inspect_xlsx` refuses any part that
declares a DTD at all, which no spreadsheet program writes.
"""

import csv
import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import openpyxl
from django.conf import settings
from openpyxl.utils.cell import range_boundaries

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
class Table:
    kind: str  # "xlsx" or "csv"
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cell values)


def check_size(size: int) -> None:
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise TableFileError(f"ไฟล์มีขนาด {megabytes(size)} MB เกินขนาดที่รับได้ ({megabytes(limit)} MB)")


def _too_large_table(where: str, row: int, column: int) -> TableFileError:
    """`where` names the sheet or file, and the cell when known."""
    return TableFileError(
        f"{where} (แถวที่ {row:,} คอลัมน์ที่ {column:,}) เกินขนาดตารางที่นำเข้าได้ "
        f"(ไม่เกิน {settings.IMPORT_MAX_ROWS:,} แถว × {settings.IMPORT_MAX_COLUMNS:,} คอลัมน์) "
        "กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่ตารางมาตรการ แล้วบันทึกไฟล์ใหม่"
    )


def _within_limits(rows: int, columns: int) -> bool:
    return rows <= settings.IMPORT_MAX_ROWS and columns <= settings.IMPORT_MAX_COLUMNS


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
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
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


# --- XLSX: checked from the zip directory and the sheet's first bytes ----------------------

XLSX_MAX_PARTS = 1000  # a workbook of a few sheets has a few dozen
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_ROOT_OR_DTD = re.compile(rb"<(?:!(?:DOCTYPE|ENTITY)|[A-Za-z_])")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z0-9:$]+)"')
# A cell with a position; a self-closing one (<c r="A1" s="3"/>) holds nothing.
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')
_WORKSHEET_REL = "/worksheet"
_SCAN_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int


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


def _worksheet_parts(archive: zipfile.ZipFile, sheet_name: str | None) -> list[tuple[str, str]]:
    """(title, part name) of the sheet openpyxl will read: the one named
    `sheet_name`, else the first worksheet; every worksheet if the workbook's
    own index cannot be read."""
    names = set(archive.namelist())
    every = [(n, n) for n in sorted(names) if "worksheets/" in n and n.endswith(".xml")]
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return every
    targets = {
        r.get("Id"): r.get("Target", "")
        for r in relations
        if r.get("Type", "").endswith(_WORKSHEET_REL)
    }
    sheets = []
    for element in workbook.iter():
        if not element.tag.endswith("}sheet"):
            continue
        relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(relation)
        if target:
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            sheets.append((element.get("name", ""), part))
    chosen = [s for s in sheets if s[0] == sheet_name] or sheets[:1]
    return chosen if chosen and all(part in names for _, part in chosen) else every


def _filled_extent(archive: zipfile.ZipFile, part: str, title: str) -> Extent:
    """Where the sheet's filled cells end, read as a stream (bounded memory);
    refused as soon as one lies past the limits."""
    rows = columns = 0
    tail = b""
    with archive.open(part) as source:
        while chunk := source.read(_SCAN_CHUNK):
            window = tail + chunk
            for letters, number, empty in _CELL.findall(window):
                if empty:
                    continue
                row, column = int(number), range_boundaries(letters.decode() + "1")[0]
                rows, columns = max(rows, row), max(columns, column)
                if row > settings.IMPORT_MAX_ROWS or column > settings.IMPORT_MAX_COLUMNS:
                    cell = f"{letters.decode()}{row}"
                    raise _too_large_table(f"แผ่นงาน “{title}” มีข้อมูลที่เซลล์ {cell}", row, column)
            tail = window[-256:]
    return Extent(rows, columns)


def inspect_xlsx(content: bytes, sheet_name: str | None = None) -> Extent:
    """Check an XLSX file without loading it; the bounds to read the sheet in.
    Raises TableFileError with a Thai message."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise TableFileError(NOT_A_SPREADSHEET) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > XLSX_MAX_PARTS:
            raise TableFileError(
                f"ไฟล์นี้มีส่วนประกอบภายในมากผิดปกติ ({len(infos):,} ส่วน) จึงไม่ใช่ไฟล์ตารางที่นำเข้าได้"
            )
        unpacked = sum(info.file_size for info in infos)
        limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
        if unpacked > limit:
            raise TableFileError(
                f"ไฟล์นี้เมื่อแตกออกมีขนาด {megabytes(unpacked)} MB เกินที่นำเข้าได้ "
                f"({megabytes(limit)} MB) ตารางมาตรการทั้งปีปกติมีขนาดไม่ถึง 1 MB "
                "กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง"
            )
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                    raise TableFileError(
                        "ไฟล์นี้มีการประกาศ DTD ในเนื้อ XML ซึ่งโปรแกรมตารางไม่เขียน "
                        "ระบบจึงไม่นำเข้าเพื่อความปลอดภัย กรุณาบันทึกไฟล์จาก Excel ใหม่"
                    )
            parts = _worksheet_parts(archive, sheet_name)
            if not parts:  # a zip, but no workbook in it (a .docx, say)
                raise TableFileError(NOT_A_SPREADSHEET)
            extents = []
            for title, part in parts:
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
                    extents.append(Extent(rows, columns))  # what openpyxl reads by itself
                else:
                    # No dimension, a wrong one, or the formatted area past the limits
                    # (LibreOffice writes that). Cells may also omit their position
                    # (r=): reading one row and one column past the limits shows
                    # whether anything lies beyond.
                    extents.append(
                        Extent(settings.IMPORT_MAX_ROWS + 1, settings.IMPORT_MAX_COLUMNS + 1)
                    )
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
            rows = [
                (n, row[: settings.IMPORT_MAX_COLUMNS])
                for n, row in rows[: settings.IMPORT_MAX_ROWS]
            ]
        except TableFileError:
            raise
        except Exception as error:
            raise TableFileError(NOT_A_SPREADSHEET) from error
        finally:
            workbook.close()
    return Table("xlsx", rows)


def read_table(content: bytes, *, sheet_name: str | None = None) -> Table:
    """The rows of an XLSX (the sheet named `sheet_name`, else the first) or a
    UTF-8 CSV file. Raises TableFileError with a Thai message."""
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
