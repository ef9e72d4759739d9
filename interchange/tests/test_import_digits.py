"""Import keeps the digits people typed: a sheet typed with Thai digits keeps
them in step text, sub-items, monitoring, the own wording and the result, while
its structure (step numbers, the indicator number, dates, the status line's
date, the titles' round) is read by value. Its export imports again unchanged,
whatever digits the organization writes its own numbers in."""

import io
from datetime import date

import openpyxl
import pytest

from catalogue import services as catalogue
from interchange import shape
from interchange.exporters import EXPORTERS, build_sheet
from interchange.importer import import_measures
from interchange.tests.sheets import csv_bytes, xlsx_bytes, year_state
from measures.models import Measure, Step
from progress.models import Progress
from testing.factories import DivisionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
    "ผลการดำเนินการรอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)",
]
THAI_ROWS = [
    (
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดระบบ ISO ๙๐๐๑:๒๐๑๕ (ตัวชี้วัดที่ ๑๐)",
        "กองการเจ้าหน้าที่",
        "๑. จัดประชุม ๒ ครั้ง ภายในวันที่\n๓ มีนาคม\n"
        "๒. เผยแพร่ร้อยละ ๘๐\n"
        "- ภายใน ๗ วัน\n"
        "(๑) ทางเว็บไซต์ ๑ ช่องทาง\n"
        "(๒) ทางหนังสือ",
        "๑. รายงานผลทุก ๓ เดือน\n๒. ผู้บริหารกำกับติดตาม",
        "๓๐ ก.ย. ๒๕๖๖",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖\nจัดประชุม ๒ ครั้ง ผู้เข้าร่วม ๑๒๐ คน",
    ),
    (
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล",
        "กองคลัง",
        "๑. ปรับปรุงเว็บไซต์ให้ครบ ๓๓ ข้อ\n๑) ตรวจทุก ๒ สัปดาห์\n๒) รายงานผล",
        "๑. รายงานผู้บริหาร",
        "",
        "ไม่สามารถดำเนินการได้ เนื่องจากงบประมาณ ๒ รายการถูกตัด",
    ),
]
# What the rows above store: typed text with its Thai digits, numbers and dates by value.
THAI_STATE = [
    {
        "order": 1,
        "tool": "OIT",
        "indicator": "10",
        "target": "ระบบ ISO ๙๐๐๑:๒๐๑๕",
        "divisions": ["กองการเจ้าหน้าที่"],
        "steps": [
            (1, "จัดประชุม ๒ ครั้ง ภายในวันที่ ๓ มีนาคม", []),
            (
                2,
                "เผยแพร่ร้อยละ ๘๐",
                [
                    (1, "-", "ภายใน ๗ วัน"),
                    (2, "(๑)", "ทางเว็บไซต์ ๑ ช่องทาง"),
                    (2, "(๒)", "ทางหนังสือ"),
                ],
            ),
        ],
        "monitoring": "๑. รายงานผลทุก ๓ เดือน\n๒. ผู้บริหารกำกับติดตาม",
        "deadline": date(2023, 9, 30),
        "progress": [(6, "done", date(2023, 4, 18), "จัดประชุม ๒ ครั้ง ผู้เข้าร่วม ๑๒๐ คน", "")],
    },
    {
        "order": 2,
        "tool": "OIT",
        "indicator": "9",
        "target": "",
        "divisions": ["กองคลัง"],
        "steps": [
            (
                1,
                "ปรับปรุงเว็บไซต์ให้ครบ ๓๓ ข้อ",
                [(1, "๑)", "ตรวจทุก ๒ สัปดาห์"), (1, "๒)", "รายงานผล")],
            )
        ],
        "monitoring": "๑. รายงานผู้บริหาร",
        "deadline": None,
        "progress": [(6, "cannot", None, "", "งบประมาณ ๒ รายการถูกตัด")],
    },
]
ARABIC_ROWS = [
    (
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดระบบ ISO 9001:2015 (ตัวชี้วัดที่ 10)",
        "กองการเจ้าหน้าที่",
        "1. จัดประชุม 2 ครั้ง ภายในวันที่\n3 มีนาคม\n"
        "2. เผยแพร่ร้อยละ 80\n"
        "- ภายใน 7 วัน\n"
        "(1) ทางเว็บไซต์ 1 ช่องทาง\n"
        "(2) ทางหนังสือ",
        "1. รายงานผลทุก 3 เดือน\n2. ผู้บริหารกำกับติดตาม",
        "30 ก.ย. 2566",
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566\nจัดประชุม 2 ครั้ง ผู้เข้าร่วม 120 คน",
    ),
    (
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดที่ 9 การเปิดเผยข้อมูล",
        "กองคลัง",
        "1. ปรับปรุงเว็บไซต์ให้ครบ 33 ข้อ\n1) ตรวจทุก 2 สัปดาห์\n2) รายงานผล",
        "1. รายงานผู้บริหาร",
        "",
        "ไม่สามารถดำเนินการได้ เนื่องจากงบประมาณ 2 รายการถูกตัด",
    ),
]
ARABIC_STATE = [
    {
        **THAI_STATE[0],
        "target": "ระบบ ISO 9001:2015",
        "steps": [
            (1, "จัดประชุม 2 ครั้ง ภายในวันที่ 3 มีนาคม", []),
            (
                2,
                "เผยแพร่ร้อยละ 80",
                [
                    (1, "-", "ภายใน 7 วัน"),
                    (2, "(1)", "ทางเว็บไซต์ 1 ช่องทาง"),
                    (2, "(2)", "ทางหนังสือ"),
                ],
            ),
        ],
        "monitoring": "1. รายงานผลทุก 3 เดือน\n2. ผู้บริหารกำกับติดตาม",
        "progress": [(6, "done", date(2023, 4, 18), "จัดประชุม 2 ครั้ง ผู้เข้าร่วม 120 คน", "")],
    },
    {
        **THAI_STATE[1],
        "steps": [
            (
                1,
                "ปรับปรุงเว็บไซต์ให้ครบ 33 ข้อ",
                [(1, "1)", "ตรวจทุก 2 สัปดาห์"), (1, "2)", "รายงานผล")],
            )
        ],
        "monitoring": "1. รายงานผู้บริหาร",
        "progress": [(6, "cannot", None, "", "งบประมาณ 2 รายการถูกตัด")],
    },
]
SHEETS = {"thai": (THAI_ROWS, THAI_STATE), "arabic": (ARABIC_ROWS, ARABIC_STATE)}


