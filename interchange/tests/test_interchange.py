import codecs
import io
from datetime import date, datetime

import openpyxl
import pytest

from interchange import shape
from interchange.exporters import EXPORTERS, build_sheet
from interchange.importer import import_measures
from interchange.tests.sheets import csv_bytes, measure_rows, xlsx_bytes, year_state
from measures import services
from measures.models import Measure, Round
from measures.steps_text import ItemLine
from organizations.models import Division
from progress.models import Progress
from testing.factories import DivisionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seed):
    return seed


def export(seeded, identifier="xlsx", round_kind=6) -> bytes:
    sheet = build_sheet(
        organization=seeded.organization, fiscal_year=seeded.fiscal_year, round_kind=round_kind
    )
    return EXPORTERS[identifier].export([sheet])[2]


def run_import(seeded, content, **options):
    return import_measures(
        content=content,
        organization=options.pop("organization", seeded.organization),
        fiscal_year=seeded.fiscal_year,
        **options,
    )


def test_the_columns_are_the_reports_columns():
    from reports.document import COLUMNS

    assert shape.COLUMNS == COLUMNS


# --- Round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["xlsx", "csv"])
def test_seed_exported_and_imported_again_is_identical(seeded, identifier):
    organization, fiscal_year = seeded.organization, seeded.fiscal_year
    before = year_state(organization, fiscal_year)
    content = export(seeded, identifier)

    Measure.objects.filter(organization=organization, fiscal_year=fiscal_year).delete()
    # The seed's 6-month round is closed; a closed round takes no new results.
    Round.objects.filter(organization=organization, kind=6).update(is_open=True)
    result = run_import(seeded, content, source_name=f"seed.{identifier}")

    assert result.ok, [str(e) for e in result.errors]
    assert result.summary == "สร้างใหม่ 8 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    after = year_state(organization, fiscal_year)
    before["rounds"] = [(6, True), (12, True)]
    assert after == before
    assert len(after["measures"]) == 8
    assert sum(len(m["steps"]) for m in after["measures"]) == 46


@pytest.mark.parametrize("identifier", ["xlsx", "csv"])
def test_importing_an_export_over_its_own_data_changes_nothing(seeded, identifier):
    content = export(seeded, identifier)
    history = Measure.history.count()
    result = run_import(seeded, content)
    assert result.ok
    assert result.summary == "สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 8"
    assert Measure.history.count() == history


def test_xlsx_export_looks_like_the_report(seeded):
    workbook = openpyxl.load_workbook(io.BytesIO(export(seeded)))
    sheet = workbook.active
    assert sheet.title == "ubon-pao 2566"
    assert sheet["A1"].value == (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์การบริหารส่วนจังหวัดอุบลราชธานี ประจำปีงบประมาณ พ.ศ. 2566"
    )
    assert sheet["A2"].value == "ผลการดำเนินการรอบ 6 เดือน (เดือนตุลาคม 2565 - มีนาคม 2566)"
    header = [cell for cell in sheet[3]]
    assert tuple(cell.value for cell in header) == shape.COLUMNS
    assert all(cell.font.b and cell.font.name == "Sarabun" for cell in header)
    starts = measure_rows(sheet)
    assert len(starts) == 8 and starts[0] == 4
    first = sheet[4]
    assert first[0].value == ("เครื่องมือการประเมิน OIT\nตัวชี้วัดการเสริมสร้างวัฒนธรรมองค์กร (ตัวชี้วัดที่ 10)")
    assert first[2].value.startswith("1. จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่\n2. ")
    assert first[5].value == "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row):
        for cell in row:
            assert cell.alignment.wrap_text and cell.font.name == "Sarabun"
            assert not cell.font.b
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert widths[2] == max(widths) and min(widths) >= 15
    assert sheet.freeze_panes == "A4"
    # Measure 2's sub-items: second level indented, as the importer reads it back.
    second = sheet.cell(row=starts[1], column=3).value
    assert "\n- มีข้อมูลรายละเอียดการวิเคราะห์ ประกอบด้วย\n  (1) ประเด็นที่" in second
    # Rows are as tall as their longest cell (spreadsheets do not grow them on opening):
    # measure 6 (3 steps) is taller than one line, and none is taller than Excel shows.
    heights = {n: sheet.row_dimensions[n].height for n in range(3, sheet.max_row + 1)}
    assert heights[starts[5]] > heights[3] and max(heights.values()) <= 409
    assert heights[3] >= 2 * 16  # the two-line headings


