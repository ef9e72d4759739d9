"""The XLSX/CSV export writes text people typed as typed; only the numbers the
portal writes (step numbers, dates, the titles' years) follow the organization's
digits (reports.document does the same for the report)."""

import io
from datetime import date

import openpyxl
import pytest

from interchange.exporters import EXPORTERS, build_sheet
from measures.models import Measure
from progress.models import Progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seed):
    organization = seed.organization
    organization.thai_digits = True
    organization.save()
    measure = Measure.objects.get(organization=organization, order=1)
    measure.target = "ระบบ ISO 9001:2015"
    measure.monitoring = "1. รายงานผล โทร 045-123456\n2. ผู้บริหารกำกับติดตาม"
    measure.deadline = date(2023, 3, 31)
    measure.save()
    step = measure.steps.get(number=1)
    step.text = "เผยแพร่ที่ https://www.ubonpao.go.th/ita/o36 ร้อยละ ๘๐"
    step.save()
    Progress.objects.filter(measure=measure).update(result_text="ผู้เข้าร่วม 120 คน")
    return seed


def test_typed_text_is_exported_as_typed_and_portal_numbers_in_thai_digits(seeded):
    sheet = build_sheet(organization=seeded.organization, fiscal_year=seeded.fiscal_year)
    indicator, _, steps, monitoring, deadline, result = sheet.rows[0]
    assert indicator == "เครื่องมือการประเมิน OIT\nตัวชี้วัดระบบ ISO 9001:2015 (ตัวชี้วัดที่ ๑๐)"
    assert steps.startswith("๑. เผยแพร่ที่ https://www.ubonpao.go.th/ita/o36 ร้อยละ ๘๐\n๒. การจัดตั้งทีม")
    assert monitoring == "1. รายงานผล โทร 045-123456\n2. ผู้บริหารกำกับติดตาม"
    assert deadline == "๓๑ มีนาคม ๒๕๖๖"
    assert result == "ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖\nผู้เข้าร่วม 120 คน"
    # Measure 2's typed years and sub-item markers stay as typed.
    assert "ในปี พ.ศ. 2565\n- มีข้อมูลรายละเอียด" in sheet.rows[1][2]
    assert "  (1) ประเด็นที่ข้อบกพร่อง" in sheet.rows[1][2]
    assert sheet.titles == [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์การบริหารส่วนจังหวัดอุบลราชธานี ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ผลการดำเนินการรอบ ๖ เดือน (เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖)",
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(EXPORTERS["xlsx"].export([sheet])[2]))
    assert workbook.active["D4"].value == "1. รายงานผล โทร 045-123456\n2. ผู้บริหารกำกับติดตาม"
    csv_text = EXPORTERS["csv"].export([sheet])[2].decode("utf-8-sig")
    assert "ร้อยละ ๘๐" in csv_text and "ISO 9001:2015" in csv_text
