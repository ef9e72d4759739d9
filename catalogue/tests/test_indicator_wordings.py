"""Indicators written in an agency's own words: recognized when the catalogue names
the wording or the agency itself mapped it (an earlier choice, its own measures),
chosen by the coordinator otherwise (admin preview, `import_measures --map`), with
other agencies' choices only suggested, never deciding and never named; a choice is
remembered for that agency's later imports."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from catalogue import services as catalogue
from catalogue.models import IndicatorWording
from interchange.importer import import_measures
from interchange.tests.sheets import xlsx_bytes, year_state
from measures.models import Measure
from organizations.models import Division, Membership
from testing.factories import DivisionFactory, OrganizationFactory, member
from testing.forms import form_data

pytestmark = pytest.mark.django_db
run_jobs = pytest.mark.django_db(transaction=True)

IMPORT_URL = reverse("admin:measures_measure_import")


def row(indicator: str, division: str = "สำนักปลัด") -> tuple:
    return (
        indicator,
        division,
        "1. จัดทำประมวลจริยธรรม",
        "1. รายงานผู้บริหาร",
        "",
        "",
    )


@pytest.fixture
def seeded(seed):
    """The seed: its OIT measures say "การเสริมสร้างวัฒนธรรมองค์กร" and "มาตรการส่งเสริม
    ความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน" for indicator 10."""
    return seed


def agency(slug: str):
    organization = OrganizationFactory(slug=slug, name=f"เทศบาลตำบล{slug}")
    DivisionFactory(organization=organization, name="สำนักปลัด")
    DivisionFactory(organization=organization, name="ทุกส่วนราชการ", kind=Division.Kind.ALL)
    return organization


def run_import(organization, fiscal_year, rows, **options):
    return import_measures(
        content=xlsx_bytes(rows), organization=organization, fiscal_year=fiscal_year, **options
    )


SEED_WORDINGS = [
    row("เครื่องมือการประเมิน OIT\nตัวชี้วัดการเสริมสร้างวัฒนธรรมองค์กร"),
    row(
        "เครื่องมือการประเมิน OIT\nตัวชี้วัดมาตรการส่งเสริมความโปร่งใส\nและป้องกันการทุจริตภายในหน่วยงาน",
        "ทุกส่วนราชการ",
    ),
]


def unknown_message(wording: str, row_number: int, why: str = "") -> str:
    why = why or "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด"
    return (
        f'แถวที่ {row_number} คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        f"ไม่พบตัวชี้วัด “{wording}” ของเครื่องมือ OIT ในปีงบประมาณ พ.ศ. 2566 {why} "
        "กรุณาเลือกตัวชี้วัดของถ้อยคำนี้ หรือระบุเลขตัวชี้วัดในวงเล็บ เช่น "
        f"“ตัวชี้วัด{wording} (ตัวชี้วัดที่ 10)”"
    )


def test_an_agencys_own_measures_in_its_own_words_read_its_next_sheet(seeded):
    result = run_import(
        seeded.organization, seeded.fiscal_year, SEED_WORDINGS, dry_run=True, create_divisions=True
    )

    assert result.ok, [str(e) for e in result.errors]
    assert [str(m) for m in result.mapped] == [
        "“การเสริมสร้างวัฒนธรรมองค์กร” (OIT) อ่านเป็นตัวชี้วัดที่ 10 การป้องกันการทุจริต: "
        "มาตรการของหน่วยงานนี้ใช้ถ้อยคำนี้กับตัวชี้วัดนี้แล้ว",
        "“มาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน” (OIT) อ่านเป็นตัวชี้วัดที่ 10 "
        "การป้องกันการทุจริต: มาตรการของหน่วยงานนี้ใช้ถ้อยคำนี้กับตัวชี้วัดนี้แล้ว",
    ]


def test_another_agencys_measures_neither_decide_nor_show_in_a_sheet_in_their_words(seeded):
    """The seed agency's measures (its own wordings for indicator 10) tell another
    agency's import nothing: it is asked exactly as about words nobody uses."""
    other = agency("other")

    result = run_import(other, seeded.fiscal_year, SEED_WORDINGS)

    assert [str(e) for e in result.errors] == [
        unknown_message("การเสริมสร้างวัฒนธรรมองค์กร", 2),
        unknown_message("มาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน", 3),
    ]
    assert [(q.wording, q.suggested) for q in result.unknown_wordings] == [
        ("การเสริมสร้างวัฒนธรรมองค์กร", None),
        ("มาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน", None),
    ]
    assert result.mapped == []
    assert not Measure.objects.filter(organization=other).exists()


