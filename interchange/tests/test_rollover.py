import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from catalogue.models import FiscalYear
from demo.seed import read_seed
from interchange.rollover import RolloverError, rollover
from interchange.tests.sheets import year_state
from jobs.models import Job
from measures.models import Measure, Round
from measures.selectors import working_year
from progress.models import Progress
from testing.factories import (
    FiscalYearFactory,
    IndicatorFactory,
    MeasureFactory,
    OrganizationFactory,
    ToolFactory,
)
from testing.forms import form_data
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db
# The admin action starts jobs, sent once their rows are committed (as in production):
# these tests commit, and without a broker each job runs at once in the request.
run_jobs = pytest.mark.django_db(transaction=True)

UNMAPPED = (
    "มาตรการที่ 4 (IIT ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ): "
    "ไม่พบตัวชี้วัด “การใช้ทรัพย์สินของราชการ” ของเครื่องมือ IIT ในปีงบประมาณ พ.ศ. 2567"
)


@pytest.fixture
def seeded(seed):
    Measure.objects.filter(organization=seed.organization, order=1).update(
        deadline=date(2023, 9, 30)
    )
    return seed


@pytest.fixture
def next_year(seeded):
    """FY 2567's catalogue: renumbered, and one indicator renamed."""
    fiscal_year = FiscalYearFactory(year=2567)
    for tool_data in read_seed()["catalogue"]:
        tool = ToolFactory(fiscal_year=fiscal_year, code=tool_data["code"])
        for ind in tool_data["indicators"]:
            name = ind["name"]
            if name == "การใช้ทรัพย์สินของราชการ":
                name = "การใช้ทรัพย์สินของทางราชการ"
            IndicatorFactory(tool=tool, number=str(int(ind["number"]) + 1), name=name)
    return fiscal_year


def test_rollover_copies_measures_divisions_and_steps_as_a_draft(seeded, next_year):
    organization = seeded.organization
    before = year_state(organization, seeded.fiscal_year)
    result = rollover(organization=organization, from_year=2566, to_year=2567)

    assert result.unmapped == [UNMAPPED]
    assert result.created[:2] == [
        "มาตรการที่ 1 OIT การเสริมสร้างวัฒนธรรมองค์กร",
        "มาตรการที่ 2 OIT มาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน",
    ]
    copied = year_state(organization, next_year)["measures"]
    originals = [m for m in before["measures"] if m["order"] != 4]
    assert len(copied) == 7
    for new, old in zip(copied, originals, strict=True):
        assert new["order"] == originals.index(old) + 1
        assert (new["tool"], new["indicator"]) == (old["tool"], str(int(old["indicator"]) + 1))
        for key in ("target", "divisions", "steps", "monitoring"):
            assert new[key] == old[key]
        assert (new["deadline"], new["progress"]) == (None, [])
    # The source year is untouched, and no round is opened for the new year.
    assert year_state(organization, seeded.fiscal_year) == before
    assert not Round.objects.filter(fiscal_year=next_year).exists()
    assert Measure.objects.get(
        fiscal_year=next_year, order=1
    ).history.first().history_change_reason == ("ยกมาจากปีงบประมาณ พ.ศ. 2566")


def test_sub_items_are_copied_with_their_levels(seeded, next_year):
    rollover(organization=seeded.organization, from_year=2566, to_year=2567)
    step = Measure.objects.get(fiscal_year=next_year, order=2).steps.get(number=1)
    assert [(i.depth, i.marker) for i in step.items.all()] == [
        (1, "-"),
        (2, "(1)"),
        (2, "(2)"),
        (1, "-"),
        (2, "(1)"),
        (2, "(2)"),
        (2, "(3)"),
    ]


