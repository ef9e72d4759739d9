"""Export, then import the same file unchanged: nothing may change, for the seed
and for a year that has been lived in (text typed in browsers with CRLF line
ends and spaces at line ends, a step whose one-level sub-items change marker
style, staff drafts and results waiting for review)."""

import io
from datetime import date

import openpyxl
import pytest

from interchange import shape
from interchange.exporters import EXPORTERS, build_sheet
from interchange.importer import import_measures
from interchange.tests.sheets import year_state
from measures import services
from measures.models import Measure, Round, Step
from measures.services import StepData
from measures.steps_text import ItemLine
from organizations.access import SYSTEM
from organizations.models import Membership
from organizations.services import add_member
from progress import services as progress
from progress.models import Progress, ReviewState
from testing.factories import UserFactory
from thai.conventions import to_arabic_digits

pytestmark = pytest.mark.django_db

FORMATS = ["xlsx", "csv"]


@pytest.fixture
def seeded(seed):
    return seed


def export(seeded, identifier: str, round_kind: int) -> bytes:
    sheet = build_sheet(
        organization=seeded.organization, fiscal_year=seeded.fiscal_year, round_kind=round_kind
    )
    return EXPORTERS[identifier].export([sheet])[2]


def run_import(seeded, content: bytes, round_kind: int, **options):
    return import_measures(
        content=content,
        organization=seeded.organization,
        fiscal_year=seeded.fiscal_year,
        round_kind=round_kind,
        user=options.pop("user", SYSTEM),
        **options,
    )


def writes(organization) -> dict:
    """Who wrote what, and how often: every history record, and each progress's
    editor, review state and version."""
    return {
        "measure_history": Measure.history.filter(organization=organization).count(),
        "step_history": Step.history.filter(measure__organization=organization).count(),
        "progress_history": Progress.history.filter(measure__organization=organization).count(),
        "progress": sorted(
            Progress.objects.filter(measure__organization=organization).values_list(
                "measure__order", "round__kind", "updated_by__username", "review_state", "version"
            )
        ),
        "updated_at": sorted(
            Measure.objects.filter(organization=organization).values_list("order", "updated_at")
        ),
    }


def assert_reimport_changes_nothing(seeded, identifier: str, round_kind: int, coordinator):
    organization = seeded.organization
    content = export(seeded, identifier, round_kind)
    before, written = year_state(organization, seeded.fiscal_year), writes(organization)
    count = Measure.objects.filter(organization=organization).count()

    preview = run_import(seeded, content, round_kind, dry_run=True, user=coordinator)
    assert preview.ok, [str(e) for e in preview.errors]
    assert [(r.action, r.changes) for r in preview.rows] == [("unchanged", [])] * count
    result = run_import(seeded, content, round_kind, user=coordinator)
    assert result.ok, [str(e) for e in result.errors]
    assert result.summary == f"สร้างใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง {count}"
    assert year_state(organization, seeded.fiscal_year) == before
    assert writes(organization) == written


@pytest.mark.parametrize("round_kind", [6, 12])
@pytest.mark.parametrize("identifier", FORMATS)
def test_the_seed_exported_and_imported_unchanged_changes_nothing(
    seeded, coordinator, identifier, round_kind
):
    assert_reimport_changes_nothing(seeded, identifier, round_kind, coordinator)


# --- A year that has been lived in ----------------------------------------------------------


