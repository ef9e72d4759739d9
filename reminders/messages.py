"""The reminders' e-mails: a short Thai subject, and a body naming each item with
its link, as plain text and as simple HTML (multipart/alternative): the same words,
the HTML with lang="th", real links and nothing fetched from elsewhere (no images,
no style sheets). Numbers the portal writes follow the agency's digit setting
(reminders.selectors builds the items so; the item numbers and the subject's count
are localized here)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from reminders.models import Kind
from reminders.selectors import Notice, absolute, number

SUBJECTS = {
    Kind.DUE_SOON: "แจ้งเตือน: มาตรการที่ต้องรายงานผลใกล้ถึงกำหนด {n} มาตรการ",
    Kind.LATE: "แจ้งเตือน: มาตรการที่เลยกำหนดรายงานผล {n} มาตรการ",
    Kind.REVIEW_WAITING: "แจ้งเตือน: ผลการดำเนินการรอตรวจ {n} รายการ",
    Kind.ROUND_CLOSING: "แจ้งเตือน: ใกล้สิ้นสุดรอบการรายงาน ยังไม่แล้วเสร็จ {n} มาตรการ",
    Kind.WEEKLY_SUMMARY: "สรุปความคืบหน้าประจำสัปดาห์",
    Kind.APPROVAL_WAITING: "แจ้งเตือน: รายงานรออนุมัติ {n} ฉบับ",
    Kind.STALE_ROUND: "แจ้งเตือน: รอบการรายงานที่ควรปิด {n} รอบ",
}
INTROS = {
    Kind.DUE_SOON: "มาตรการต่อไปนี้ของส่วนราชการของท่านยังไม่ได้ส่งผลการดำเนินการ "
    "และใกล้ถึงกำหนดแล้ว กรุณารายงานผลผ่านลิงก์ของแต่ละมาตรการ",
    Kind.LATE: "มาตรการต่อไปนี้ของส่วนราชการของท่านเลยกำหนดแล้วและยังไม่ได้ส่งผลการดำเนินการ "
    "กรุณารายงานผลผ่านลิงก์ของแต่ละมาตรการ",
    Kind.REVIEW_WAITING: "ผลการดำเนินการต่อไปนี้ส่งให้ผู้ประสานงานตรวจแล้วและยังรอการตรวจ "
    "กรุณาอนุมัติหรือส่งกลับให้แก้ไขผ่านลิงก์ของแต่ละรายการ",
    Kind.ROUND_CLOSING: "รอบการรายงานใกล้สิ้นสุดแล้ว มาตรการต่อไปนี้ยังไม่แล้วเสร็จ "
    "(ยังไม่ได้รายงาน รอตรวจ หรืออยู่ระหว่างดำเนินการ)",
    Kind.WEEKLY_SUMMARY: "สรุปความคืบหน้าของมาตรการส่งเสริมคุณธรรมและความโปร่งใสในรอบการรายงานที่เปิดอยู่",
    Kind.APPROVAL_WAITING: "รายงานต่อไปนี้รอการอนุมัติให้เผยแพร่จากท่าน",
    Kind.STALE_ROUND: "รอบการรายงานต่อไปนี้สิ้นสุดไปนานแล้วแต่ยังเปิดอยู่ "
    "ระบบจึงไม่แจ้งเตือนเจ้าหน้าที่และผู้บริหารเรื่องรอบนี้อีก "
    "หากรายงานครบแล้ว กรุณาปิดรอบผ่านลิงก์ของแต่ละรอบ (ระบบจะให้ยืนยันก่อนปิด)",
}


def subject(notice: Notice) -> str:
    count = number(len(notice.items), notice.organization.thai_digits)
    text = SUBJECTS[notice.kind].format(n=count)
    return f"{text} — {notice.organization.name}"[:255]


def message(notice: Notice, *, connection=None) -> EmailMultiAlternatives:
    user = notice.user
    digits = notice.organization.thai_digits
    context = {
        "subject": subject(notice),
        "name": user.get_full_name() or user.username,
        "intro": INTROS[notice.kind],
        "organization": notice.organization,
        "items": [(number(n, digits), item) for n, item in enumerate(notice.items, start=1)],
        "thai_digits": digits,
        "preferences_url": absolute(reverse("reminders:preferences")),
        "site_url": settings.ITA_SITE_URL,
    }
    email = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("reminders/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
    )
    email.attach_alternative(
        render_to_string("reminders/email/reminder.html", context), "text/html"
    )
    return email