@pytest.mark.parametrize(
    ("setup", "to_year", "message"),
    [
        # 2575: a year the portal ships no catalogue for (fixtures/catalogue/).
        (
            "none",
            2575,
            "ยังไม่มีปีงบประมาณ พ.ศ. 2575 ในระบบ (ปีงบประมาณที่มีเกณฑ์การประเมิน: 2566–2567) "
            "ผู้ดูแลระบบเพิ่มเกณฑ์การประเมินของปีนี้ได้ในหน้าจัดการข้อมูล หรือด้วยคำสั่ง load_catalogue",
        ),
        ("none", 2565, "ปีงบประมาณปลายทาง (2565) ต้องอยู่หลังปีงบประมาณต้นทาง (2566)"),
        (
            "empty year",
            2575,
            "ปีงบประมาณ พ.ศ. 2575 ยังไม่มีเครื่องมือและตัวชี้วัด กรุณาเพิ่มก่อนยกมาตรการ",
        ),
        (
            "already",
            2567,
            "องค์การบริหารส่วนจังหวัดอุบลราชธานี มีมาตรการในปีงบประมาณ พ.ศ. 2567 อยู่แล้ว 7 รายการ "
            "จึงไม่ยกมาตรการซ้ำ",
        ),
    ],
)
def test_rollover_refuses_with_a_reason(seeded, next_year, setup, to_year, message):
    if setup == "empty year":
        FiscalYear.objects.create(year=2575)
    if setup == "already":
        rollover(organization=seeded.organization, from_year=2566, to_year=2567)
    count = Measure.objects.count()
    with pytest.raises(RolloverError) as raised:
        rollover(organization=seeded.organization, from_year=2566, to_year=to_year)
    assert str(raised.value) == message
    assert Measure.objects.count() == count


def test_an_organization_without_measures_has_nothing_to_roll_over(next_year):
    with pytest.raises(RolloverError, match="ไม่มีมาตรการในปีงบประมาณ พ.ศ. 2566"):
        rollover(organization=OrganizationFactory(), from_year=2566, to_year=2567)


def test_rollover_command_lists_what_it_could_not_map(seeded, next_year):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "rollover",
        "--organization",
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "--from",
        "2566",
        "--to",
        "2567",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().splitlines()[0] == (
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี: ยกมาตรการจากปีงบประมาณ พ.ศ. 2566 "
        "ไปปีงบประมาณ พ.ศ. 2567 7 รายการ (ฉบับร่าง)"
    )
    assert err.getvalue().splitlines() == [
        "ยกไปไม่ได้ 1 รายการ (ไม่พบตัวชี้วัดในปีใหม่):",
        f"  {UNMAPPED}",
    ]
    with pytest.raises(CommandError, match="อยู่แล้ว 7 รายการ"):
        call_command("rollover", "--organization=ubon-pao", "--from=2566", "--to=2567")


# --- Admin action ----------------------------------------------------------------------------