def test_csv_export_is_utf8_with_bom_for_excel(seeded):
    content = export(seeded, "csv")
    assert content.startswith(codecs.BOM_UTF8)
    text = content.decode("utf-8-sig")
    assert ",".join(shape.COLUMNS) in text
    assert "ตัวชี้วัดการใช้ทรัพย์สินของราชการ" in text


def test_export_costs_the_same_queries_for_any_number_of_measures(
    seeded, django_assert_num_queries
):
    # catalogue names, measures (+indicator, tool), divisions, steps, sub-items, progress
    with django_assert_num_queries(6):
        sheet = build_sheet(organization=seeded.organization, fiscal_year=seeded.fiscal_year)
    assert len(sheet.rows) == 8


def test_the_result_column_is_the_chosen_rounds(seeded):
    twelve = Round.objects.get(organization=seeded.organization, kind=12)
    measure = Measure.objects.get(organization=seeded.organization, order=3)
    Progress.objects.create(
        measure=measure, round=twelve, status="in_progress", result_text="ร้อยละ 50"
    )
    sheet = build_sheet(
        organization=seeded.organization, fiscal_year=seeded.fiscal_year, round_kind=12
    )
    assert [row[5] for row in sheet.rows[1:4]] == ["", "อยู่ระหว่างดำเนินการ\nร้อยละ 50", ""]
    assert "รอบ 12 เดือน" in sheet.titles[1]


# --- Formula escaping ------------------------------------------------------------------------


@pytest.fixture
def dangerous(seeded):
    measure = Measure.objects.get(organization=seeded.organization, order=3)
    measure.monitoring = '=HYPERLINK("http://evil.example","คลิก")\n@SUM(1+1)'
    measure.save()
    division = DivisionFactory(organization=seeded.organization, name="+กองพิเศษ")
    services.set_divisions(measure=measure, divisions=[division])
    return measure


def test_csv_export_never_starts_a_cell_with_a_formula(seeded, dangerous):
    import csv

    text = export(seeded, "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","คลิก")\n@SUM(1+1)' in cells
    assert "'+กองพิเศษ" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_xlsx_export_keeps_formula_like_text_as_text(seeded, dangerous):
    sheet = openpyxl.load_workbook(io.BytesIO(export(seeded))).active
    third = measure_rows(sheet)[2]
    monitoring, division = sheet.cell(row=third, column=4), sheet.cell(row=third, column=2)
    assert monitoring.value.startswith("=HYPERLINK")
    assert monitoring.data_type == "s" and monitoring.quotePrefix
    assert division.value == "+กองพิเศษ" and division.data_type == "s"


@pytest.mark.parametrize("identifier", ["xlsx", "csv"])
def test_escaped_cells_read_back_as_written(seeded, dangerous, identifier):
    before = year_state(seeded.organization, seeded.fiscal_year)
    result = run_import(seeded, export(seeded, identifier))
    assert result.summary == "สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 8"
    assert year_state(seeded.organization, seeded.fiscal_year) == before


# --- A sheet made by hand --------------------------------------------------------------------