@pytest.fixture
def lived_in(seeded, coordinator):
    """The seed's year after a few months of use, each through the path people take."""
    organization = seeded.organization
    measures = {m.order: m for m in Measure.objects.filter(organization=organization)}
    twelve = Round.objects.get(organization=organization, kind=12)

    # Monitoring text kept with Windows line ends, a blank line and spaces at the ends
    # of lines, as stored before the services normalized line ends.
    Measure.objects.filter(pk=measures[1].pk).update(
        monitoring="1. เจ้าหน้าที่รายงานผล  \r\n\r\n2. ผู้บริหารกำกับติดตาม \r\n"
    )
    # One level of sub-items in two marker styles, as typed in the admin's step editor
    # ("- …" and "(1) …" lines with no indentation).
    measure = measures[3]
    steps = [StepData(s.number, s.text, tuple(s.items.all())) for s in measure.steps.all()]
    steps[0] = StepData(
        steps[0].number,
        steps[0].text,
        (
            ItemLine(1, "-", "แจ้งเวียนทุกส่วนราชการ"),
            ItemLine(1, "(1)", "ประกาศบนเว็บไซต์"),
            ItemLine(1, "(2)", "ติดประกาศที่สำนักงาน"),
        ),
    )
    services.save_measure(
        user=SYSTEM,
        measure=measure,
        data=services.MeasureData(
            measure.indicator,
            measure.target,
            measure.monitoring,
            measure.deadline,
            measure.order,
            steps=steps,
        ),
        reason="แก้หัวข้อย่อย",
    )

    def staff_of(measure, username):
        user = UserFactory(username=username)
        add_member(
            member=user,
            organization=organization,
            role=Membership.Role.STAFF,
            divisions=[measure.assignments.order_by("order").first().division],
        )
        return user

    # A staff draft typed in a browser: CRLF line ends, spaces at line ends, a blank
    # line, Thai digits.
    progress.save_progress(
        measure=measures[2],
        round_=twelve,
        user=staff_of(measures[2], "staff-office"),
        data=progress.ProgressInput(
            "in_progress", None, "จัดอบรม ๒ ครั้ง  \r\n\r\nผู้เข้าร่วมร้อยละ 80   \r\n", ""
        ),
        seen_version=0,
    )
    # Submitted by staff and waiting for review.
    saved = progress.save_progress(
        measure=measures[1],
        round_=twelve,
        user=staff_of(measures[1], "staff-personnel"),
        data=progress.ProgressInput("done", date(2023, 8, 31), "ประกาศแล้ว \r\n", ""),
        seen_version=0,
    )
    progress.submit_progress(progress=saved, user=saved.updated_by)
    # Reported by the coordinator: cannot be done, with a reason over two lines.
    progress.save_progress(
        measure=measures[4],
        round_=twelve,
        user=coordinator,
        data=progress.ProgressInput("cannot", None, "", "งบประมาณไม่เพียงพอ\r\nรอปีงบประมาณถัดไป"),
        seen_version=0,
    )
    return seeded


@pytest.mark.parametrize("round_kind", [6, 12])
@pytest.mark.parametrize("identifier", FORMATS)
def test_a_lived_in_year_exported_and_imported_unchanged_changes_nothing(
    lived_in, coordinator, identifier, round_kind
):
    assert_reimport_changes_nothing(lived_in, identifier, round_kind, coordinator)
    drafted = Progress.objects.get(measure__order=2, round__kind=12)
    assert (drafted.updated_by.username, drafted.review_state) == (
        "staff-office",
        ReviewState.DRAFT,
    )
    items = Step.objects.get(measure__order=3, number=1).items.order_by("order")
    assert [(i.depth, i.marker) for i in items] == [(1, "-"), (1, "(1)"), (1, "(2)")]


def test_one_level_in_two_marker_styles_is_exported_indented(lived_in):
    content = export(lived_in, "xlsx", 12)
    # (Digits as the organization writes them: compared as Arabic.)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    # Measure 3's row: the rows under the header, continuation rows left out.
    measures = [row for row in sheet.iter_rows(min_row=4) if row[0].value != "(ต่อ)"]
    cell = to_arabic_digits(measures[2][2].value)
    assert cell.startswith(
        "1. แจ้งเวียนแผนการใช้จ่ายงบประมาณประจำปี พ.ศ. 2566 ความคืบหน้า ความคุ้มค่า "
        "หรือประโยชน์ที่จะเกิดขึ้น ให้บุคลากรภายในหน่วยงานและเผยแพร่ผ่านเว็บไซต์ของหน่วยงาน\n"
        "  - แจ้งเวียนทุกส่วนราชการ\n  (1) ประกาศบนเว็บไซต์\n  (2) ติดประกาศที่สำนักงาน\n2. "
    )


