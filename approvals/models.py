"""Approval before publishing: an agency's setting, the approvers its coordinator
names beside its executives, and each request to publish a version (who asked,
with what note, who approved or returned it, when, and the content's SHA-256),
kept with the version it became."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from analysis.models import AnalysisDocument, PublishedAnalysis
from measures.models import Round
from organizations.models import Organization
from reports.models import PublishedReport


class ApprovalSettings(models.Model):
    """No row: approval is asked, and the published PDF carries the recorded names."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="approval_settings",
        verbose_name="หน่วยงาน",
    )
    required = models.BooleanField(
        "ต้องได้รับอนุมัติจากผู้บริหารก่อนเผยแพร่",
        default=True,
        help_text="ปิดแล้วผู้ประสานงานเผยแพร่ได้ทันที บันทึกว่าเผยแพร่โดยอำนาจของผู้ประสานงาน",
    )
    recorded_sign_off = models.BooleanField(
        "พิมพ์ชื่อ ตำแหน่ง และวันที่ที่บันทึกไว้ในส่วนลงนามของรายงาน",
        default=True,
        help_text="ปิดเพื่อพิมพ์ส่วนลงนามแบบเส้นประ สำหรับหน่วยงานที่ลงนามบนกระดาษ",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="แก้ไขโดย",
    )
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "การตั้งค่าการอนุมัติ"
        verbose_name_plural = "การตั้งค่าการอนุมัติ"

    def __str__(self) -> str:
        return f"การตั้งค่าการอนุมัติของ{self.organization}"


class Approver(models.Model):
    """A member the coordinator named as an approver, beside the executives (a
    deputy, or the coordinator who approves in one step)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="named_approvers",
        verbose_name="หน่วยงาน",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="ผู้อนุมัติ",
    )
    position = models.CharField("ตำแหน่ง", max_length=255, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ระบุโดย",
    )
    named_at = models.DateTimeField("ระบุเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "ผู้อนุมัติที่ระบุ"
        verbose_name_plural = "ผู้อนุมัติที่ระบุ"
        ordering = ["organization", "named_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                name="approver_once_per_organization",
                violation_error_message="ผู้ใช้นี้เป็นผู้อนุมัติของหน่วยงานนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organization})"


class ApprovalRequest(models.Model):
    """A version sent for approval, and what came of it. Also the record of a
    version published without approval (authority OWN)."""

    class Target(models.TextChoices):
        REPORT = "report", "รายงานผลการดำเนินการตามมาตรการ"
        ANALYSIS = "analysis", "การวิเคราะห์ผลการประเมิน"

    class State(models.TextChoices):
        WAITING = "waiting", "รออนุมัติ"
        RETURNED = "returned", "ส่งกลับให้แก้ไข"
        APPROVED = "approved", "อนุมัติแล้ว กำลังเผยแพร่"
        PUBLISHED = "published", "เผยแพร่แล้ว"
        CANCELLED = "cancelled", "ยกเลิกคำขอแล้ว"

    class Authority(models.TextChoices):
        APPROVED = "approved", "อนุมัติโดยผู้มีอำนาจ"
        OWN = "own", "เผยแพร่โดยอำนาจของผู้ประสานงาน (หน่วยงานไม่ใช้ขั้นตอนอนุมัติ)"

    OPEN = (State.WAITING, State.APPROVED)

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="หน่วยงาน"
    )
    target = models.CharField(
        "เอกสาร", max_length=16, choices=Target.choices, default=Target.REPORT
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="รอบการรายงาน",
    )
    # The analysis (app analysis) a request of that target is for.
    document = models.ForeignKey(
        AnalysisDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="การวิเคราะห์ผลการประเมิน",
    )
    state = models.CharField("สถานะ", max_length=16, choices=State.choices, default=State.WAITING)
    authority = models.CharField(
        "อำนาจในการเผยแพร่", max_length=16, choices=Authority.choices, default=Authority.APPROVED
    )
    content_sha256 = models.CharField("SHA-256 ของเนื้อหาที่ขออนุมัติ", max_length=64)
    note = models.TextField("บันทึกถึงผู้อนุมัติ", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="ผู้ขออนุมัติ",
    )
    requested_name = models.CharField("ชื่อผู้ขออนุมัติ", max_length=255)
    requested_position = models.CharField("ตำแหน่งผู้ขออนุมัติ", max_length=255, blank=True)
    requested_at = models.DateTimeField("ขออนุมัติเมื่อ")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ผู้พิจารณา",
    )
    decided_name = models.CharField("ชื่อผู้พิจารณา", max_length=255, blank=True)
    decided_position = models.CharField("ตำแหน่งผู้พิจารณา", max_length=255, blank=True)
    decided_at = models.DateTimeField("พิจารณาเมื่อ", null=True, blank=True)
    reason = models.TextField("เหตุผลที่ส่งกลับ", blank=True)
    publication = models.OneToOneField(
        PublishedReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ฉบับที่เผยแพร่",
    )
    analysis_publication = models.OneToOneField(
        PublishedAnalysis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="การวิเคราะห์ฉบับที่เผยแพร่",
    )

    class Meta:
        verbose_name = "คำขออนุมัติเผยแพร่"
        verbose_name_plural = "คำขออนุมัติเผยแพร่"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(state__in=["waiting", "approved"]),
                name="approval_one_open_request_per_round",
                violation_error_message="รายงานรอบนี้มีคำขออนุมัติที่ยังไม่เสร็จอยู่แล้ว",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state__in=["waiting", "approved"]),
                name="approval_one_open_request_per_document",
                violation_error_message="การวิเคราะห์นี้มีคำขออนุมัติที่ยังไม่เสร็จอยู่แล้ว",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(reason=""),
                name="approval_returned_with_reason",
                violation_error_message="การส่งกลับต้องระบุเหตุผล",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return f"{self.what} ({self.get_state_display()})"

    @property
    def what(self) -> str:
        """The document asked about, as the pages name it."""
        if self.target == self.Target.ANALYSIS and self.document_id:
            return f"การวิเคราะห์ผลการประเมิน ปีงบประมาณ {self.document.fiscal_year.year}"
        return f"รายงาน{self.round or ''}"

    @property
    def published(self):
        """The version it became (a report's or an analysis's), or None."""
        return self.analysis_publication or self.publication
