"""Reminders by e-mail: what was sent (or failed) to whom, and who turned them off.

A reminder item is one thing a person must act on (a measure to report before its due
date, a result waiting for review, ...), named by `subject_key`, which also carries the
stage it is at ("d7": seven days before; "late:w2": the third week late), so that each
stage is sent once. A row is unique per (person, kind, subject key, day): a second run
the same day finds it and sends nothing twice; a failed row is tried again by a later
run, up to ITA_REMINDER_MAX_ATTEMPTS attempts in all (reminders.send_services)."""

from django.conf import settings
from django.db import models

from thai import conventions as thai


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", "ใกล้ถึงกำหนดรายงานผล"
    LATE = "late", "เลยกำหนดรายงานผล"
    REVIEW_WAITING = "review_waiting", "ผลการดำเนินการรอตรวจ"
    ROUND_CLOSING = "round_closing", "ใกล้สิ้นสุดรอบการรายงาน"
    WEEKLY_SUMMARY = "weekly_summary", "สรุปความคืบหน้าประจำสัปดาห์"
    APPROVAL_WAITING = "approval_waiting", "รายงานรออนุมัติ"
    STALE_ROUND = "stale_round", "รอบการรายงานที่สิ้นสุดนานแล้วแต่ยังเปิดอยู่"


class SentReminder(models.Model):
    class Status(models.TextChoices):
        SENDING = "sending", "กำลังส่ง"
        SENT = "sent", "ส่งแล้ว"
        FAILED = "failed", "ส่งไม่สำเร็จ"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="ผู้รับ",
    )
    kind = models.CharField("ประเภทการแจ้งเตือน", max_length=32, choices=Kind.choices)
    subject_key = models.CharField("เรื่องที่แจ้งเตือน (รหัส)", max_length=200)
    day = models.DateField("วันที่แจ้งเตือน")
    email = models.EmailField("อีเมลผู้รับ", max_length=254)
    subject = models.CharField("หัวเรื่องอีเมล", max_length=255)
    status = models.CharField("สถานะ", max_length=16, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่ส่ง", default=0)
    error = models.TextField("ข้อผิดพลาดล่าสุด", blank=True)
    updated_at = models.DateTimeField("บันทึกล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "การแจ้งเตือนที่ส่ง"
        verbose_name_plural = "การแจ้งเตือนที่ส่ง"
        ordering = ["-day", "user", "kind", "subject_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject_key", "day"],
                name="reminder_once_per_day",
                violation_error_message="ส่งการแจ้งเตือนเรื่องนี้ให้ผู้รับนี้ในวันนี้แล้ว",
            )
        ]
        indexes = [models.Index(fields=["user", "kind", "subject_key"], name="reminder_subject")]

    def __str__(self) -> str:
        # The admin's page title and breadcrumbs: the day in BE, as the portal writes it.
        day = thai.format_thai_date(self.day, abbr=True)
        return f"{self.get_kind_display()} — {self.email} ({day})"


class ReminderPreference(models.Model):
    """A person's choice about reminders; without a row they receive them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name="ผู้ใช้",
    )
    enabled = models.BooleanField("รับอีเมลแจ้งเตือน", default=True)
    updated_at = models.DateTimeField("บันทึกล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "การตั้งค่าการแจ้งเตือน"
        verbose_name_plural = "การตั้งค่าการแจ้งเตือน"

    def __str__(self) -> str:
        return f"{self.user} — {'รับ' if self.enabled else 'ไม่รับ'}อีเมลแจ้งเตือน"