def test_an_edited_cell_rewrites_only_its_own_field(lived_in, coordinator):
    """The file's deadline of measure 1 is changed: its monitoring (stored with CRLF
    and blank lines) keeps its lines, and the staff draft of measure 2 is not touched."""
    organization = lived_in.organization
    workbook = openpyxl.load_workbook(io.BytesIO(export(lived_in, "xlsx", 12)))
    workbook.active["E4"].value = "30 ก.ย. 2566"
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = year_state(organization, lived_in.fiscal_year)

    result = run_import(lived_in, buffer.getvalue(), 12, user=coordinator)

    assert result.ok, [str(e) for e in result.errors]
    assert [(r.row, r.changes) for r in result.rows if r.action == "update"] == [
        (4, ["กำหนดเวลาแล้วเสร็จ"])
    ]
    after = year_state(organization, lived_in.fiscal_year)
    assert after["measures"][0]["deadline"] == date(2023, 9, 30)
    # Written as stored: only the line ends become "\n" (services.save_measure).
    assert after["measures"][0]["monitoring"] == "1. เจ้าหน้าที่รายงานผล  \n\n2. ผู้บริหารกำกับติดตาม"
    after["measures"][0]["deadline"] = before["measures"][0]["deadline"]
    after["measures"][0]["monitoring"] = before["measures"][0]["monitoring"]
    assert after == before
    drafted = Progress.objects.get(measure__order=2, round__kind=12)
    assert drafted.updated_by.username == "staff-office"


def test_a_changed_result_is_written_by_the_importer(lived_in, coordinator):
    """The counterpart: a result that did change in the file is saved, by the coordinator."""
    workbook = openpyxl.load_workbook(io.BytesIO(export(lived_in, "xlsx", 12)))
    workbook.active["F5"].value = "อยู่ระหว่างดำเนินการ\nจัดอบรม 3 ครั้ง"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run_import(lived_in, buffer.getvalue(), 12, user=coordinator)

    assert result.ok, [str(e) for e in result.errors]
    assert [(r.row, r.changes) for r in result.rows if r.action == "update"] == [
        (5, ["ผลการดำเนินการ"])
    ]
    changed = Progress.objects.get(measure__order=2, round__kind=12)
    assert (changed.result_text, changed.updated_by) == ("จัดอบรม 3 ครั้ง", coordinator)


# --- Sub-item levels through cell text ------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "text"),
    [
        # Nested: the second level indented.
        (
            [(1, "-", "ก"), (2, "(1)", "ข"), (2, "(2)", "ค"), (1, "-", "ง")],
            "- ก\n  (1) ข\n  (2) ค\n- ง",
        ),
        # One level, one style: as typed.
        ([(1, "1)", "ก"), (1, "2)", "ข")], "1) ก\n2) ข"),
        # One level, two styles: every item indented, so no level is read from the markers.
        ([(1, "-", "ก"), (1, "(1)", "ข")], "  - ก\n  (1) ข"),
        ([(1, "(1)", "ก"), (1, "-", "ข"), (1, "(2)", "ค")], "  (1) ก\n  - ข\n  (2) ค"),
    ],
)
def test_sub_item_levels_survive_the_cell(items, text):
    step = StepData(1, "ขั้นตอน", tuple(ItemLine(*item) for item in items))
    cell = shape.format_steps([step])
    assert cell == f"1. ขั้นตอน\n{text}"
    assert shape.parse_steps(shape.clean_text(cell)) == [step]


def test_unindented_items_in_two_styles_still_read_as_two_levels():
    """What people paste from Word: no indentation, "(1)" items under a "-" item."""
    steps = shape.parse_steps("1. ขั้นตอน\n- ประกอบด้วย\n(1) ความคืบหน้า\n(2) ความคุ้มค่า")
    assert [(i.depth, i.marker) for i in steps[0].items] == [(1, "-"), (2, "(1)"), (2, "(2)")]


def test_items_indented_alike_are_one_level():
    steps = shape.parse_steps("1. ขั้นตอน\n    - ก\n    (1) ข\n      (2) ค")
    assert [(i.depth, i.marker) for i in steps[0].items] == [(1, "-"), (1, "(1)"), (2, "(2)")]