HAND_MADE = [
    (
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดการเสริมสร้าง\nวัฒนธรรมองค์กร (ตัวชี้วัดที่ ๑๐)",
        "กองการเจ้าหน้าที่",
        "๑. จัดทำประมวลจริยธรรมสำหรับ\nเจ้าหน้าที่\n"
        "๒. จัดทำการวิเคราะห์ผลการประเมิน\n"
        "- มีข้อมูลรายละเอียดการวิเคราะห์ ประกอบด้วย\n"
        "(๑) ประเด็นที่ข้อบกพร่องหรือจุดอ่อนที่\nจะต้องแก้ไขโดยเร่งด่วน\n"
        "(๒) ประเด็นที่จะต้องพัฒนาให้ดีขึ้น\n"
        "- มีการกำหนดแนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ\n"
        "๓. รายงานผลต่อสำนักงาน\nป.ป.ช. ภายในเดือนเมษายน",
        "๑. เจ้าหน้าที่ผู้รับผิดชอบรายงานผล\nการดำเนินการให้ผู้บริหารทราบ\n๒. ผู้บริหารกำกับติดตาม",
        "๓๐ ก.ย. ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่\n๑๘ เม.ย. ๒๕๖๖\nจัดประชุม ๒ ครั้ง",
    ),
    (
        "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต",
        "- สำนักปลัดองค์การ\nบริหารส่วนจังหวัด\n- ทุกส่วนราชการ",
        "๑. จัดทำและรายงานการจัดทำระบบตรวจสอบภายใน ดังนี้\n"
        "๑) จัดให้มีหน่วยงานตรวจสอบภายใน\n"
        "๒) เผยแพร่ผลการตรวจสอบภายใน",
        "๑. รายงานผู้บริหาร",
        "",
        "",
    ),
    (
        "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้งบประมาณ",
        "สำนักปลัดองค์การ\nบริหารส่วนจังหวัด\nกองคลัง",
        "1. แจ้งเวียนแผนการใช้จ่ายงบประมาณ\n- ประกอบด้วย\n  (1) ความคืบหน้า\n  (2) ความคุ้มค่า\n"
        "2. รับฟังความคิดเห็น",
        "1. รายงานผู้บริหาร",
        datetime(2023, 3, 31),
        "อยู่ระหว่างดำเนินการ\nร้อยละ ๕๐",
    ),
]


@pytest.fixture
def agency(seeded):
    """A second agency on the same year's catalogue, with its own divisions."""
    organization = OrganizationFactory(slug="hand-made", thai_digits=False)
    for name in ["กองการเจ้าหน้าที่", "สำนักปลัดองค์การบริหารส่วนจังหวัด", "กองคลัง"]:
        DivisionFactory(organization=organization, name=name)
    DivisionFactory(organization=organization, name="ทุกส่วนราชการ", kind=Division.Kind.ALL)
    return organization


def test_a_hand_made_sheet_with_thai_digits_and_wrapped_lines_imports(seeded, agency):
    """Step numbers, the indicator number and dates are read in Thai digits; the
    text people typed keeps its Thai digits (markers, monitoring, result)."""
    content = xlsx_bytes(HAND_MADE)
    result = run_import(seeded, content, organization=agency)
    assert result.ok, [str(e) for e in result.errors]
    assert result.new_rounds == ["รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566"]
    first, second, third = year_state(agency, seeded.fiscal_year)["measures"]
    assert first == {
        "order": 1,
        "tool": "OIT",
        "indicator": "10",
        "target": "การเสริมสร้างวัฒนธรรมองค์กร",
        "divisions": ["กองการเจ้าหน้าที่"],
        "steps": [
            (1, "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่", []),
            (
                2,
                "จัดทำการวิเคราะห์ผลการประเมิน",
                [
                    (1, "-", "มีข้อมูลรายละเอียดการวิเคราะห์ ประกอบด้วย"),
                    (2, "(๑)", "ประเด็นที่ข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน"),
                    (2, "(๒)", "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น"),
                    (1, "-", "มีการกำหนดแนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ"),
                ],
            ),
            (3, "รายงานผลต่อสำนักงานป.ป.ช. ภายในเดือนเมษายน", []),
        ],
        "monitoring": "๑. เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ\n๒. ผู้บริหารกำกับติดตาม",
        "deadline": date(2023, 9, 30),
        "progress": [(6, "done", date(2023, 4, 18), "จัดประชุม ๒ ครั้ง", "")],
    }
    assert (second["tool"], second["indicator"], second["target"]) == ("OIT", "10", "")
    assert second["divisions"] == ["สำนักปลัดองค์การบริหารส่วนจังหวัด", "ทุกส่วนราชการ"]
    assert second["steps"] == [
        (
            1,
            "จัดทำและรายงานการจัดทำระบบตรวจสอบภายใน ดังนี้",
            [(1, "๑)", "จัดให้มีหน่วยงานตรวจสอบภายใน"), (1, "๒)", "เผยแพร่ผลการตรวจสอบภายใน")],
        )
    ]
    assert (second["deadline"], second["progress"]) == (None, [])
    assert (third["tool"], third["indicator"], third["target"]) == ("IIT", "2", "")
    assert third["divisions"] == ["สำนักปลัดองค์การบริหารส่วนจังหวัด", "กองคลัง"]
    assert third["steps"][0][2] == [
        (1, "-", "ประกอบด้วย"),
        (2, "(1)", "ความคืบหน้า"),
        (2, "(2)", "ความคุ้มค่า"),
    ]
    assert third["deadline"] == date(2023, 3, 31)
    assert third["progress"] == [(6, "in_progress", None, "ร้อยละ ๕๐", "")]