def test_the_catalogues_wording_variants_are_that_indicator(seeded):
    fiscal_year = catalogue.ensure_year(2567)
    other = agency("other")
    rows = [
        row("เครื่องมือการประเมิน EIT\nตัวชี้วัดการปรับปรุงระบบการทำงาน"),
        row("เครื่องมือการประเมิน IIT\nตัวชี้วัดการใช้ทรัพย์สิน\nของทางราชการ"),
        row("ตัวชี้วัดการใช้ทรัพย์สินของราชการ"),
    ]

    result = run_import(other, fiscal_year, rows)

    assert result.ok, [str(e) for e in result.errors]
    measures = year_state(other, fiscal_year)["measures"]
    assert [(m["tool"], m["indicator"], m["target"]) for m in measures] == [
        ("EIT", "8", "การปรับปรุงระบบการทำงาน"),
        ("IIT", "4", "การใช้ทรัพย์สินของทางราชการ"),
        ("IIT", "4", ""),
    ]
    assert [m.how for m in result.mapped] == ["catalogue", "catalogue"]


def test_an_unknown_wording_is_refused_and_asked_about_until_chosen(seeded):
    first, second = agency("first"), agency("second")
    wording = "เครื่องมือการประเมิน OIT\nตัวชี้วัดการส่งเสริมคุณธรรมในองค์กร"
    rows = [row(wording), row("ตัวชี้วัดการส่งเสริมคุณธรรมในองค์กร", "ทุกส่วนราชการ")]

    refused = run_import(first, seeded.fiscal_year, rows)

    assert [str(e) for e in refused.errors] == [
        f'แถวที่ {n} คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบตัวชี้วัด “การส่งเสริมคุณธรรมในองค์กร” ของเครื่องมือ OIT ในปีงบประมาณ พ.ศ. 2566 "
        "และหน่วยงานนี้ยังไม่เคยจับคู่ถ้อยคำนี้กับตัวชี้วัดใด กรุณาเลือกตัวชี้วัดของถ้อยคำนี้ "
        "หรือระบุเลขตัวชี้วัดในวงเล็บ เช่น “ตัวชี้วัดการส่งเสริมคุณธรรมในองค์กร (ตัวชี้วัดที่ 10)”"
        for n in (2, 3)
    ]
    [question] = refused.unknown_wordings
    assert (question.tool, question.wording, question.rows) == (
        "OIT",
        "การส่งเสริมคุณธรรมในองค์กร",
        [2, 3],
    )
    assert [(i.number, i.name) for i in question.choices] == [
        ("9", "การเปิดเผยข้อมูล"),
        ("10", "การป้องกันการทุจริต"),
    ]
    assert not Measure.objects.filter(organization=first).exists()

    chosen = {("OIT", "การส่งเสริมคุณธรรม ในองค์กร"): "10"}
    dry = run_import(first, seeded.fiscal_year, rows, wordings=chosen, dry_run=True)
    assert dry.ok and not IndicatorWording.objects.filter(source="chosen").exists()
    result = run_import(first, seeded.fiscal_year, rows, wordings=chosen)
    assert result.ok, [str(e) for e in result.errors]
    assert [m.how for m in result.mapped] == ["chosen"]
    recorded = IndicatorWording.objects.get(source="chosen")
    assert (recorded.wording, recorded.indicator.number, recorded.tool.code) == (
        "การส่งเสริมคุณธรรมในองค์กร",
        "10",
        "OIT",
    )
    assert recorded.organization == first

    # Another agency, later, with no choice given: the first agency's choice does
    # not decide for it. It is asked, with that choice only suggested.
    asked = run_import(second, seeded.fiscal_year, rows[:1])
    assert [str(e) for e in asked.errors] == [str(refused.errors[0])]
    [question] = asked.unknown_wordings
    assert (question.wording, question.suggested.number) == ("การส่งเสริมคุณธรรมในองค์กร", "10")
    assert asked.mapped == []
    assert not Measure.objects.filter(organization=second).exists()

    # The first agency's own choice reads its next sheet (its measures gone, so it
    # is the choice that decides).
    Measure.objects.filter(organization=first).delete()
    again = run_import(first, seeded.fiscal_year, rows[:1])
    assert again.ok, [str(e) for e in again.errors]
    assert [str(m) for m in again.mapped] == [
        "“การส่งเสริมคุณธรรมในองค์กร” (OIT) อ่านเป็นตัวชี้วัดที่ 10 การป้องกันการทุจริต: "
        "หน่วยงานนี้เคยเลือกไว้เมื่อนำเข้าครั้งก่อน"
    ]


