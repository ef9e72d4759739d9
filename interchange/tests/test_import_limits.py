"""Spreadsheet imports are checked before the workbook is loaded: a sheet whose
cells reach past IMPORT_MAX_ROWS × IMPORT_MAX_COLUMNS, a zip that unpacks past
IMPORT_MAX_UNCOMPRESSED_BYTES, an XML part with a DTD, a CSV past the rows or
columns are refused with a Thai message, through every import path."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from interchange.importer import import_measures
from interchange.shape import COLUMNS
from interchange.tables import TableFileError, read_table
from interchange.tests.sheets import cell_xml, csv_bytes, minimal_xlsx, sheet_xml, year_state
from organizations.models import Membership
from organizations.services import add_member
from testing.factories import UserFactory

ROW = (
    "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้อำนาจ",
    "กองคลัง",
    "๑. ประกาศแนวทางการใช้ดุลพินิจ",
    "๑. รายงานผู้บริหาร",
    "",
    "",
)
FAR_CELL = (
    "แผ่นงาน “Sheet1” มีข้อมูลที่เซลล์ XFD1048576 (แถวที่ 1,048,576 คอลัมน์ที่ 16,384) "
    "เกินขนาดตารางที่นำเข้าได้ (ไม่เกิน 2,000 แถว × 50 คอลัมน์) "
    "กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่ตารางมาตรการ แล้วบันทึกไฟล์ใหม่"
)


def table_rows(rows) -> dict[int, list[str]]:
    """Header and rows as sheet_xml's cells, from A1."""
    letters = "ABCDEF"
    return {
        number: [cell_xml(f"{letters[i]}{number}", text) for i, text in enumerate(row) if text]
        for number, row in enumerate([COLUMNS, *rows], start=1)
    }


def far_cell_xlsx(**dimension) -> bytes:
    """The report's table and one more cell at XFD1048576, the last cell Excel has."""
    rows = table_rows([ROW])
    rows[1048576] = [cell_xml("XFD1048576", "x")]
    return minimal_xlsx(sheet_xml(rows, **dimension))


def refusal(content: bytes) -> str:
    with pytest.raises(TableFileError) as raised:
        read_table(content)
    return str(raised.value)


@pytest.mark.parametrize(
    "dimension",
    [
        {"dimension": "A1:XFD1048576"},  # as Excel and openpyxl write it
        {},  # none (it is optional)
        {"dimension": "A1:F2"},  # one that hides the far cell
    ],
    ids=["true-dimension", "no-dimension", "lying-dimension"],
)
def test_a_cell_at_xfd1048576_is_refused_before_loading(dimension):
    content = far_cell_xlsx(**dimension)
    assert len(content) < 5000
    assert refusal(content) == FAR_CELL


def test_a_far_cell_in_a_file_saved_by_openpyxl_is_refused():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    sheet.append(list(ROW))
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "มีข้อมูลที่เซลล์ XFD1048576" in refusal(buffer.getvalue())


def test_a_huge_formatted_area_with_a_small_table_still_imports():
    # LibreOffice writes the formatted area as the dimension; the filled cells decide.
    content = minimal_xlsx(sheet_xml(table_rows([ROW]), dimension="A1:AMJ1048576"))
    table = read_table(content)
    assert [cells[:2] for _, cells in table.rows] == [list(COLUMNS[:2]), list(ROW[:2])]


def test_a_table_within_limits_reads_whole_even_when_its_dimension_is_wrong():
    content = minimal_xlsx(sheet_xml(table_rows([ROW, ROW]), dimension="A1:A1"))
    assert [n for n, _ in read_table(content).rows] == [1, 2, 3]
    assert [cell or "" for cell in read_table(content).rows[2][1][:6]] == list(ROW)