@run_jobs
def test_admin_action_rolls_the_selected_measures_year_over(coordinator_client, seeded, next_year):
    selected = Measure.objects.filter(organization=seeded.organization, order__in=[1, 2])
    response = coordinator_client.post(
        reverse("admin:measures_measure_changelist"),
        {
            "action": "rollover_to_next_year",
            "_selected_action": [m.pk for m in selected],
            "confirmed": "yes",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "ยกมาตรการ 7 รายการไปปีงบประมาณ พ.ศ. 2567 แล้ว (ฉบับร่าง" in page
    assert "ไม่พบตัวชี้วัด “การใช้ทรัพย์สินของราชการ”" in page
    assert Measure.objects.filter(fiscal_year=next_year).count() == 7
    assert not Progress.objects.filter(measure__fiscal_year=next_year).exists()


@run_jobs
def test_admin_action_rolls_over_into_a_year_the_portal_ships(coordinator_client, seeded):
    """No one typed FY 2567's catalogue: the shipped one (fixtures/catalogue/) is used."""
    assert not FiscalYear.objects.filter(year=2567).exists()
    measure = Measure.objects.filter(organization=seeded.organization).first()
    response = coordinator_client.post(
        reverse("admin:measures_measure_changelist"),
        {"action": "rollover_to_next_year", "_selected_action": [measure.pk], "confirmed": "yes"},
        follow=True,
    )
    assert "ยกมาตรการ 8 รายการไปปีงบประมาณ พ.ศ. 2567 แล้ว (ฉบับร่าง" in response.content.decode()
    assert Measure.objects.filter(fiscal_year__year=2567).count() == 8


@run_jobs
def test_admin_action_says_why_it_cannot(coordinator_client, seeded):
    rollover(organization=seeded.organization, from_year=2566, to_year=2567)
    measure = Measure.objects.filter(organization=seeded.organization, fiscal_year__year=2566)[0]
    response = coordinator_client.post(
        reverse("admin:measures_measure_changelist"),
        {"action": "rollover_to_next_year", "_selected_action": [measure.pk], "confirmed": "yes"},
        follow=True,
    )
    assert (
        "มีมาตรการในปีงบประมาณ พ.ศ. 2567 อยู่แล้ว 8 รายการ จึงไม่ยกมาตรการซ้ำ" in response.content.decode()
    )
    assert Measure.objects.filter(fiscal_year__year=2567).count() == 8


def test_admin_action_never_reaches_another_organization(coordinator_client, next_year):
    other = MeasureFactory(organization=OrganizationFactory())
    response = coordinator_client.post(
        reverse("admin:measures_measure_changelist"),
        {"action": "rollover_to_next_year", "_selected_action": [other.pk], "confirmed": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Measure.objects.filter(fiscal_year=next_year).exists()


def test_a_rollover_waiting_for_the_worker_links_to_its_page(
    coordinator_client, seeded, next_year, django_capture_on_commit_callbacks
):
    measure = Measure.objects.filter(organization=seeded.organization).first()
    with django_capture_on_commit_callbacks() as sent:
        response = coordinator_client.post(
            reverse("admin:measures_measure_changelist"),
            {
                "action": "rollover_to_next_year",
                "_selected_action": [measure.pk],
                "confirmed": "yes",
            },
            follow=True,
        )
    job = Job.objects.get()
    job_page = reverse("admin:jobs_job_change", args=[job.pk])
    assert (
        f'{seeded.organization}: กำลังยกมาตรการไปปีงบประมาณถัดไป… (รอคิว) <a href="{job_page}">ดูผล</a>'
    ) in response.content.decode()
    assert not Measure.objects.filter(fiscal_year=next_year).exists()

    sent[0]()  # the worker takes the job
    page = coordinator_client.get(job_page).content.decode()
    assert (f"{seeded.organization}: ยกมาตรการ 7 รายการไปปีงบประมาณ พ.ศ. 2567 แล้ว (ฉบับร่าง") in page
    assert f"<li>{UNMAPPED}</li>" in page
    assert "มาตรการของปีงบประมาณ พ.ศ. 2567</a>" in page
    assert Measure.objects.filter(fiscal_year=next_year).count() == 7


def test_admin_action_asks_first_and_names_what_will_happen(coordinator_client, seeded, next_year):
    measure = Measure.objects.filter(organization=seeded.organization).first()
    response = coordinator_client.post(
        reverse("admin:measures_measure_changelist"),
        {"action": "rollover_to_next_year", "_selected_action": [measure.pk]},
    )
    plan = element_text(response, "rollover-plan")
    assert f"{seeded.organization} พ.ศ. 2566 พ.ศ. 2567 8 รายการ —" in plan
    assert not Job.objects.exists() and not Measure.objects.filter(fiscal_year=next_year).exists()
    confirm = form_data(response.content.decode())
    assert confirm["confirmed"] == "yes" and confirm["_selected_action"] == str(measure.pk)


def test_after_a_rollover_the_list_shows_one_year_and_its_indicators_once(
    coordinator_client, seeded, next_year
):
    rollover(organization=seeded.organization, from_year=2566, to_year=2567)
    working = working_year([seeded.organization]).year
    changelist = reverse("admin:measures_measure_changelist")
    opened = coordinator_client.get(changelist).context["cl"]
    assert {m.fiscal_year.year for m in opened.result_list} == {working}
    indicator_filter = next(f for f in opened.filter_specs if f.title == "ตัวชี้วัด")
    names = [name for _, name in indicator_filter.lookup_choices]
    used = Measure.objects.filter(fiscal_year__year=working).values("indicator").distinct()
    assert len(names) == len(set(names)) == used.count()
    every_year = coordinator_client.get(changelist, {"fiscal_year__id__exact": "all"})
    assert {m.fiscal_year.year for m in every_year.context["cl"].result_list} == {2566, 2567}
    page = visible_text(every_year)
    assert "ทุกปี" in page and "พ.ศ. 2567" in page