def test_other_agencies_measures_in_different_indicators_are_not_told(seeded):
    """Two agencies' own measures write "เว็บไซต์โปร่งใส" for 9 and for 10: a third
    agency is asked as about any unknown wording, their indicators not named."""
    for slug, number in (("nine", 9), ("ten", 10)):
        written = run_import(
            agency(slug),
            seeded.fiscal_year,
            [row(f"เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส (ตัวชี้วัดที่ {number})")],
        )
        assert written.ok
    result = run_import(
        agency("third"), seeded.fiscal_year, [row("เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส")]
    )
    assert [str(e) for e in result.errors] == [unknown_message("เว็บไซต์โปร่งใส", 2)]
    assert [(q.wording, q.suggested) for q in result.unknown_wordings] == [("เว็บไซต์โปร่งใส", None)]


def test_an_agencys_own_measures_in_different_indicators_are_asked_about(seeded):
    own = agency("own")
    written = run_import(
        own,
        seeded.fiscal_year,
        [
            row("เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส (ตัวชี้วัดที่ 9)"),
            row("เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส (ตัวชี้วัดที่ 10)"),
        ],
    )
    assert written.ok

    result = run_import(own, seeded.fiscal_year, [row("เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส")])

    assert [str(e) for e in result.errors] == [
        unknown_message("เว็บไซต์โปร่งใส", 2, "มาตรการของหน่วยงานนี้ใช้ถ้อยคำนี้กับหลายตัวชี้วัด (ตัวชี้วัดที่ 9, 10)")
    ]


def test_the_suggestion_is_other_agencies_most_common_choice_when_one_leads(seeded):
    fiscal_year = seeded.fiscal_year
    wording = "เครื่องมือการประเมิน OIT\nตัวชี้วัดเว็บไซต์โปร่งใส"
    for slug, number in (("p", "9"), ("q", "9"), ("r", "10")):
        chosen = run_import(
            agency(slug), fiscal_year, [row(wording)], wordings={("OIT", "เว็บไซต์โปร่งใส"): number}
        )
        assert chosen.ok
    asking = agency("s")

    [question] = run_import(asking, fiscal_year, [row(wording)]).unknown_wordings
    assert question.suggested.number == "9"

    # One more agency for 10: no reading leads, so nothing is preselected.
    assert run_import(
        agency("t"), fiscal_year, [row(wording)], wordings={("OIT", "เว็บไซต์โปร่งใส"): "10"}
    ).ok
    [question] = run_import(asking, fiscal_year, [row(wording)]).unknown_wordings
    assert question.suggested is None


def test_an_unknown_tool_stays_refused_naming_the_row(seeded):
    result = run_import(
        agency("other"),
        seeded.fiscal_year,
        [row("ตัวชี้วัดการป้องกันการทุจริต"), row("เครื่องมือการประเมิน XIT\nตัวชี้วัดการเสริมสร้าง")],
        wordings={("XIT", "การเสริมสร้าง"): "10"},
    )
    assert [str(e) for e in result.errors] == [
        'แถวที่ 2 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": ไม่ได้ระบุเครื่องมือการประเมิน '
        "บรรทัดแรกต้องเป็น เช่น “เครื่องมือการประเมิน OIT”",
        'แถวที่ 3 คอลัมน์ "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา": '
        "ไม่พบเครื่องมือการประเมิน “XIT” ในปีงบประมาณ พ.ศ. 2566 (มี IIT, EIT, OIT)",
    ]
    assert result.unknown_wordings == []


# --- The admin preview asks, the confirm remembers -------------------------------------------


