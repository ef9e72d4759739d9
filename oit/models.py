"""An agency's link for an OIT item of a fiscal year: the page on its website the
assessor opens for that item. Items the portal publishes itself are linked without
a row here (oit.selectors); a row's link, when set, is the agency's own choice."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from catalogue.models import OitItem
from organizations.models import Organization


class AgencyOitLink(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="oit_links", verbose_name="หน่วยงาน"
    )
    item = models.ForeignKey(
        OitItem, on_delete=models.CASCADE, related_name="links", verbose_name="ข้อ OIT"
    )
    # Empty once cleared: the row stays, so its version keeps counting (a clear and a
    # new link between a form's showing and its saving is still a change seen).
    url = models.CharField("ลิงก์", max_length=1000, blank=True)
    version = models.PositiveIntegerField("ฉบับที่", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="แก้ไขโดย",
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = HistoricalRecords(verbose_name="ประวัติลิงก์ข้อ OIT")

    class Meta:
        verbose_name = "ลิงก์ข้อ OIT"
        verbose_name_plural = "ลิงก์ข้อ OIT"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "item"],
                name="oit_link_once_per_item",
                violation_error_message="หน่วยงานนี้มีลิงก์ของข้อนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.url or '(ไม่มีลิงก์)'}"
