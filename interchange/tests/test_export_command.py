"""`manage.py export_measures`, the command-line twin of import_measures."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interchange.exporters import EXPORTERS, build_sheet
from interchange.shape import COLUMNS
from interchange.tests.sheets import year_state
from thai.conventions import to_arabic_digits

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seed):
    return seed


class Terminal(io.TextIOWrapper):
    """Standard output that is a terminal (what `isatty` tells the command)."""

    def isatty(self) -> bool:
        return True


def export(*args, stdout=None):
    stdout = stdout or io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    call_command("export_measures", *args, stdout=stdout, stderr=stderr)
    stdout.flush()
    return stdout, stderr.getvalue()


def expected(seeded, identifier: str, round_kind: int = 6) -> bytes:
    sheet = build_sheet(
        organization=seeded.organization, fiscal_year=seeded.fiscal_year, round_kind=round_kind
    )
    return EXPORTERS[identifier].export([sheet])[2]


def test_csv_goes_to_standard_output_and_the_summary_to_standard_error(seeded):
    stdout, stderr = export(
        "--organization", "ubon-pao", "--fiscal-year", "2566", "--format", "csv"
    )
    assert stdout.buffer.getvalue() == expected(seeded, "csv")
    assert stderr == (
        "ส่งออกมาตรการ 8 รายการขององค์การบริหารส่วนจังหวัดอุบลราชธานี ปีงบประมาณ พ.ศ. 2566 "
        "(ผลการดำเนินการรอบ 6 เดือน) เป็นไฟล์ CSV\n"
    )


def test_xlsx_is_refused_on_a_terminal_but_written_to_a_pipe_or_a_file(seeded, tmp_path):
    terminal = Terminal(io.BytesIO(), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        export("--organization", "ubon-pao", "--fiscal-year", "2566", stdout=terminal)
    assert str(raised.value) == (
        "ไฟล์ XLSX เป็นข้อมูลไบนารี จึงไม่แสดงบนหน้าจอ "
        "กรุณาระบุไฟล์ด้วย -o เช่น -o มาตรการ.xlsx หรือเลือก --format csv"
    )
    assert terminal.buffer.getvalue() == b""

    piped, _ = export("--organization", "ubon-pao", "--fiscal-year", "2566")
    assert piped.buffer.getvalue().startswith(b"PK\x03\x04")

    path = tmp_path / "มาตรการ.xlsx"
    out, _ = export(
        "--organization", "ubon-pao", "--fiscal-year", "2566", "--round", "12", "-o", str(path)
    )
    sheet = openpyxl.load_workbook(path).active
    assert to_arabic_digits(sheet["A2"].value).startswith("ผลการดำเนินการรอบ 12 เดือน")
    out.seek(0)
    assert out.read().endswith(f"เป็นไฟล์ XLSX: {path}\n")


def test_the_format_follows_the_files_extension(seeded, tmp_path):
    path = tmp_path / "measures.csv"
    export("--organization", "ubon-pao", "--fiscal-year", "2566", "-o", str(path))
    assert path.read_bytes() == expected(seeded, "csv")


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_exported_file_imports_back_unchanged(seeded, tmp_path, suffix):
    path = tmp_path / f"ubon.{suffix}"
    export("--organization", "ubon-pao", "--fiscal-year", "2566", "-o", str(path))
    before = year_state(seeded.organization, seeded.fiscal_year)
    out = io.StringIO()
    call_command(
        "import_measures", str(path), "--organization=ubon-pao", "--fiscal-year=2566", stdout=out
    )
    assert out.getvalue().splitlines()[-1] == "นำเข้าเรียบร้อย: สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 8"
    assert year_state(seeded.organization, seeded.fiscal_year) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--organization", "nowhere", "--fiscal-year", "2566"],
            "ไม่พบหน่วยงาน “nowhere” (ระบุชื่อหน่วยงานหรือชื่อย่อในลิงก์)",
        ),
        (
            ["--organization", "ubon-pao", "--fiscal-year", "2599"],
            "ไม่พบปีงบประมาณ พ.ศ. 2599 ในระบบ (ปีงบประมาณที่มีเกณฑ์การประเมิน: 2566)",
        ),
        (
            ["--organization", "ubon-pao", "--fiscal-year", "2566", "-o", "/no/such/dir/x.xlsx"],
            "ไม่พบโฟลเดอร์ /no/such/dir สำหรับเขียนไฟล์ x.xlsx",
        ),
    ],
)
def test_what_cannot_be_exported_is_said_in_thai(seeded, args, message):
    with pytest.raises(CommandError) as raised:
        export(*args)
    assert str(raised.value) == message


def test_a_year_the_portal_ships_but_nobody_used_exports_an_empty_table(seeded):
    stdout, stderr = export(
        "--organization", "ubon-pao", "--fiscal-year", "2570", "--format", "csv"
    )
    lines = stdout.buffer.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # the two titles and the header
    assert "ประจำปีงบประมาณ พ.ศ. 2570" in to_arabic_digits(lines[0])
    assert lines[2] == ",".join(COLUMNS)
    assert "ส่งออกมาตรการ 0 รายการ" in stderr
