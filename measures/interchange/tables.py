"""Spreadsheet files as rows of cells: what is a spreadsheet, what is too big,
and keeping cells from being read as formulas."""

import csv
import io
import warnings
from dataclasses import dataclass

import openpyxl
from django.conf import settings

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


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_size(size: int) -> None:
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise TableFileError(
            f"ไฟล์มีขนาด {_megabytes(size)} MB เกินขนาดที่รับได้ ({_megabytes(limit)} MB)"
        )


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
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise TableFileError(NOT_A_SPREADSHEET) from error
    return Table("csv", [(n, [unescape_formula(c) for c in row]) for n, row in enumerate(rows, 1)])


def _read_xlsx(content: bytes, sheet_name: str | None) -> Table:
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
            rows = [
                (n, [unescape_formula(c) for c in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
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
