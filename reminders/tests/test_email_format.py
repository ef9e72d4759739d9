"""The reminders' e-mails through the real SMTP server: plain text and simple HTML
(multipart/alternative) with the same words, numbers and dates in the agency's
digits (its report's setting), typed text as typed and escaped in the HTML."""

import re
from datetime import date

import pytest
from django.urls import reverse

from measures.models import Measure
from reminders.send_services import send_reminders
from reminders.tests.smtp import read_html
from reports.services import save_document_settings

pytestmark = pytest.mark.django_db
SITE = "https://ita.example.go.th"
WEEK_BEFORE = date(2023, 9, 23)  # 7 days before the 12-month round of 2566 ends
ARABIC = re.compile(r"[0-9]")


def thai_digits(org, coordinator, on: bool = True):
    save_document_settings(
        user=coordinator,
        organization=org,
        cover_thai_digits=on,
        thai_digits=on,
        show_evidence_links=True,
    )


def form_link(org, order: int) -> str:
    measure = Measure.objects.get(organization=org, order=order)
    return SITE + reverse("progress:progress", args=[measure.pk, 12])


def test_each_email_has_a_text_and_an_accessible_html_part(smtp, org, people):
    send_reminders(today=WEEK_BEFORE)

    (mail,) = smtp.to("somsri@example.go.th")
    assert mail.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.iter_parts()] == ["text/plain", "text/html"]
    page = read_html(smtp.html(mail))
    assert page.lang == "th"
    assert "เรียน คุณsomsri" in page.text
    # Each measure's title is its link; the same note as the text part under it.
    measure = Measure.objects.get(organization=org, order=2)
    title = f"มาตรการที่ 2 {measure.target_label} (รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2566)"
    assert (form_link(org, 2), title) in page.links
    assert "กำหนด 30 ก.ย. 2566 (อีก 7 วัน)" in page.text
    assert "กำหนด 30 ก.ย. 2566 (อีก 7 วัน)" in smtp.text(mail)
    assert (f"{SITE}/reminders/", "ปิดการแจ้งเตือนได้ที่หน้าการตั้งค่า") in page.links
    # Nothing fetched from elsewhere: no images, style sheets or scripts.
    assert not page.tags & {"img", "link", "style", "script", "iframe"}
    assert not page.attributes & {"src", "srcset", "background"}
    assert all(href.startswith(SITE) for href, _ in page.links)


def test_numbers_and_dates_follow_the_agencys_thai_digits_in_both_parts(smtp, org, people):
    thai_digits(org, people["coordinator"])

    send_reminders(today=WEEK_BEFORE)

    (mail,) = smtp.to("somsri@example.go.th")
    assert smtp.subject(mail).startswith("แจ้งเตือน: มาตรการที่ต้องรายงานผลใกล้ถึงกำหนด ๖ มาตรการ")
    text, page = smtp.text(mail), read_html(smtp.html(mail))
    assert "๑. มาตรการที่ ๒ " in text
    for part in (text, page.text):
        assert "กำหนด ๓๐ ก.ย. ๒๕๖๖ (อีก ๗ วัน)" in part
        assert "(รอบ ๑๒ เดือน ปีงบประมาณ พ.ศ. ๒๕๖๖)" in part
    (summary,) = smtp.to("boss@example.go.th")
    assert "ทั้งหมด ๘ มาตรการ: ยังไม่ดำเนินการ ๘" in read_html(smtp.html(summary)).text
    # Every e-mail: no Arabic digit in what is read, only in the links' addresses.
    assert len(smtp.received) == 4
    for mail in smtp.received:
        assert not ARABIC.search(smtp.subject(mail))
        assert not ARABIC.search(re.sub(r"https?://\S+", "", smtp.text(mail)))
        assert not ARABIC.search(read_html(smtp.html(mail)).text)


def test_typed_text_is_kept_as_typed_and_escaped_in_the_html(smtp, org, people):
    thai_digits(org, people["coordinator"])
    typed = 'ลดความเสี่ยง <script>alert("x")</script> & ISO 9001 > เดิม'
    Measure.objects.filter(organization=org, order=2).update(target=typed)

    send_reminders(today=WEEK_BEFORE)

    (mail,) = smtp.to("somsri@example.go.th")
    html = smtp.html(mail)
    assert "<script>" not in html and "alert(&quot;x&quot;)" in html
    assert "&lt;script&gt;" in html and "&amp; ISO 9001 &gt; เดิม" in html
    # Read back, the link's words are the title as typed (its digits too).
    page = read_html(html)
    assert "script" not in page.tags
    title = f"มาตรการที่ ๒ {typed} (รอบ ๑๒ เดือน ปีงบประมาณ พ.ศ. ๒๕๖๖)"
    assert (form_link(org, 2), title) in page.links
    assert f"๑. {title}" in smtp.text(mail)
