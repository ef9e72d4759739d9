import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from demo.seed import load_report_data, read_seed
from measures.models import Measure, Round, Step, StepItem
from organizations.models import Division
from progress.models import Progress

pytestmark = pytest.mark.django_db

# The published report's text as extracted from its PDF (fixtures/seed/README.md).
SOURCE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "ubon-pao-2566-round1.txt"


@pytest.fixture
def seed(db):
    """Loaded through the loader every time, since these tests test it (the project's
    `seed` fixture writes back the rows of an earlier load: measures/tests/seed_once.py)."""
    return load_report_data(read_seed())


def test_seed_has_every_measure_and_step(seed):
    measures = Measure.objects.filter(organization=seed.organization)
    assert measures.count() == 8
    assert Step.objects.filter(measure__in=measures).count() == 46
    assert [m.steps.count() for m in measures.order_by("order")] == [7, 4, 4, 4, 10, 3, 8, 6]
    assert seed.organization.name == "องค์การบริหารส่วนจังหวัดอุบลราชธานี"
    assert seed.organization.location == "อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี"
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    assert (six.start, six.end) == (date(2022, 10, 1), date(2023, 3, 31))


def test_seed_texts_are_correct_thai_word_for_word(seed):
    first = Measure.objects.get(organization=seed.organization, order=1)
    assert first.target_label == "การเสริมสร้างวัฒนธรรมองค์กร"
    assert first.indicator.tool.code == "OIT"
    assert first.steps.get(number=1).text == "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่"
    assert first.monitoring_lines == [
        "1. เจ้าหน้าที่ผู้รับผิดชอบรายงานผลการดำเนินการให้ผู้บริหารทราบ",
        "2. ผู้บริหารกำกับติดตามการดำเนินการให้เจ้าหน้าที่ดำเนินการให้เสร็จสิ้น"
        "ภายในระยะเวลาที่กำหนด และเผยแพร่บนเว็บไซต์หน่วยงาน",
    ]
    progress = first.progress.get()
    assert progress.result_line == "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"

    fifth = Measure.objects.get(organization=seed.organization, order=5)
    assert [a.division.name for a in fifth.assignments.order_by("order")] == [
        "สำนักปลัดองค์การบริหารส่วนจังหวัด",
        "หน่วยตรวจสอบภายใน",
        "ทุกส่วนราชการ",
    ]
    assert fifth.steps.get(number=1).text == (
        "ผู้บริหารประกาศนโยบายไม่รับของขวัญหรือของกำนัลจากการปฏิบัติหน้าที่ (No Gift Policy)"
    )
    assert [str(i) for i in fifth.steps.get(number=10).items.all()] == [
        "1) มีการวางระบบการควบคุมภายในขององค์กร",
        "2) นำผลการควบคุมภายในไปใช้ในการปรับปรุงเพื่อให้เกิดประสิทธิภาพในการป้องกันการทุจริต",
    ]


def test_sub_items_keep_their_markers_and_levels(seed):
    step = Step.objects.get(measure__organization=seed.organization, measure__order=2, number=1)
    assert [(i.depth, i.marker) for i in step.items.all()] == [
        (1, "-"),
        (2, "(1)"),
        (2, "(2)"),
        (1, "-"),
        (2, "(1)"),
        (2, "(2)"),
        (2, "(3)"),
    ]
    assert step.items.all()[2].text == "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น ที่มีความสอดคล้องกับผลการประเมินฯ"


def test_collective_divisions_are_marked(seed):
    kinds = dict(
        Division.objects.filter(organization=seed.organization).values_list("name", "kind")
    )
    assert kinds["ทุกส่วนราชการ"] == Division.Kind.ALL
    assert kinds["ส่วนราชการที่เกี่ยวข้อง"] == Division.Kind.CONCERNED
    assert kinds["กองคลัง"] == Division.Kind.REGULAR


