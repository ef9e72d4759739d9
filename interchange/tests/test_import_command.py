import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interchange.exporters import EXPORTERS, build_sheet
from interchange.tests.sheets import xlsx_bytes, year_state
from measures.models import Measure
from organizations.models import Division
from testing.factories import DivisionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROW = (
    "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้อำนาจ",
    "- กองคลัง\n- กองช่าง",
    "๑. ประกาศแนวทางการใช้ดุลพินิจ\n๒. เผยแพร่บนเว็บไซต์",
    "๑. รายงานผู้บริหาร",
    "๓๐ ก.ย. ๒๕๖๖",
    "",
)


@pytest.fixture
def seeded(seed):
    return seed


@pytest.fixture
def agency(seeded):
    organization = OrganizationFactory(slug="tambon-test", name="องค์การบริหารส่วนตำบลทดสอบ")
    DivisionFactory(organization=organization, name="กองคลัง")
    return organization


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_measures", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, content: bytes, name="measures.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_dry_run_prints_what_it_would_create_and_writes_nothing(tmp_path, agency):
    path = write(tmp_path, xlsx_bytes([ROW]))
    out, err = run(
        path,
        "--organization",
        agency.name,
        "--fiscal-year",
        2566,
        "--dry-run",
        "--create-divisions",
    )
    assert out.splitlines() == [
        "measures.xlsx → องค์การบริหารส่วนตำบลทดสอบ ปีงบประมาณ พ.ศ. 2566 "
        "ผลการดำเนินการรอบ 6 เดือน (ทดลอง: ยังไม่บันทึกข้อมูล)",
        "  แถวที่ 2: สร้างใหม่ — มาตรการที่ 1 IIT การใช้อำนาจ",
        "  สร้างส่วนราชการใหม่: กองช่าง",
        "ตรวจสอบผ่าน ยังไม่บันทึกข้อมูล: สร้างใหม่ 1 แก้ไข 0 ไม่เปลี่ยนแปลง 0",
    ]
    assert err == ""
    assert not Measure.objects.filter(organization=agency).exists()
    assert not Division.objects.filter(name="กองช่าง").exists()


def test_import_creates_then_reports_changes(tmp_path, agency):
    path = write(tmp_path, xlsx_bytes([ROW]))
    run(path, "--organization", "tambon-test", "--fiscal-year", 2566, "--create-divisions")
    measure = Measure.objects.get(organization=agency)
    assert [s.text for s in measure.steps.all()] == ["ประกาศแนวทางการใช้ดุลพินิจ", "เผยแพร่บนเว็บไซต์"]
    assert measure.history.first().history_change_reason == "นำเข้าจากไฟล์ measures.xlsx"

    changed = list(ROW)
    changed[5] = "อยู่ระหว่างดำเนินการ"
    path = write(tmp_path, xlsx_bytes([changed]))
    out, _ = run(path, "--organization", "tambon-test", "--fiscal-year", 2566, "--round", 12)
    assert "  แถวที่ 2: แก้ไข (ผลการดำเนินการ) — มาตรการที่ 1 IIT การใช้อำนาจ" in out
    assert "  สร้างรอบการรายงาน: รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566" in out
    assert measure.progress.get().round.kind == 12
    assert measure.history.count() == 1  # only the progress changed