@run_jobs
def test_the_coordinator_chooses_the_indicator_of_an_unknown_wording_in_the_preview(client, seeded):
    other = agency("other")
    user = member(other, Membership.Role.COORDINATOR, "coord-other")
    client.force_login(user)
    rows = [
        row("เครื่องมือการประเมิน OIT\nตัวชี้วัดการส่งเสริมคุณธรรมในองค์กร"),
        row("เครื่องมือการประเมิน IIT\nตัวชี้วัดความโปร่งใสในการจัดซื้อ"),
    ]
    preview = client.post(
        IMPORT_URL,
        {
            "organization": other.pk,
            "fiscal_year": seeded.fiscal_year.pk,
            "round_kind": "",
            "file": SimpleUploadedFile("other.xlsx", xlsx_bytes(rows)),
        },
    )
    page = preview.content.decode()
    assert "พบข้อผิดพลาด 2 รายการ จึงไม่บันทึกข้อมูลใดเลย" in page
    assert "เลือกตัวชี้วัดของถ้อยคำที่ระบบยังไม่รู้จัก" in page
    assert "“การส่งเสริมคุณธรรมในองค์กร” (OIT แถวที่ 2)" in page
    assert '<option value="10">ตัวชี้วัดที่ 10 การป้องกันการทุจริต</option>' in page
    assert 'id="confirm-form"' not in page

    # One of the two chosen: asked again about the other, nothing confirmed yet.
    choice = form_data(page, form_id="wordings-form") | {"wording_0": "10", "wording_1": ""}
    partly = client.post(IMPORT_URL, choice).content.decode()
    assert "พบข้อผิดพลาด 1 รายการ" in partly
    assert "“ความโปร่งใสในการจัดซื้อ” (IIT แถวที่ 3)" in partly
    assert "“การส่งเสริมคุณธรรมในองค์กร” (OIT แถวที่ 2)" not in partly
    assert 'id="confirm-form"' not in partly

    # A number that is not one of the tool's indicators is refused by the form.
    wrong = form_data(partly, form_id="wordings-form") | {"wording_0": "10"}
    refused = client.post(IMPORT_URL, wrong).content.decode()
    assert "เลือกตัวเลือกที่ถูกต้อง" in refused
    assert 'id="confirm-form"' not in refused

    done = form_data(partly, form_id="wordings-form") | {"wording_0": "2"}
    checked = client.post(IMPORT_URL, done).content.decode()
    assert "ตรวจสอบผ่าน ยังไม่ได้บันทึกข้อมูล" in checked
    assert "สร้างใหม่ 2 แก้ไข 0 ไม่เปลี่ยนแปลง 0" in checked
    assert (
        "<li>“การส่งเสริมคุณธรรมในองค์กร” (OIT) อ่านเป็นตัวชี้วัดที่ 10 การป้องกันการทุจริต: "
        "เลือกไว้สำหรับการนำเข้านี้</li>"
    ) in checked
    assert not Measure.objects.filter(organization=other).exists()

    confirmed = client.post(IMPORT_URL, form_data(checked, form_id="confirm-form"))
    assert confirmed.status_code == 302
    measures = year_state(other, seeded.fiscal_year)["measures"]
    assert [(m["tool"], m["indicator"], m["target"]) for m in measures] == [
        ("OIT", "10", "การส่งเสริมคุณธรรมในองค์กร"),
        ("IIT", "2", "ความโปร่งใสในการจัดซื้อ"),
    ]
    assert sorted(
        IndicatorWording.objects.filter(source="chosen").values_list(
            "wording", "indicator__number", "created_by__username", "organization__slug"
        )
    ) == [
        ("การส่งเสริมคุณธรรมในองค์กร", "10", "coord-other", "other"),
        ("ความโปร่งใสในการจัดซื้อ", "2", "coord-other", "other"),
    ]


# --- The command line ------------------------------------------------------------------------


