"""The XLSX export keeps every row within what Excel and LibreOffice show (409 pt):
a measure taller than that continues on rows under it, as the report's own table
continues on the next page, and import reads such a file back unchanged."""

import io

import openpyxl
import pytest

from interchange.exporters import MAX_ROW_HEIGHT
from interchange.tests.test_interchange_roundtrip import (
    assert_reimport_changes_nothing,
    export,
)
from measures.models import Round, Step
from progress.models import Progress

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "จัดประชุมชี้แจงแนวทางการดำเนินงานตามมาตรการให้บุคลากรทุกส่วนราชการรับทราบ "
    "เมื่อวันที่ 15 มีนาคม 2566 มีผู้เข้าร่วม 120 คน คิดเป็นร้อยละ 80 ของบุคลากรทั้งหมด "
    "และเผยแพร่ผลการดำเนินงานทางเว็บไซต์ของหน่วยงาน https://www.ubonpao.go.th/ita/o36"
)


def heights(content: bytes) -> list[float]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        sheet.row_dimensions[number].height
        for number in range(1, sheet.max_row + 1)
        if sheet.row_dimensions[number].height
    ]


@pytest.fixture
def long_measure(seed):
    """Measure 2 of the 6-month round: a 5,000-character result in paragraphs, one
    paragraph of 1,200 characters without a line break, and a step of 900."""
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    progress = Progress.objects.get(measure__order=2, round=six)
    progress.result_text = "\n".join([PARAGRAPH] * 20 + [" ".join([PARAGRAPH] * 5)])
    progress.save()
    step = Step.objects.get(measure__order=2, measure__organization=seed.organization, number=2)
    step.text = " ".join([step.text] * 4)
    step.save()
    return seed


def test_the_seed_rows_stay_within_what_a_spreadsheet_shows(seed):
    shown = heights(export(seed, "xlsx", 6))
    assert shown and max(shown) <= MAX_ROW_HEIGHT, max(shown)
    sheet = openpyxl.load_workbook(io.BytesIO(export(seed, "xlsx", 6))).active
    # The seed's measure 2 is taller than one row: it continues on the next.
    assert [row[0].value for row in sheet.iter_rows(min_row=4)].count("(ต่อ)") >= 1


def test_a_long_measure_continues_on_rows_under_it(long_measure):
    content = export(long_measure, "xlsx", 6)
    assert max(heights(content)) <= MAX_ROW_HEIGHT
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    results = [row[5].value or "" for row in sheet.iter_rows(min_row=4)]
    # Every paragraph is there, in the rows of measure 2 and its continuations.
    assert "".join(results).count(PARAGRAPH[:60]) == 25


@pytest.mark.parametrize("round_kind", [6, 12])
def test_a_long_measure_exported_and_imported_unchanged_changes_nothing(
    long_measure, coordinator, round_kind
):
    assert_reimport_changes_nothing(long_measure, "xlsx", round_kind, coordinator)