def test_the_same_sheet_as_csv_imports_the_same(seeded, agency):
    rows = [tuple("31/03/2566" if isinstance(c, datetime) else c for c in r) for r in HAND_MADE]
    assert run_import(seeded, csv_bytes(rows), organization=agency).ok
    from_csv = year_state(agency, seeded.fiscal_year)
    Measure.objects.filter(organization=agency).delete()
    assert run_import(seeded, xlsx_bytes(HAND_MADE), organization=agency).ok
    assert year_state(agency, seeded.fiscal_year) == from_csv


def test_importing_the_same_file_twice_does_not_duplicate(seeded, agency):
    content = xlsx_bytes(HAND_MADE)
    assert run_import(seeded, content, organization=agency).summary == (
        "สร้างใหม่ 3 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    )
    first = year_state(agency, seeded.fiscal_year)
    again = run_import(seeded, content, organization=agency)
    assert again.summary == "สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 3"
    assert year_state(agency, seeded.fiscal_year) == first
    assert Measure.objects.filter(organization=agency).count() == 3


def test_an_edited_row_updates_its_measure_in_place(seeded, agency):
    assert run_import(seeded, xlsx_bytes(HAND_MADE), organization=agency).ok
    ids = list(Measure.objects.filter(organization=agency).order_by("order").values_list("pk"))
    edited = [list(row) for row in HAND_MADE]
    edited[0][0] = "เครื่องมือการประเมิน OIT\nตัวชี้วัดวัฒนธรรมองค์กรที่ดี (ตัวชี้วัดที่ 10)"
    edited[2][2] = "1. แจ้งเวียนแผนการใช้จ่ายงบประมาณ"
    result = run_import(seeded, xlsx_bytes(edited), organization=agency)
    assert [(row.action, row.changes) for row in result.rows] == [
        ("update", ["ถ้อยคำประเด็นที่ต้องปรับปรุง"]),
        ("unchanged", []),
        ("update", ["ขั้นตอนหรือวิธีการ/มาตรการ"]),
    ]
    measures = Measure.objects.filter(organization=agency).order_by("order")
    assert list(measures.values_list("pk")) == ids
    assert measures[0].target == "วัฒนธรรมองค์กรที่ดี"


def test_moved_rows_keep_their_measures_and_unlisted_measures_are_kept(seeded, agency):
    assert run_import(seeded, xlsx_bytes(HAND_MADE), organization=agency).ok
    by_target = dict(Measure.objects.filter(organization=agency).values_list("order", "pk"))
    rows = [HAND_MADE[2], HAND_MADE[0]]
    result = run_import(seeded, xlsx_bytes(rows), organization=agency)
    assert result.ok
    assert [(r.row, r.action, r.changes) for r in result.rows] == [
        (2, "update", ["ลำดับ"]),
        (3, "update", ["ลำดับ"]),
    ]
    assert result.kept == ["มาตรการที่ 3 OIT การป้องกันการทุจริต (เดิมลำดับที่ 2)"]
    orders = dict(Measure.objects.filter(organization=agency).values_list("pk", "order"))
    assert orders == {by_target[3]: 1, by_target[1]: 2, by_target[2]: 3}


def test_a_closed_round_takes_no_new_results(seeded):
    rows = openpyxl.load_workbook(io.BytesIO(export(seeded))).active
    rows["F4"].value = "อยู่ระหว่างดำเนินการ"
    buffer = io.BytesIO()
    rows.parent.save(buffer)
    before = year_state(seeded.organization, seeded.fiscal_year)
    result = run_import(seeded, buffer.getvalue())
    assert [str(e) for e in result.errors] == [
        'แถวที่ 4 คอลัมน์ "ผลการดำเนินการ": รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2566 ปิดรับรายงานแล้ว '
        "จึงแก้ไขผลการดำเนินการไม่ได้ ให้เปิดรอบก่อนนำเข้า หรือเว้นคอลัมน์นี้ว่างไว้"
    ]
    assert year_state(seeded.organization, seeded.fiscal_year) == before


def test_new_divisions_are_created_only_when_asked(seeded, agency):
    rows = [list(HAND_MADE[0])]
    rows[0][1] = "- กองการเจ้าหน้าที่\n- กองช่าง\n- ส่วนราชการที่เกี่ยวข้อง"
    refused = run_import(seeded, xlsx_bytes(rows), organization=agency)
    assert [str(e) for e in refused.errors] == [
        'แถวที่ 2 คอลัมน์ "ผู้รับผิดชอบ": ไม่พบส่วนราชการ “กองช่าง” ในหน่วยงานนี้ '
        "ตรวจสอบการสะกด หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี"
    ]
    result = run_import(seeded, xlsx_bytes(rows), organization=agency, create_divisions=True)
    assert result.ok and result.new_divisions == ["กองช่าง", "ส่วนราชการที่เกี่ยวข้อง"]
    assert Division.objects.get(organization=agency, name="ส่วนราชการที่เกี่ยวข้อง").kind == (
        Division.Kind.CONCERNED
    )
    measure = Measure.objects.get(organization=agency)
    assert [a.division.name for a in measure.assignments.order_by("order")] == [
        "กองการเจ้าหน้าที่",
        "กองช่าง",
        "ส่วนราชการที่เกี่ยวข้อง",
    ]


def test_a_dry_run_reports_but_writes_nothing(seeded, agency):
    before = year_state(agency, seeded.fiscal_year)
    result = run_import(seeded, xlsx_bytes(HAND_MADE), organization=agency, dry_run=True)
    assert result.ok and result.summary == "สร้างใหม่ 3 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    assert year_state(agency, seeded.fiscal_year) == before


# --- Broken files: each names its row and column, and nothing changes ----------------------


def _with(row: int, column: int, value):
    rows = [list(r) for r in HAND_MADE]
    rows[row][column] = value
    return xlsx_bytes(rows)


BROKEN = {
    "unknown tool": (
        _with(2, 0, "เครื่องมือการประเมิน XYZ\nตัวชี้วัดการใช้งบประมาณ"),
        'แถวที่ 4 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบเครื่องมือการประเมิน “XYZ” ในปีงบประมาณ พ.ศ. 2566 (มี IIT, EIT, OIT)",
    ),
    "unknown indicator": (
        _with(2, 0, "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้งบประมาณอย่างคุ้มค่า"),
        'แถวที่ 4 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบตัวชี้วัด “การใช้งบประมาณอย่างคุ้มค่า” ของเครื่องมือ IIT ในปีงบประมาณ พ.ศ. 2566 "
        "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด กรุณาเลือกตัวชี้วัดของถ้อยคำนี้ "
        "หรือระบุเลขตัวชี้วัดในวงเล็บ เช่น “ตัวชี้วัดการใช้งบประมาณอย่างคุ้มค่า (ตัวชี้วัดที่ 5)”",
    ),
    "unknown indicator number": (
        _with(1, 0, "ตัวชี้วัดที่ 11 การป้องกันการทุจริต"),
        'แถวที่ 3 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบตัวชี้วัดที่ 11 ของเครื่องมือ OIT ในปีงบประมาณ พ.ศ. 2566 (มีตัวชี้วัดที่ 9, 10)",
    ),
    "no tool at all": (
        xlsx_bytes([HAND_MADE[1]]),
        'แถวที่ 2 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่ได้ระบุเครื่องมือการประเมิน บรรทัดแรกต้องเป็น เช่น “เครื่องมือการประเมิน OIT”",
    ),
    "unknown division": (
        _with(2, 1, "กองช่าง"),
        'แถวที่ 4 คอลัมน์ "ผู้รับผิดชอบ": ไม่พบส่วนราชการ “กองช่าง” ในหน่วยงานนี้ '
        "ตรวจสอบการสะกด หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี",
    ),
    "a date that is not a date": (
        _with(1, 4, "๓๑ ก.ย. ๒๕๖๖"),
        'แถวที่ 3 คอลัมน์ "กำหนดเวลาแล้วเสร็จ": อ่านวันที่ "๓๑ ก.ย. ๒๕๖๖" ไม่ได้: เดือนกันยายน 2566 มี 30 วัน',
    ),
    "a deadline outside the year": (
        _with(1, 4, "30 ก.ย. 2567"),
        'แถวที่ 3 คอลัมน์ "กำหนดเวลาแล้วเสร็จ": กำหนดเวลาแล้วเสร็จต้องอยู่ในปีงบประมาณ พ.ศ. 2566 '
        "(1 ตุลาคม 2565 – 30 กันยายน 2566)",
    ),
    "empty steps": (
        _with(1, 2, ""),
        'แถวที่ 3 คอลัมน์ "ขั้นตอนหรือวิธีการ/มาตรการ": ต้องมีขั้นตอนหรือวิธีการอย่างน้อย 1 ข้อ',
    ),
    "unnumbered steps": (
        _with(1, 2, "จัดทำแผน"),
        'แถวที่ 3 คอลัมน์ "ขั้นตอนหรือวิธีการ/มาตรการ": บรรทัด “จัดทำแผน” ไม่ได้ขึ้นต้นด้วยเลขข้อ '
        "ขั้นตอนต้องเขียนเป็นข้อ เช่น “1. จัดทำ…”",
    ),
    "unknown status": (
        _with(2, 5, "เสร็จแล้ว"),
        'แถวที่ 4 คอลัมน์ "ผลการดำเนินการ": อ่านสถานะ “เสร็จแล้ว” ไม่ได้ ' + shape.STATUS_HINT,
    ),
    "wrong header row": (
        xlsx_bytes(HAND_MADE, header=[*shape.COLUMNS[:1], "หน่วยงานที่รับผิดชอบ", *shape.COLUMNS[2:]]),
        "แถวที่ 1: คอลัมน์ที่ 2 ต้องมีหัวตาราง “ผู้รับผิดชอบ” แต่พบ “หน่วยงานที่รับผิดชอบ”",
    ),
    "no header row": (
        xlsx_bytes([("รายงาน",)], header=None),
        "ไม่พบแถวหัวตาราง ตารางต้องมีหัวตาราง 6 คอลัมน์ตามรายงาน: " + " | ".join(shape.COLUMNS),
    ),
    "not a spreadsheet (PDF)": (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)",
    ),
    "not a spreadsheet (image)": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)",
    ),
    "not a spreadsheet (zip)": (
        b"PK\x03\x04" + b"\x00" * 40,
        "ไฟล์นี้ไม่ใช่ไฟล์ตาราง (XLSX หรือ CSV)",
    ),
    "old excel": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
        "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วนำเข้าใหม่",
    ),
    "csv not in utf-8": (
        ",".join(shape.COLUMNS).encode("cp874"),
        "ไฟล์ CSV นี้ไม่ได้บันทึกเป็น UTF-8 ภาษาไทยจะอ่านผิด "
        "กรุณาบันทึกจาก Excel เป็นชนิด “CSV UTF-8 (Comma delimited)” หรือ .xlsx แล้วนำเข้าใหม่",
    ),
    "another year's file": (
        xlsx_bytes(HAND_MADE, titles=["มาตรการ… ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"]),
        "ไฟล์นี้เป็นของปีงบประมาณ พ.ศ. 2567 แต่เลือกนำเข้าในปีงบประมาณ พ.ศ. 2566",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_names_the_problem_and_changes_nothing(seeded, agency, case):
    content, message = BROKEN[case]
    run_import(seeded, xlsx_bytes(HAND_MADE[:1]), organization=agency)  # something to keep
    before = year_state(agency, seeded.fiscal_year)
    result = run_import(seeded, content, organization=agency)
    assert [str(e) for e in result.errors] == [message]
    assert year_state(agency, seeded.fiscal_year) == before


def test_an_oversized_file_is_refused(seeded, agency, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    before = year_state(agency, seeded.fiscal_year)
    result = run_import(seeded, b"x" * (3 * 512 * 1024), organization=agency)
    assert [str(e) for e in result.errors] == ["ไฟล์มีขนาด 1.5 MB เกินขนาดที่รับได้ (1 MB)"]
    assert year_state(agency, seeded.fiscal_year) == before


def test_one_bad_row_among_good_ones_writes_nothing(seeded, agency):
    rows = [list(r) for r in HAND_MADE]
    rows[2][4] = "พรุ่งนี้"
    rows[1][2] = ""
    result = run_import(seeded, xlsx_bytes(rows), organization=agency)
    assert [str(e) for e in result.errors] == [
        'แถวที่ 3 คอลัมน์ "ขั้นตอนหรือวิธีการ/มาตรการ": ต้องมีขั้นตอนหรือวิธีการอย่างน้อย 1 ข้อ',
        'แถวที่ 4 คอลัมน์ "กำหนดเวลาแล้วเสร็จ": อ่านวันที่ "พรุ่งนี้" ไม่ได้ '
        "กรุณาใช้รูปแบบ 18/04/2566 หรือ 18 เม.ย. 2566",
    ]
    assert not Measure.objects.filter(organization=agency).exists()
    assert not Round.objects.filter(organization=agency).exists()


def test_errors_found_only_by_the_models_also_roll_everything_back(seeded, agency):
    rows = [list(r) for r in HAND_MADE]
    rows[2][5] = "ดำเนินการแล้วเสร็จ เมื่อวันที่ 1 ก.ย. 2565"  # before the fiscal year
    result = run_import(seeded, xlsx_bytes(rows), organization=agency)
    assert [str(e) for e in result.errors] == [
        'แถวที่ 4 คอลัมน์ "ผลการดำเนินการ": วันที่แล้วเสร็จ (1 กันยายน 2565) '
        "อยู่ก่อนวันเริ่มปีงบประมาณ พ.ศ. 2566 (1 ตุลาคม 2565)"
    ]
    assert not Measure.objects.filter(organization=agency).exists()
    assert not Round.objects.filter(organization=agency).exists()


# --- Cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ตัวชี้วัดการใช้อำนาจ", ("IIT", None, "การใช้อำนาจ", False)),
        ("ตัวชี้วัดที่ 3 การใช้อำนาจ", ("IIT", "3", "การใช้อำนาจ", False)),
        ("ตัวชี้วัดที่ ๑๐.๒", ("IIT", "10.2", "", False)),
        ("OIT\nตัวชี้วัดการเปิดเผยข้อมูล", ("OIT", None, "การเปิดเผยข้อมูล", False)),
        ("ตัวชี้วัดถ้อยคำเอง (ตัวชี้วัดที่ 3)", ("IIT", "3", "ถ้อยคำเอง", True)),
        ("เครื่องมือการประเมิน eit\nตัวชี้วัดคุณภาพ\nการดำเนินงาน", ("EIT", None, "คุณภาพการดำเนินงาน", False)),
    ],
)
def test_indicator_cell_forms(text, expected):
    ref = shape.parse_indicator(shape.clean_text(text), "IIT")
    assert (ref.tool, ref.number, ref.wording, ref.own_wording) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("ยังไม่ได้รายงานผล", None),
        ("ยังไม่ดำเนินการ", ("not_started", None, "", "")),
        ("ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566", ("done", date(2023, 4, 18), "", "")),
        ("ดำเนินการแล้วเสร็จ 18/04/2566\nรายละเอียด", ("done", date(2023, 4, 18), "รายละเอียด", "")),
        (
            "ไม่สามารถดำเนินการได้ เนื่องจากงบประมาณไม่เพียงพอ",
            ("cannot", None, "", "งบประมาณไม่เพียงพอ"),
        ),
    ],
)
def test_result_cell_forms(text, expected):
    result = shape.parse_result(text)
    if expected is None:
        assert result is None
    else:
        assert (result.status, result.completed_on, result.result_text, result.cannot_reason) == (
            expected
        )


def test_wrapped_lines_join_thai_without_a_space_and_other_text_with_one():
    assert shape.join_wrapped("จัดทำประมวลจริยธรรมสำหรับ", "เจ้าหน้าที่") == (
        "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่"
    )
    assert shape.join_wrapped("แสดง QR", "Code บนเว็บไซต์") == "แสดง QR Code บนเว็บไซต์"
    assert shape.join_wrapped("ร้อยละ 80", "ของจำนวนโครงการ") == "ร้อยละ 80 ของจำนวนโครงการ"


def test_round_trip_of_steps_through_cell_text():
    steps = [
        services.StepData(1, "ขั้นแรก"),
        services.StepData(2, "ขั้นสอง", (ItemLine(1, "-", "หัวข้อ"), ItemLine(2, "(1)", "ย่อย"))),
    ]
    text = shape.format_steps(steps)
    assert text == "1. ขั้นแรก\n2. ขั้นสอง\n- หัวข้อ\n  (1) ย่อย"
    assert shape.parse_steps(text) == [
        services.StepData(1, "ขั้นแรก", ()),
        services.StepData(2, "ขั้นสอง", (ItemLine(1, "-", "หัวข้อ"), ItemLine(2, "(1)", "ย่อย"))),
    ]