def test_rows_and_columns_past_the_chosen_limits(settings):
    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_MAX_COLUMNS = 6
    rows = table_rows([ROW, ROW, ROW])  # header + 3 rows: row 4 is one too many
    assert refusal(minimal_xlsx(sheet_xml(rows, dimension="A1:F4"))) == (
        "แผ่นงาน “Sheet1” มีข้อมูลที่เซลล์ A4 (แถวที่ 4 คอลัมน์ที่ 1) เกินขนาดตารางที่นำเข้าได้ "
        "(ไม่เกิน 3 แถว × 6 คอลัมน์) กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่ตารางมาตรการ แล้วบันทึกไฟล์ใหม่"
    )
    wide = table_rows([ROW])
    wide[2].append(cell_xml("G2", "เกิน"))
    assert "มีข้อมูลที่เซลล์ G2 (แถวที่ 2 คอลัมน์ที่ 7)" in refusal(minimal_xlsx(sheet_xml(wide)))


def test_cells_without_positions_past_the_limits_are_refused(settings):
    # r= is optional on rows and cells; openpyxl counts them, the bounded read sees them.
    settings.IMPORT_MAX_ROWS = 2
    body = "".join(
        "<row>"
        + "".join(f'<c t="inlineStr"><is><t>{t or "-"}</t></is></c>' for t in row)
        + "</row>"
        for row in [COLUMNS, ROW, ROW]
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    assert refusal(minimal_xlsx(sheet)).startswith(
        "แผ่นงาน “Sheet1” มีข้อมูลเกินขอบเขต (แถวที่ 3 คอลัมน์ที่ 6) เกินขนาดตารางที่นำเข้าได้"
    )


def test_a_zip_that_unpacks_past_the_limit_is_refused_from_its_directory(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    padding = " " * (3 * 1024 * 1024)  # compresses to a few KB
    content = minimal_xlsx(sheet_xml(table_rows([ROW]), head=f"<!--{padding}-->"))
    assert len(content) < 20_000
    assert refusal(content) == (
        "ไฟล์นี้เมื่อแตกออกมีขนาด 3 MB เกินที่นำเข้าได้ (1 MB) "
        "ตารางมาตรการทั้งปีปกติมีขนาดไม่ถึง 1 MB กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง"
    )


def test_an_xml_part_with_a_dtd_is_refused():
    bomb = '<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    content = minimal_xlsx(sheet_xml(table_rows([ROW])), workbook_head=bomb)
    assert refusal(content) == (
        "ไฟล์นี้มีการประกาศ DTD ในเนื้อ XML ซึ่งโปรแกรมตารางไม่เขียน "
        "ระบบจึงไม่นำเข้าเพื่อความปลอดภัย กรุณาบันทึกไฟล์จาก Excel ใหม่"
    )


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(buffer.getvalue()) == "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)"


def test_csv_rows_and_columns_past_the_limits(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert refusal(csv_bytes([ROW, ROW, ROW])) == (
        "ไฟล์ CSV มีข้อมูลเกินขอบเขต (แถวที่ 4 คอลัมน์ที่ 4) เกินขนาดตารางที่นำเข้าได้ "
        "(ไม่เกิน 3 แถว × 50 คอลัมน์) กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่ตารางมาตรการ แล้วบันทึกไฟล์ใหม่"
    )
    settings.IMPORT_MAX_ROWS = 2000
    assert "(แถวที่ 2 คอลัมน์ที่ 51)" in refusal(csv_bytes([[*ROW, *[""] * 44, "x"]]))
    # Empty trailing rows and columns, as Excel writes them, are not data.
    table = read_table(csv_bytes([[*ROW, *[""] * 60]]) + b",,,\r\n" * 3000)
    assert len(table.rows) == 2000 and len(table.rows[1][1]) == 50


# --- What openpyxl would read element by element: counted from the stream first ------------

TOO_MUCH = (
    "ตารางมาตรการ 2,000 แถวมีไม่ถึงนี้ ระบบจึงไม่อ่านไฟล์นี้ กรุณาคัดลอกเฉพาะตารางมาตรการ"
    "ไปวางในไฟล์ใหม่ (วางแบบค่า) แล้วบันทึกและนำเข้าอีกครั้ง"
)
STRINGS_BOMB = (
    "ไฟล์นี้มีข้อความที่เก็บรวมไว้ (shared strings) เกิน 20,000 รายการ "
    "ตารางมาตรการ 2,000 แถวมีไม่ถึงนี้ ระบบจึงไม่อ่านไฟล์นี้ กรุณาคัดลอกเฉพาะตารางมาตรการ"
    "ไปวางในไฟล์ใหม่ (วางแบบค่า) แล้วบันทึกและนำเข้าอีกครั้ง"
)


def strings_bomb() -> bytes:
    """The report's table, and 3.5 million empty shared strings (45.5 MB unpacked,
    ~90 KB packed): openpyxl reads every one as it loads."""
    return minimal_xlsx(sheet_xml(table_rows([ROW])), shared_strings="<si><t/></si>" * 3_500_000)


@pytest.fixture
def fifty_megabytes(settings):
    """The unpacked limit as it was when the bomb was found (now 10 MiB)."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024


def test_a_shared_strings_bomb_is_refused_before_loading(fifty_megabytes):
    content = strings_bomb()
    assert len(content) < 150_000
    assert refusal(content) == STRINGS_BOMB


def test_the_default_unpacked_limit_refuses_it_from_the_directory():
    assert refusal(strings_bomb()).startswith("ไฟล์นี้เมื่อแตกออกมีขนาด 43.4 MB เกินที่นำเข้าได้ (10 MB)")


def test_shared_strings_within_the_bound_are_read(settings):
    settings.IMPORT_MAX_ROWS = 3  # 30 cells and shared strings at most
    cells = {1: ['<c r="A1" t="s"><v>29</v></c>']}
    strings = "".join(f"<si><t>ข้อความ {n}</t></si>" for n in range(30))
    table = read_table(minimal_xlsx(sheet_xml(cells), shared_strings=strings))
    assert table.rows[0][1][0] == "ข้อความ 29"
    assert "เกิน 30 รายการ" in refusal(
        minimal_xlsx(sheet_xml(cells), shared_strings=strings + "<si/>")
    )


def test_cells_of_the_rows_read_past_ten_a_row_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 3  # 30 cells at most in the 5 rows openpyxl would read
    styled = {n: [f'<c r="{letter}{n}" s="1"/>' for letter in "ABCDEFGHIJ"] for n in (1, 2, 3)}
    assert read_table(minimal_xlsx(sheet_xml(styled))).rows[0][1][:10] == [None] * 10
    styled[4] = ['<c r="A4" s="1"/>']
    assert refusal(minimal_xlsx(sheet_xml(styled))) == (
        "แผ่นงาน “Sheet1” มีเซลล์ (รวมเซลล์ว่างที่จัดรูปแบบไว้) ใน 3 แถวแรก เกิน 30 เซลล์ "
        + TOO_MUCH.replace("2,000", "3")
    )


def test_a_sheet_without_a_dimension_is_counted_whole(settings):
    # openpyxl walks a sheet to its end looking for the dimension, past the rows it reads.
    settings.IMPORT_MAX_ROWS = 3
    rows = table_rows([ROW]) | {number: [] for number in range(3, 8)}
    rows[100] = ['<c r="A100" s="1"/>'] * 80  # with the rows and the table's cells, past 90
    assert refusal(minimal_xlsx(sheet_xml(rows))).startswith(
        "แผ่นงาน “Sheet1” ไม่ระบุขอบเขตข้อมูล และมีเซลล์มากเกินที่อ่านได้"
    )
    # With one, only the rows read count: empty cells past them cost nothing.
    assert len(read_table(minimal_xlsx(sheet_xml(rows, dimension="A1:F2"))).rows) == 2


def test_styles_past_the_bound_are_refused():
    content = minimal_xlsx(sheet_xml(table_rows([ROW])), styles="<xf/>" * 5_001)
    assert refusal(content) == ("ไฟล์นี้มีการจัดรูปแบบหรือข้อมูลประกอบภายในเกิน 5,000 รายการ " + TOO_MUCH)
    assert len(read_table(minimal_xlsx(sheet_xml(table_rows([ROW])), styles="<xf/>" * 100)).rows)


def test_a_filled_cell_without_a_position_past_the_rows_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = table_rows([ROW])
    for number in range(3, 7):
        rows[number] = []
    rows[7] = ['<c t="inlineStr"><is><t>เกิน</t></is></c>']
    assert refusal(minimal_xlsx(sheet_xml(rows, dimension="A1:F2"))) == (
        "แผ่นงาน “Sheet1” มีข้อมูลในแถวที่ 7 เกินขนาดตารางที่นำเข้าได้ (ไม่เกิน 3 แถว) "
        "กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช่ตารางมาตรการ แล้วบันทึกไฟล์ใหม่"
    )


def test_other_worksheets_are_not_counted(settings):
    # A workbook exported for several years: only the sheet imported is read.
    settings.IMPORT_MAX_ROWS = 10  # 100 cells at most
    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(list(ROW))
    other = workbook.create_sheet("2567")
    for _ in range(30):
        other.append(list(range(10)))  # 300 cells, with a dimension, as openpyxl writes
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [n for n, _ in read_table(buffer.getvalue()).rows] == [1, 2]


# --- Every import path says it ------------------------------------------------------------


@pytest.fixture
def seeded(seed):
    return seed


def test_the_importer_refuses_the_far_cell_and_changes_nothing(seeded):
    before = year_state(seeded.organization, seeded.fiscal_year)
    result = import_measures(
        content=far_cell_xlsx(dimension="A1:XFD1048576"),
        organization=seeded.organization,
        fiscal_year=seeded.fiscal_year,
        round_kind=None,
        create_divisions=False,
    )
    assert [str(e) for e in result.errors] == [FAR_CELL]
    assert year_state(seeded.organization, seeded.fiscal_year) == before


def test_the_admin_import_shows_the_refusal(coordinator_client, seeded):
    response = coordinator_client.post(
        reverse("admin:measures_measure_import"),
        {
            "organization": seeded.organization.pk,
            "fiscal_year": seeded.fiscal_year.pk,
            "round_kind": "",
            "file": SimpleUploadedFile("measures.xlsx", far_cell_xlsx()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "มีข้อมูลที่เซลล์ XFD1048576 (แถวที่ 1,048,576 คอลัมน์ที่ 16,384)" in page
    assert 'id="confirm-form"' not in page


def test_the_import_command_refuses_it(seeded, tmp_path):
    path = tmp_path / "measures.xlsx"
    path.write_bytes(far_cell_xlsx())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="นำเข้าไม่สำเร็จ"):
        call_command(
            "import_measures",
            str(path),
            "--organization",
            seeded.organization.slug,
            "--fiscal-year",
            str(seeded.fiscal_year.year),
            stdout=out,
            stderr=err,
        )
    assert FAR_CELL in err.getvalue()


def test_the_admin_preview_refuses_the_strings_bomb_and_keeps_nothing(
    client, seeded, settings, tmp_path, fifty_megabytes
):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.TempFolderStorage"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    coordinator = UserFactory(username="coord")
    add_member(
        member=coordinator, organization=seeded.organization, role=Membership.Role.COORDINATOR
    )
    client.force_login(coordinator)
    before = year_state(seeded.organization, seeded.fiscal_year)
    response = client.post(
        reverse("admin:measures_measure_import"),
        {
            "organization": seeded.organization.pk,
            "fiscal_year": seeded.fiscal_year.pk,
            "round_kind": "",
            "file": SimpleUploadedFile("measures.xlsx", strings_bomb()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert STRINGS_BOMB in page
    assert 'id="confirm-form"' not in page and "wordings_token" not in page
    assert year_state(seeded.organization, seeded.fiscal_year) == before