def _skeleton(text: str) -> str:
    """Letters only: what survives the PDF extraction damage (marks, spaces, ำ split)."""
    text = text.replace("ำ", "า")
    return re.sub(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", "", text)


def test_nothing_was_dropped_or_invented_against_the_published_text():
    source = _skeleton(SOURCE.read_text(encoding="utf-8"))
    for measure in read_seed()["measures"]:
        for step in measure["steps"]:
            expected = _skeleton(f"{step['number']}.{step['text']}")
            # A step may run across a page break: then it is found in two parts, in order.
            cut = next((n for n in range(len(expected), 0, -1) if expected[:n] in source), 0)
            head, tail = expected[:cut], expected[cut:]
            assert head and source.find(tail, source.find(head)) >= 0, (
                f"measure {measure['order']} step {step['number']}"
            )


def test_loading_twice_changes_nothing_and_keeps_edits(seed):
    measure = Measure.objects.get(organization=seed.organization, order=1)
    measure.target = "แก้ไขโดยผู้ประสานงาน"
    measure.save()
    again = load_report_data(read_seed())
    assert (again.created, again.kept) == (0, 8)
    assert Measure.objects.count() == 8
    assert Step.objects.count() == 46
    assert StepItem.objects.count() == 12
    assert Progress.objects.count() == 8
    measure.refresh_from_db()
    assert measure.target == "แก้ไขโดยผู้ประสานงาน"


def test_load_seed_prints_demo_passwords_once_and_they_work(db, client):
    out = StringIO()
    call_command("load_seed", stdout=out)
    printed = dict(re.findall(r"^  (\S+)\s+(\S+)\s", out.getvalue(), flags=re.M))
    assert set(printed) == {
        "admin",
        "coordinator",
        "staff",
        "staff-procurement",
        "executive",
        "overseer",
        "overseer-ubon",
    }
    for username, password in printed.items():
        # Through the login form, as people sign in (django-axes needs the request).
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()

    out = StringIO()
    call_command("load_seed", stdout=out)
    assert "ผู้ใช้สาธิตมีอยู่แล้ว" in out.getvalue()
    assert not re.findall(r"^  (\S+)\s+(\S+)\s", out.getvalue(), flags=re.M)
    seed_year = Measure.objects.filter(organization__slug="ubon-pao", fiscal_year__year=2566)
    assert seed_year.count() == 8


def test_load_seed_brings_the_demo_agency_to_today(db, media_root, client):
    """The seed's year as it was published, closed; the agency at work in today's
    fiscal year, its measures rolled over, a little progress reported before today
    (issue 21: no more "เลยกำหนด 1163 วัน" on every staff row)."""
    from django.utils import timezone

    from catalogue.services import shipped_file
    from measures.models import Round
    from progress.models import Progress
    from reports.models import PublishedReport
    from thai.conventions import fiscal_year_of

    out = StringIO()
    call_command("load_seed", stdout=out)
    today = timezone.localdate()
    year = fiscal_year_of(today)
    if shipped_file(year) is None:  # no catalogue ships for today's year: the seed's year stays
        assert "ปีงบประมาณปัจจุบัน" not in out.getvalue()
        return
    seed_rounds = Round.objects.filter(organization__slug="ubon-pao", fiscal_year__year=2566)
    assert not seed_rounds.filter(is_open=True).exists()
    assert PublishedReport.objects.get(round__in=seed_rounds).round.kind == 6
    assert f"ปีงบประมาณปัจจุบัน พ.ศ. {year}: ยกมาตรการ 8 รายการ รายงานผลแล้ว 3 รายการ" in out.getvalue()
    now = Measure.objects.filter(organization__slug="ubon-pao", fiscal_year__year=year)
    assert now.count() == 8
    assert Round.objects.filter(organization__slug="ubon-pao", fiscal_year__year=year, is_open=True)
    reported = Progress.objects.filter(measure__in=now)
    assert sorted(reported.values_list("review_state", flat=True)) == [
        "approved",
        "draft",
        "submitted",
    ]
    assert all(p.completed_on is None or p.completed_on < today for p in reported)
    _demo_agencies_work_in_today(client, year, today)
    # Loading again changes nothing.
    demo = Measure.objects.filter(organization__origin="demo")
    before = demo.count()
    call_command("load_seed", stdout=StringIO())
    assert Measure.objects.filter(organization__slug="ubon-pao").count() == 16
    assert demo.count() == before == 8 * 8 * 3


def _demo_agencies_work_in_today(client, year: int, today) -> None:
    """The demo agencies beside the seed agency in last year and today's year too,
    their 2566 kept (issue 21: the roll-up of the current year showed the seed agency
    alone)."""
    from measures.models import Round
    from progress.models import Progress
    from reports.models import PublishedReport

    demo = Measure.objects.filter(organization__origin="demo")
    for fiscal_year in (2566, year - 1, year):
        assert demo.filter(fiscal_year__year=fiscal_year).count() == 8 * 8, fiscal_year
    rounds = Round.objects.filter(organization__origin="demo")
    assert not rounds.filter(fiscal_year__year=year - 1, is_open=True).exists()
    six = rounds.filter(fiscal_year__year=year, kind=6)
    assert six.filter(is_open=True).count() == 8
    now = Progress.objects.filter(round__in=rounds.filter(fiscal_year__year=year))
    assert now.exists()
    assert all(p.completed_on is None or p.completed_on < today for p in now)
    assert all(p.updated_at.date() < today for p in now)
    if today <= six.first().end:  # nothing reported for the 12-month round yet
        assert not now.filter(round__kind=12).exists()
    published = PublishedReport.objects.filter(round__organization__origin="demo")
    # Only rounds that have ended are published: behind_published's report of last year.
    assert all(p.round.end < today for p in published)
    assert published.filter(
        round__organization__name="เทศบาลเมืองวารินชำราบ",
        round__fiscal_year__year=year - 1,
        round__kind=12,
    ).exists()
    # The overseer's roll-up of today's year lists the province, not the seed agency alone.
    client.force_login(User.objects.get(username="overseer-ubon"))
    page = client.get(reverse("oversight:oversight", args=[year, 6])).content.decode()
    for name in ("องค์การบริหารส่วนจังหวัดอุบลราชธานี", "เทศบาลเมืองวารินชำราบ", "องค์การบริหารส่วนตำบลแสนสุข"):
        assert name in page