@pytest.fixture
def agency():
    fiscal_year = catalogue.ensure_year(2566)
    organization = OrganizationFactory(slug="thai-digits")
    for name in ["กองการเจ้าหน้าที่", "กองคลัง"]:
        DivisionFactory(organization=organization, name=name)
    return organization, fiscal_year


def run_import(agency, content: bytes, **options):
    organization, fiscal_year = agency
    return import_measures(
        content=content, organization=organization, fiscal_year=fiscal_year, **options
    )


def measures_of(agency) -> list[dict]:
    return year_state(*agency)["measures"]


@pytest.mark.parametrize("digits", ["thai", "arabic"])
@pytest.mark.parametrize("make", [xlsx_bytes, csv_bytes], ids=["xlsx", "csv"])
def test_typed_text_keeps_its_digits_and_numbers_are_read_by_value(agency, make, digits):
    rows, state = SHEETS[digits]
    result = run_import(agency, make(rows, titles=TITLES))
    assert result.ok, [str(e) for e in result.errors]
    assert result.summary == "สร้างใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0"
    assert measures_of(agency) == state


@pytest.mark.parametrize("thai_digits", [True, False], ids=["thai-body", "arabic-body"])
@pytest.mark.parametrize("identifier", ["xlsx", "csv"])
@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_an_export_imported_again_changes_nothing(agency, digits, identifier, thai_digits):
    organization, fiscal_year = agency
    organization.thai_digits = thai_digits
    organization.save()
    rows, state = SHEETS[digits]
    assert run_import(agency, xlsx_bytes(rows, titles=TITLES)).ok
    sheet = build_sheet(organization=organization, fiscal_year=fiscal_year)
    content = EXPORTERS[identifier].export([sheet])[2]
    history = (Measure.history.count(), Step.history.count(), Progress.history.count())

    preview = run_import(agency, content, dry_run=True)
    assert [(r.action, r.changes) for r in preview.rows] == [("unchanged", [])] * 2
    result = run_import(agency, content)

    assert result.ok, [str(e) for e in result.errors]
    assert result.summary == "สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2"
    assert measures_of(agency) == state
    assert (Measure.history.count(), Step.history.count(), Progress.history.count()) == history