def test_import_measures_takes_map_options(tmp_path, seeded):
    other = agency("other")
    path = tmp_path / "other.xlsx"
    path.write_bytes(xlsx_bytes([row("เครื่องมือการประเมิน OIT\nตัวชี้วัดการส่งเสริมคุณธรรมในองค์กร")]))
    out = io.StringIO()
    call_command(
        "import_measures",
        str(path),
        "--organization=other",
        "--fiscal-year=2566",
        "--map",
        "การส่งเสริมคุณธรรมในองค์กร=oit:๑๐",
        stdout=out,
    )
    assert (
        "  ถ้อยคำตัวชี้วัด: “การส่งเสริมคุณธรรมในองค์กร” (OIT) อ่านเป็นตัวชี้วัดที่ 10 "
        "การป้องกันการทุจริต: เลือกไว้สำหรับการนำเข้านี้"
    ) in out.getvalue().splitlines()
    assert Measure.objects.get(organization=other).indicator.number == "10"
    assert (
        IndicatorWording.objects.filter(
            source="chosen", created_by=None, organization=other
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "การส่งเสริมคุณธรรม OIT 10",
            "อ่าน --map “การส่งเสริมคุณธรรม OIT 10” ไม่ได้ ต้องเขียนเป็น ถ้อยคำ=เครื่องมือ:เลขตัวชี้วัด "
            'เช่น --map "การเสริมสร้างวัฒนธรรมองค์กร=OIT:10"',
        ),
        (
            "การส่งเสริมคุณธรรม=OIT:11",
            "--map “การส่งเสริมคุณธรรม=OIT:11”: ไม่พบตัวชี้วัดที่ 11 ของเครื่องมือ OIT ในปีงบประมาณ พ.ศ. 2566",
        ),
        (
            "การส่งเสริมคุณธรรม=XIT:10",
            "--map “การส่งเสริมคุณธรรม=XIT:10”: ไม่พบตัวชี้วัดที่ 10 ของเครื่องมือ XIT ในปีงบประมาณ พ.ศ. 2566",
        ),
    ],
)
def test_a_map_option_that_cannot_be_used_is_refused(tmp_path, seeded, option, message):
    agency("other")
    path = tmp_path / "other.xlsx"
    path.write_bytes(xlsx_bytes([row("ตัวชี้วัดการส่งเสริมคุณธรรม")]))
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_measures",
            str(path),
            "--organization=other",
            "--fiscal-year=2566",
            f"--map={option}",
            stdout=io.StringIO(),
        )
    assert str(raised.value) == message


def test_the_command_says_how_to_map_an_unknown_wording(tmp_path, seeded):
    agency("other")
    path = tmp_path / "other.xlsx"
    path.write_bytes(xlsx_bytes([row("เครื่องมือการประเมิน EIT\nตัวชี้วัดการบริการประชาชน")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_measures",
            str(path),
            "--organization=other",
            "--fiscal-year=2566",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines()[-1] == (
        "ถ้อยคำ “การบริการประชาชน” (EIT แถวที่ 2) เป็นตัวชี้วัดข้อใด ระบุด้วย "
        '--map "การบริการประชาชน=EIT:8" (ตัวชี้วัดของ EIT: 6 คุณภาพการดำเนินงาน, '
        "7 ประสิทธิภาพการสื่อสาร, 8 การปรับปรุงการทำงาน)"
    )
    assert re.search(r"แถวที่ 2 คอลัมน์", err.getvalue())


def test_the_command_suggests_other_agencies_choice_without_naming_them(tmp_path, seeded):
    chooser = agency("chooser")
    wording = "เครื่องมือการประเมิน EIT\nตัวชี้วัดการบริการประชาชน"
    assert run_import(
        chooser, seeded.fiscal_year, [row(wording)], wordings={("EIT", "การบริการประชาชน"): "6"}
    ).ok
    other = agency("other")
    path = tmp_path / "other.xlsx"
    path.write_bytes(xlsx_bytes([row(wording)]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_measures",
            str(path),
            "--organization=other",
            "--fiscal-year=2566",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines()[-1] == (
        "ถ้อยคำ “การบริการประชาชน” (EIT แถวที่ 2) เป็นตัวชี้วัดข้อใด ระบุด้วย "
        '--map "การบริการประชาชน=EIT:6" (ตัวชี้วัดของ EIT: 6 คุณภาพการดำเนินงาน, '
        "7 ประสิทธิภาพการสื่อสาร, 8 การปรับปรุงการทำงาน) "
        "ข้อแนะนำจากการเลือกของหน่วยงานอื่นในระบบ (ไม่ระบุหน่วยงาน): "
        "ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน ตรวจสอบก่อนใช้"
    )
    assert chooser.name not in err.getvalue()
    assert not Measure.objects.filter(organization=other).exists()
