"""The demo agency's analysis of today's fiscal year (issue 21): load_seed enters its
ITA results of the two years before, so the analysis page lists weak points with the
measures that answer them; loading again, with --reset too, enters nothing more."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalogue.services import shipped_file
from results.models import ITAResult
from testing.pages import element_text, visible_text
from thai.conventions import fiscal_year_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_the_working_years_analysis_shows_weak_points_and_their_measures(client):
    year = fiscal_year_of(timezone.localdate())
    if shipped_file(year) is None or year - 2 <= 2566:
        pytest.skip("the demo agency works in the seed's year: its analysis is the seed's")
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {year - 2} และ {year - 1}" in out.getvalue()
    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("analysis:page", args=["ubon-pao", year]))
    text = visible_text(page)
    assert f"ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year - 1}" in text
    assert "คะแนนรวม 83.76 ระดับ B ค่าเป้าหมายของหน่วยงาน 85.00 คะแนน" in text
    # Beside the year before, with the change; the weak ones marked.
    assert "10. การป้องกันการทุจริต 71.25 75.00 -3.75 จุดอ่อน" in text
    assert "9. การเปิดเผยข้อมูล 92.50 88.00 +4.50 ผ่านค่าเป้าหมาย" in text
    weak = element_text(page, "weak-OIT-10")
    assert weak.startswith("ตัวชี้วัดที่ 10 การป้องกันการทุจริต (OIT) คะแนน 71.25 ต่ำกว่าค่าเป้าหมาย 85.00")
    assert "มาตรการที่ 1 การเสริมสร้างวัฒนธรรมองค์กร" in weak and "มาตรการที่ 2" in weak
    assert "มาตรการที่ 3" in element_text(page, "weak-IIT-2")
    assert "มาตรการที่ 6" in element_text(page, "weak-EIT-7")
    assert "ยังไม่มีมาตรการของปีนี้ที่ตอบตัวชี้วัดนี้" in element_text(page, "weak-IIT-3")
    # The coordinator writes the weak points' texts: one form each.
    assert page.content.decode().count('class="note-form') == 4
    results = ITAResult.objects.filter(organization__slug="ubon-pao")
    assert sorted(results.values_list("fiscal_year__year", flat=True)) == [year - 2, year - 1]
    # Loading again (with --reset too) writes no result: none changes.
    entered = {r.pk: r.entered_at for r in results}
    for options in ({}, {"reset": True}):
        out = StringIO()
        call_command("load_seed", stdout=out, **options)
        assert "ผลการประเมิน ITA" not in out.getvalue()
        assert {r.pk: r.entered_at for r in results} == entered
