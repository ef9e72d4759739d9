"""The admin speaks Thai: Django's own Thai catalog lacks many admin strings and reads
half English in places ("0 จาก 8 selected", "การกระทำของฉัน: ไม่ว่าง"); the portal's
catalogs (locale/th/LC_MESSAGES/django.po and djangojs.po) fill them in. These tests
read the compiled .mo files through real pages, so they fail while a .mo is stale."""

import json
import re

import pytest
from django.urls import reverse

from measures.models import Round
from testing.forms import form_data
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

# Words that show the admin fell back to English (Django's msgids).
ENGLISH = [
    "Show counts",
    "Hide counts",
    "Start typing to filter",
    "was changed successfully",
    "was added successfully",
    "None available",
    "selected",
    "Skip to main content",
    "Clear all filters",
]


def assert_no_english(html: str) -> None:
    text = visible_text(html)
    for words in ENGLISH:
        assert words not in text, words


def test_index_says_no_actions_yet_in_thai(coordinator_client):
    html = coordinator_client.get(reverse("admin:index")).content.decode()
    text = visible_text(html)
    assert "การกระทำของฉัน" in text
    assert "ไม่มี" in text and "ไม่ว่าง" not in text
    assert "ข้ามไปยังเนื้อหาหลัก" in text
    assert_no_english(html)


def test_change_list_with_filters_in_thai(coordinator_client):
    html = coordinator_client.get(reverse("admin:measures_measure_changelist")).content.decode()
    text = visible_text(html)
    assert "แสดงจำนวน" in text
    assert 'placeholder="พิมพ์เพื่อกรอง…"' in html  # the sidebar's filter
    assert_no_english(html)
    html = coordinator_client.get(
        reverse("admin:measures_measure_changelist") + "?_facets=True"
    ).content
    text = visible_text(html.decode())
    assert "ซ่อนจำนวน" in text and "ล้างตัวกรองทั้งหมด" not in text
    assert_no_english(html.decode())


def test_saved_message_in_thai(coordinator_client, seed):
    round_ = Round.objects.get(organization=seed.organization, kind=Round.Kind.TWELVE_MONTHS)
    url = reverse("admin:measures_round_change", args=[round_.pk])
    data = form_data(coordinator_client.get(url).content.decode(), form_id="round_form")
    data["reporter_name"] = "นางสาวสมหญิง ตรวจงาน"
    response = coordinator_client.post(url, data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    message = re.search(r'<li class="success">(.*?)</li>', html).group(1)
    assert re.sub(r"<[^>]+>", "", message) == f"บันทึกการแก้ไขรอบการรายงาน “{round_}” เรียบร้อยแล้ว"
    assert_no_english(html)


def js_catalog(coordinator_client) -> dict:
    script = coordinator_client.get(reverse("admin:jsi18n")).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", script, re.S)
    return json.loads(found.group(1))


def test_admin_scripts_in_thai(coordinator_client):
    catalog = js_catalog(coordinator_client)
    # The changelist's selection counter and the two-box selector (filter_horizontal).
    assert catalog["%(sel)s of %(cnt)s selected"] == ["เลือกแล้ว %(sel)s จาก %(cnt)s รายการ"]
    assert catalog["Choose all %s"] == "เลือก%sทั้งหมด"
    assert catalog["Remove all %s"] == "เอา%sออกทั้งหมด"
    assert catalog["abbrev. month April\x04Apr"] == "เม.ย."
    assert catalog["Sunday"] == "อาทิตย์"
    untranslated = [key for key, value in catalog.items() if value in ("", key)]
    assert untranslated == []


def test_history_pages_show_thai_labels_and_be_dates(coordinator_client, seed):
    from progress.models import Progress

    progress = Progress.objects.filter(round__organization=seed.organization).first()
    html = coordinator_client.get(
        reverse("admin:progress_progress_history", args=[progress.pk])
    ).content
    text = visible_text(html.decode())
    assert "สถานะการตรวจสอบ: ฉบับร่าง → ส่งให้ผู้ประสานงานตรวจแล้ว" in text
    assert "สถานะการตรวจสอบ: ส่งให้ผู้ประสานงานตรวจแล้ว → ผู้ประสานงานอนุมัติแล้ว" in text
    assert "ประวัติ: 1. การเสริมสร้างวัฒนธรรมองค์กร" in text
    for code in ("draft", "submitted", "approved"):
        assert f" {code} " not in text
    assert_no_english(html.decode())
