"""What the daily check last found about each link the portal shows (evidence links,
OIT item links): one row per distinct URL, whichever agency and page holds it."""

import hashlib

from django.db import models
from django.utils import timezone


def url_hash(url: str) -> str:
    """The unique key of a URL (a URL may be longer than an index takes)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class LinkStatus(models.Model):
    url = models.TextField("ลิงก์")
    url_hash = models.CharField("รหัสลิงก์", max_length=64, unique=True, editable=False)
    # The day a check run took the link (the portal's local date): a link is checked
    # at most once a day, however many runs there are.
    claimed_on = models.DateField("วันที่รับไปตรวจ", null=True, blank=True)
    # The run that took it that day (two runs at once never check one link twice).
    claimed_by = models.CharField("รอบการตรวจ", max_length=32, blank=True, editable=False)
    last_checked_at = models.DateTimeField("ตรวจล่าสุดเมื่อ", null=True, blank=True)
    last_ok_at = models.DateTimeField("ใช้งานได้ล่าสุดเมื่อ", null=True, blank=True)
    status_code = models.PositiveSmallIntegerField("รหัสสถานะ HTTP", null=True, blank=True)
    error = models.TextField("ปัญหาที่พบ", blank=True)
    consecutive_failures = models.PositiveIntegerField("ใช้งานไม่ได้ติดต่อกัน (ครั้ง)", default=0)
    first_seen_at = models.DateTimeField("พบลิงก์ครั้งแรกเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "สถานะลิงก์"
        verbose_name_plural = "สถานะลิงก์"
        ordering = ["url"]
        indexes = [
            models.Index(fields=["claimed_on"], name="linkstatus_claimed_on"),
            models.Index(
                fields=["url_hash"],
                condition=models.Q(consecutive_failures__gt=0),
                name="linkstatus_broken",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_broken(self) -> bool:
        """The last check could not open the link."""
        return self.consecutive_failures > 0

    @property
    def last_ok_on(self):
        """The day (the portal's local date) the link last opened, or None."""
        return timezone.localdate(self.last_ok_at) if self.last_ok_at else None
