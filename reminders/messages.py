"""The reminders' e-mails: a Thai subject and a plain-text body naming each item
with its link (templates/reminders/email/reminder.txt)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from reminders.models import Kind
from reminders.selectors import Notice, absolute

SUBJECTS = {
    Kind.DUE_SOON: "แจ้งเตือน: มาตรการที่ต้องรายงานผลใกล้ถึงกำหนด {n} มาตรการ",
    Kind.LATE: "แจ้งเตือน: มาตรการที่เลยกำหนดรายงานผล {n} มาตรการ",
    Kind.REVIEW_WAITING: "แจ้งเตือน: ผลการดำเนินการรอตรวจ {n} รายการ",
    Kind.ROUND_CLOSING: "แจ้งเตือน: ใกล้สิ้นสุดรอบการรายงาน ยังไม่แล้วเสร็จ {n} มาตรการ",
    Kind.WEEKLY_SUMMARY: "สรุปความคืบหน้าประจำสัปดาห์",
    Kind.APPROVAL_WAITING: "แจ้งเตือน: รายงานรออนุมัติ {n} ฉบับ",
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
}


def subject(notice: Notice) -> str:
    text = SUBJECTS[notice.kind].format(n=len(notice.items))
    return f"{text} — {notice.organization.name}"[:255]


def message(notice: Notice, *, connection=None) -> EmailMessage:
    user = notice.user
    body = render_to_string(
        "reminders/email/reminder.txt",
        {
            "name": user.get_full_name() or user.username,
            "intro": INTROS[notice.kind],
            "organization": notice.organization,
            "items": notice.items,
            "preferences_url": absolute(reverse("reminders:preferences")),
            "site_url": settings.ITA_SITE_URL,
        },
    )
    return EmailMessage(
        subject=subject(notice),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
    )