def test_bad_rows_are_listed_in_thai_and_the_exit_status_is_not_zero(tmp_path, agency):
    bad = list(ROW)
    bad[0] = "เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้อำนาจหน้าที่"
    bad[4] = "31 ก.ย. 2566"
    path = write(tmp_path, xlsx_bytes([ROW, bad]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_measures",
            str(path),
            "--organization=tambon-test",
            "--fiscal-year=2566",
            stdout=out,
            stderr=err,
        )
    assert raised.value.returncode == 1
    assert str(raised.value) == "นำเข้าไม่สำเร็จ: พบข้อผิดพลาด 4 รายการ จึงไม่บันทึกข้อมูลใดเลย"
    assert err.getvalue().splitlines() == [
        'แถวที่ 2 คอลัมน์ "ผู้รับผิดชอบ": ไม่พบส่วนราชการ “กองช่าง” ในหน่วยงานนี้ '
        "ตรวจสอบการสะกด หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี",
        'แถวที่ 3 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบตัวชี้วัด “การใช้อำนาจหน้าที่” ของเครื่องมือ IIT ในปีงบประมาณ พ.ศ. 2566 "
        "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด กรุณาเลือกตัวชี้วัดของถ้อยคำนี้ "
        "หรือระบุเลขตัวชี้วัดในวงเล็บ เช่น “ตัวชี้วัดการใช้อำนาจหน้าที่ (ตัวชี้วัดที่ 5)”",
        'แถวที่ 3 คอลัมน์ "ผู้รับผิดชอบ": ไม่พบส่วนราชการ “กองช่าง” ในหน่วยงานนี้ '
        "ตรวจสอบการสะกด หรือเลือกให้สร้างส่วนราชการที่ยังไม่มี",
        'แถวที่ 3 คอลัมน์ "กำหนดเวลาแล้วเสร็จ": อ่านวันที่ "31 ก.ย. 2566" ไม่ได้: เดือนกันยายน 2566 มี 30 วัน',
        "ถ้อยคำ “การใช้อำนาจหน้าที่” (IIT แถวที่ 3) เป็นตัวชี้วัดข้อใด ระบุด้วย "
        '--map "การใช้อำนาจหน้าที่=IIT:5" (ตัวชี้วัดของ IIT: 1 การปฏิบัติหน้าที่, '
        "2 การใช้งบประมาณ, 3 การใช้อำนาจ, 4 การใช้ทรัพย์สินของราชการ, 5 การแก้ไขปัญหาการทุจริต)",
    ]
    assert not Measure.objects.filter(organization=agency).exists()


def test_a_dry_run_with_bad_rows_also_fails(tmp_path, agency):
    path = write(tmp_path, b"not,a,report\n1,2,3\n", name="x.csv")
    with pytest.raises(CommandError) as raised:
        run(path, "--organization", "tambon-test", "--fiscal-year", 2566, "--dry-run")
    assert raised.value.returncode == 1


def test_the_seed_export_imports_back_from_the_command_line(tmp_path, seeded):
    sheet = build_sheet(organization=seeded.organization, fiscal_year=seeded.fiscal_year)
    name, _, content = EXPORTERS["csv"].export([sheet])
    before = year_state(seeded.organization, seeded.fiscal_year)
    out, _ = run(
        write(tmp_path, content, name), "--organization", "ubon-pao", "--fiscal-year", 2566
    )
    assert out.splitlines()[-1] == "นำเข้าเรียบร้อย: สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 8"
    assert year_state(seeded.organization, seeded.fiscal_year) == before


@pytest.mark.parametrize(
    ("organization", "year", "message"),
    [
        ("ไม่มีหน่วยงานนี้", 2566, "ไม่พบหน่วยงาน “ไม่มีหน่วยงานนี้” (ระบุชื่อหน่วยงานหรือชื่อย่อในลิงก์)"),
        (
            "tambon-test",
            2599,
            "ไม่พบปีงบประมาณ พ.ศ. 2599 ในระบบ (ปีงบประมาณที่มีเกณฑ์การประเมิน: 2566)",
        ),
    ],
)
def test_unknown_organization_or_year(tmp_path, agency, organization, year, message):
    path = write(tmp_path, xlsx_bytes([ROW]))
    with pytest.raises(CommandError) as raised:
        run(path, "--organization", organization, "--fiscal-year", year)
    assert str(raised.value) == message


def test_a_missing_or_oversized_file(tmp_path, agency, settings):
    with pytest.raises(CommandError, match="ไม่พบไฟล์"):
        run(tmp_path / "none.xlsx", "--organization", "tambon-test", "--fiscal-year", 2566)
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    path = write(tmp_path, b"," * (2 * 1024 * 1024), name="big.csv")
    with pytest.raises(CommandError) as raised:
        run(path, "--organization", "tambon-test", "--fiscal-year", 2566)
    assert str(raised.value) == "big.csv: ไฟล์มีขนาด 2 MB เกินขนาดที่รับได้ (1 MB)"
