"""Importing the assessment's results of many agencies: XLSX or CSV, every bad
input named by row and column in Thai, all or nothing, a second import of the same
file changes nothing, and --dry-run writes nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from organizations.access import SYSTEM
from results.models import IndicatorScore, ITAResult
from results.services import ImportRefused, import_results
from results.tests.conftest import HEADER, UBON, UBON_ROW, csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def history_rows() -> int:
    return ITAResult.history.count() + IndicatorScore.history.count()


def refused(fy, rows, user=SYSTEM) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_results(user=user, fiscal_year=fy, content=csv_bytes(rows))
    return caught.value.problems


@pytest.mark.parametrize("encode", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_good_file_writes_every_agency(fy2565, other_agency, encode):
    sheet, outcome = import_results(user=SYSTEM, fiscal_year=fy2565, content=encode(good_rows()))
    assert [row.number for row in sheet.rows] == [3, 4]
    assert len(outcome.created) == 2
    ubon = ITAResult.objects.get(organization__slug="ubon-pao", fiscal_year=fy2565)
    assert ubon.total == Decimal("84.32")
    assert ubon.grade == "B" and ubon.grade_derived  # no grade column: the band of 84.32
    assert ubon.target == Decimal("85.00")
    assert ubon.source == ITAResult.Source.IMPORT
    scores = {s.indicator.number: str(s.score) for s in ubon.scores.select_related("indicator")}
    assert scores == {
        str(n): v
        for n, v in zip(
            range(1, 11),
            [
                "90.50",
                "88.00",
                "80.25",
                "95.00",
                "86.10",
                "70.00",
                "91.00",
                "89.00",
                "99.00",
                "60.75",
            ],
            strict=True,
        )
    }
    other = ITAResult.objects.get(organization=other_agency)
    assert other.grade == "A"


def test_the_grade_the_assessment_printed_is_kept(fy2565):
    rows = [[*HEADER, "ระดับผลการประเมิน"], [*UBON_ROW, "a"]]
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes(rows))
    result = ITAResult.objects.get()
    assert (result.grade, result.grade_derived) == ("A", False)


def test_names_with_the_indicator_and_thai_digits_are_read(fy2565):
    header = ["หน่วยงาน"] + [f"ตัวชี้วัดที่ {n} ชื่อ" for n in range(1, 11)] + ["คะแนนรวม"]
    names = [
        "การปฏิบัติหน้าที่",
        "การใช้งบประมาณ",
        "การใช้อำนาจ",
        "การใช้ทรัพย์สินของทางราชการ",
        "การแก้ไขปัญหาการทุจริต",
        "คุณภาพการดำเนินงาน",
        "ประสิทธิภาพการสื่อสาร",
        "การปรับปรุงระบบการทำงาน",
        "การเปิดเผยข้อมูล",
        "การป้องกันการทุจริต",
    ]
    header = [
        "หน่วยงาน",
        *[f"ตัวชี้วัดที่ {n} {name}" for n, name in zip(range(1, 11), names, strict=True)],
        "คะแนนรวม",
    ]
    row = [UBON, *["๘๕.๒๕"] * 10, "๘๕.๒๕"]
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes([header, row]))
    assert ITAResult.objects.get().total == Decimal("85.25")


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(fy2565, other_agency):
    rows = [
        HEADER,
        UBON_ROW,
        ["อบต.ที่ไม่มีในระบบ", *["90"] * 10, "90"],
        [UBON, *["90"] * 10, "90"],
        ["nong-khon-sao", "120", *["90"] * 8, "เก้าสิบ", "90"],
    ]
    problems = refused(fy2565, rows)
    assert problems == [
        "แถวที่ 3 คอลัมน์ A (หน่วยงาน): ไม่พบหน่วยงาน “อบต.ที่ไม่มีในระบบ” ในหน่วยงานที่คุณนำเข้าผลได้ "
        "กรุณาตรวจชื่อตามที่ผลการประเมินพิมพ์ หรือใช้ชื่อย่อในลิงก์ของหน่วยงาน (เช่น ubon-pao)",
        f"แถวที่ 4 คอลัมน์ A (หน่วยงาน): “{UBON}” ซ้ำกับแถวที่ 2 หน่วยงานหนึ่งมีผลการประเมินของปีหนึ่งได้แถวเดียว",
        "แถวที่ 5 คอลัมน์ B (ตัวชี้วัดที่ 1): คะแนน 120 อยู่นอกช่วง 0 ถึง 100",
        "แถวที่ 5 คอลัมน์ K (ตัวชี้วัดที่ 10): “เก้าสิบ” ไม่ใช่ตัวเลข กรุณากรอกคะแนนเช่น 85.25 หรือ ๘๕.๒๕",
    ]
    assert ITAResult.objects.count() == 0 and IndicatorScore.objects.count() == 0


def test_a_sheet_whose_indicators_do_not_match_the_years_catalogue(fy2565):
    header = ["หน่วยงาน", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 10)], "ตัวชี้วัดที่ 11", "คะแนนรวม"]
    problems = refused(fy2565, [header, UBON_ROW])
    assert problems == [
        "แถวที่ 1 คอลัมน์ K “ตัวชี้วัดที่ 11”: เกณฑ์การประเมินปีงบประมาณ 2565 ไม่มีตัวชี้วัดที่ 11 "
        "ไฟล์นี้อาจเป็นผลการประเมินของปีอื่น",
        "แถวที่ 1 (หัวตาราง): ไม่มีคอลัมน์ “ตัวชี้วัดที่ 10” (OIT การป้องกันการทุจริต) "
        "ของเกณฑ์การประเมินปีงบประมาณ 2565",
    ]


def test_an_indicator_named_otherwise_than_the_catalogue_is_refused(fy2565):
    header = list(HEADER)
    header[8] = "ตัวชี้วัดที่ 8 การบริหารงานบุคคล"
    problems = refused(fy2565, [header, UBON_ROW])
    assert problems == [
        "แถวที่ 1 คอลัมน์ I “ตัวชี้วัดที่ 8 การบริหารงานบุคคล”: ชื่อไม่ตรงกับตัวชี้วัดที่ 8 ของปีงบประมาณ 2565 "
        "(“การปรับปรุงการทำงาน”) ไฟล์นี้อาจเป็นผลการประเมินของปีอื่น"
    ]


def test_a_sheet_titled_with_another_year_is_refused(fy2565):
    problems = refused(fy2565, [["ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2566"], HEADER, UBON_ROW])
    assert problems == [
        "แถวที่ 1: ไฟล์นี้ระบุปี พ.ศ. 2566 แต่กำลังนำเข้าเป็นผลการประเมินปีงบประมาณ 2565 "
        "กรุณาตรวจสอบว่าเลือกไฟล์และปีถูกต้อง"
    ]


def test_missing_header_and_missing_total(fy2565):
    assert refused(fy2565, [["ชื่อ", "คะแนน"], ["x", "1"]])[0].startswith(
        "ไม่พบแถวหัวตารางที่มีคอลัมน์ “หน่วยงาน” ใน 20 แถวแรก"
    )
    assert refused(fy2565, [HEADER[:-1], UBON_ROW[:-1]]) == [
        "แถวที่ 1 (หัวตาราง): ไม่มีคอลัมน์ “คะแนนรวม”"
    ]


def test_a_re_import_of_the_same_file_changes_nothing(fy2565, other_agency):
    content = xlsx_bytes(good_rows())
    import_results(user=SYSTEM, fiscal_year=fy2565, content=content)
    before = list(ITAResult.objects.values().order_by("pk"))
    histories = history_rows()
    _, outcome = import_results(user=SYSTEM, fiscal_year=fy2565, content=content)
    assert (len(outcome.created), len(outcome.changed), len(outcome.unchanged)) == (0, 0, 2)
    assert list(ITAResult.objects.values().order_by("pk")) == before
    assert history_rows() == histories


def test_a_changed_score_changes_that_score_only(fy2565, other_agency):
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes(good_rows()))
    rows = good_rows()
    rows[2] = [UBON, "91.00", *rows[2][2:]]
    histories = history_rows()
    _, outcome = import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes(rows))
    assert [e.organization.slug for e in outcome.changed] == ["ubon-pao"]
    score = IndicatorScore.objects.get(result__organization__slug="ubon-pao", indicator__number="1")
    assert score.score == Decimal("91.00")
    assert history_rows() == histories + 2  # the result (stamped anew) and that one score
    assert ITAResult.objects.get(organization__slug="ubon-pao").weak_numbers == ",3,6,10,"
    rows[2] = [UBON, "84.99", *rows[2][2:]]  # now weak on 1 too
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes(rows))
    assert ITAResult.objects.get(organization__slug="ubon-pao").weak_numbers == ",1,3,6,10,"


def test_a_coordinators_own_target_survives_an_import(fy2565, coordinator):
    from results.scores import catalogue_indicators
    from results.services import save_result

    indicators = catalogue_indicators(fy2565)
    save_result(
        user=coordinator,
        organization=coordinator.memberships.get().organization,
        fiscal_year=fy2565,
        scores={i.pk: "90" for i in indicators},
        total="90",
        target="90",
    )
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes([HEADER, UBON_ROW]))
    assert ITAResult.objects.get().target == Decimal("90.00")


def test_the_import_reaches_only_the_importers_agencies(
    fy2565, other_agency, national, coordinator
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_results(user=coordinator, fiscal_year=fy2565, content=csv_bytes(good_rows()))
    _, outcome = import_results(user=national, fiscal_year=fy2565, content=csv_bytes(good_rows()))
    assert len(outcome.created) == 2
    assert ITAResult.objects.get(organization__slug="ubon-pao").entered_by == national


def test_a_file_past_the_import_limits_is_refused_before_it_is_read(fy2565, settings):
    settings.RESULTS_IMPORT_MAX_ROWS = 3
    problems = refused(fy2565, [HEADER, UBON_ROW, UBON_ROW, UBON_ROW])
    assert len(problems) == 1 and "เกินขนาดตารางที่นำเข้าได้" in problems[0]


# --- The command --------------------------------------------------------------------------


def test_command_imports_and_dry_run_writes_nothing(fy2565, other_agency, tmp_path, capsys):
    path = tmp_path / "ita-2565.xlsx"
    path.write_bytes(xlsx_bytes(good_rows()))
    call_command("import_ita_results", str(path), "--fiscal-year", "2565", "--dry-run")
    assert (
        "ตรวจสอบแล้ว ไม่ได้บันทึก (--dry-run): 2 แถว, เพิ่มใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0 หน่วยงาน"
        in capsys.readouterr().out
    )
    assert ITAResult.objects.count() == 0
    call_command("import_ita_results", str(path), "--fiscal-year", "2565")
    assert "นำเข้าผลการประเมินปีงบประมาณ 2565 แล้ว: 2 แถว, เพิ่มใหม่ 2" in capsys.readouterr().out
    assert ITAResult.objects.count() == 2
    call_command("import_ita_results", str(path), "--fiscal-year", "2565")
    assert "เพิ่มใหม่ 0 แก้ไข 0 ไม่เปลี่ยนแปลง 2 หน่วยงาน" in capsys.readouterr().out


def test_command_names_the_bad_rows_and_writes_nothing(fy2565, other_agency, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([HEADER, UBON_ROW, ["nong-khon-sao", *["120"] * 10, "90"]]))
    with pytest.raises(CommandError, match="ไม่ได้บันทึกผลการประเมินใด ๆ: ไฟล์มีปัญหา 10 รายการ"):
        call_command("import_ita_results", str(path), "--fiscal-year", "2565")
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "แถวที่ 3 คอลัมน์ B (ตัวชี้วัดที่ 1): คะแนน 120 อยู่นอกช่วง 0 ถึง 100"
    assert err[9] == "แถวที่ 3 คอลัมน์ K (ตัวชี้วัดที่ 10): คะแนน 120 อยู่นอกช่วง 0 ถึง 100"
    assert ITAResult.objects.count() == 0


def test_command_names_a_year_without_catalogue(seed, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes([HEADER, UBON_ROW]))
    with pytest.raises(CommandError, match="ปีงบประมาณ พ.ศ. 2560 ยังไม่มีเกณฑ์การประเมิน"):
        call_command("import_ita_results", str(path), "--fiscal-year", "2560")