def test_the_export_writes_the_typed_digits_back(agency):
    """The organization writes its numbers in Arabic digits; the Thai digits people
    typed stay Thai in the file."""
    organization, fiscal_year = agency
    organization.thai_digits = False
    organization.save()
    assert run_import(agency, xlsx_bytes(THAI_ROWS, titles=TITLES)).ok
    sheet = build_sheet(organization=organization, fiscal_year=fiscal_year)
    content = EXPORTERS["xlsx"].export([sheet])[2]
    cells = openpyxl.load_workbook(io.BytesIO(content)).active
    assert cells["A4"].value == ("เครื่องมือการประเมิน OIT\nตัวชี้วัดระบบ ISO ๙๐๐๑:๒๐๑๕ (ตัวชี้วัดที่ 10)")
    assert cells["C4"].value == (
        "1. จัดประชุม ๒ ครั้ง ภายในวันที่ ๓ มีนาคม\n2. เผยแพร่ร้อยละ ๘๐\n"
        "- ภายใน ๗ วัน\n  (๑) ทางเว็บไซต์ ๑ ช่องทาง\n  (๒) ทางหนังสือ"
    )
    assert cells["D4"].value == "๑. รายงานผลทุก ๓ เดือน\n๒. ผู้บริหารกำกับติดตาม"
    assert cells["E4"].value == "30 กันยายน 2566"
    assert cells["F4"].value == (
        "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566\nจัดประชุม ๒ ครั้ง ผู้เข้าร่วม ๑๒๐ คน"
    )


def test_digits_retyped_in_text_are_a_change_and_numbers_retyped_are_not(agency):
    """The agency's file typed in Arabic digits, imported; then the same sheet typed in
    Thai digits: the text takes the digits typed now. Only the numbers the portal
    writes (step numbers, dates) in other digits change nothing."""
    assert run_import(agency, xlsx_bytes(ARABIC_ROWS, titles=TITLES)).ok
    ids = list(Measure.objects.order_by("order").values_list("pk", flat=True))

    numbers_only = [list(row) for row in ARABIC_ROWS]
    numbers_only[0][2] = numbers_only[0][2].replace("1. ", "๑. ").replace("2. ", "๒. ")
    numbers_only[0][4] = "๓๐ ก.ย. ๒๕๖๖"
    numbers_only[0][5] = numbers_only[0][5].replace("18 เมษายน 2566", "๑๘ เมษายน ๒๕๖๖")
    unchanged = run_import(agency, xlsx_bytes(numbers_only, titles=TITLES))
    assert unchanged.summary == "สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2"

    result = run_import(agency, xlsx_bytes(THAI_ROWS, titles=TITLES))
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.action, r.changes) for r in result.rows] == [
        (
            "update",
            [
                "ถ้อยคำประเด็นที่ต้องปรับปรุง",
                "ขั้นตอนหรือวิธีการ/มาตรการ",
                "การรายงานผลและการกำกับติดตาม",
                "ผลการดำเนินการ",
            ],
        ),
        ("update", ["ขั้นตอนหรือวิธีการ/มาตรการ", "การรายงานผลและการกำกับติดตาม", "ผลการดำเนินการ"]),
    ]
    assert list(Measure.objects.order_by("order").values_list("pk", flat=True)) == ids
    assert measures_of(agency) == THAI_STATE


def test_the_titles_round_in_thai_digits_chooses_the_round(agency):
    titles = [TITLES[0], "ผลการดำเนินการรอบ ๑๒ เดือน (เดือนตุลาคม ๒๕๖๕ - กันยายน ๒๕๖๖)"]
    result = run_import(agency, xlsx_bytes(THAI_ROWS, titles=titles))
    assert result.ok, [str(e) for e in result.errors]
    assert result.round_kind == 12
    assert measures_of(agency)[1]["progress"] == [(12, "cannot", None, "", "งบประมาณ ๒ รายการถูกตัด")]


def test_another_years_title_in_thai_digits_is_refused(agency):
    result = run_import(agency, xlsx_bytes(THAI_ROWS, titles=["ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"]))
    assert [str(e) for e in result.errors] == [
        "ไฟล์นี้เป็นของปีงบประมาณ พ.ศ. 2567 แต่เลือกนำเข้าในปีงบประมาณ พ.ศ. 2566"
    ]
    assert measures_of(agency) == []


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        # A line wrapped before a number joins with a space, in either digits.
        ("1. ผู้เข้าร่วมร้อยละ\n๘๐ ของบุคลากร", "ผู้เข้าร่วมร้อยละ ๘๐ ของบุคลากร"),
        ("1. ผู้เข้าร่วมร้อยละ\n80 ของบุคลากร", "ผู้เข้าร่วมร้อยละ 80 ของบุคลากร"),
        # Thai words wrapped join without one.
        ("๑. รายงานผลต่อสำนักงาน\nป.ป.ช. ภายใน ๓๐ วัน", "รายงานผลต่อสำนักงานป.ป.ช. ภายใน ๓๐ วัน"),
        # "๒๕๖๖." at the start of a wrapped line is a year, not step 2566.
        ("๑. ภายในปีงบประมาณ\n๒๕๖๖.", "ภายในปีงบประมาณ ๒๕๖๖."),
    ],
    ids=["thai-number", "arabic-number", "thai-words", "year"],
)
def test_wrapped_lines_with_thai_digits(cell, text):
    (step,) = shape.parse_steps(shape.clean_text(cell))
    assert (step.number, step.text) == (1, text)
