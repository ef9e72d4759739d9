"""The analysis of an agency's ITA result that leads to a fiscal year's measures:
the coordinator's own text per weak point, and the PDFs published of it. The scores
themselves are the results app's; the measures the measures app's."""

from django.conf import settings
from django.db import models

from reports.models import PublishedPdfRecord

TEXT_MAX_CHARS = 5000


class AnalysisDocument(models.Model):
    """The analysis that leads to the measures of `fiscal_year` (it reads the results
    of the years before). Made when its coordinator first writes or publishes it."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="analyses",
        verbose_name="หน่วยงาน",
    )
    fiscal_year = models.ForeignKey(
        "catalogue.FiscalYear",
        on_delete=models.PROTECT,
        related_name="analyses",
        verbose_name="ปีงบประมาณของมาตรการ",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "การวิเคราะห์ผลการประเมิน"
        verbose_name_plural = "การวิเคราะห์ผลการประเมิน"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="analysis_once_per_year",
                violation_error_message="หน่วยงานนี้มีการวิเคราะห์ของปีนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"การวิเคราะห์ผลการประเมิน {self.organization} ปีงบประมาณ {self.fiscal_year.year}"


class WeakPointNote(models.Model):
    """The coordinator's text on one weak indicator: what was found, what is proposed.
    The indicator is named by tool code and number, as results.selectors matches
    indicators across the years' catalogues."""

    document = models.ForeignKey(
        AnalysisDocument, on_delete=models.CASCADE, related_name="notes", verbose_name="การวิเคราะห์"
    )
    tool_code = models.CharField("เครื่องมือ", max_length=10)
    indicator_number = models.CharField("ตัวชี้วัดที่", max_length=10)
    found = models.TextField("สิ่งที่พบ", blank=True, max_length=TEXT_MAX_CHARS)
    proposed = models.TextField("ข้อเสนอแนะ", blank=True, max_length=TEXT_MAX_CHARS)
    # Raised by every save: a form opened on an older version is refused (409).
    version = models.PositiveIntegerField("ฉบับแก้ไขที่", default=1)
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
        verbose_name = "ข้อความวิเคราะห์จุดอ่อน"
        verbose_name_plural = "ข้อความวิเคราะห์จุดอ่อน"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "tool_code", "indicator_number"],
                name="analysis_note_once_per_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tool_code} ตัวชี้วัดที่ {self.indicator_number}"


class PublishedAnalysis(PublishedPdfRecord):
    document = models.ForeignKey(
        AnalysisDocument,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="การวิเคราะห์",
    )

    class Meta:
        verbose_name = "การวิเคราะห์ที่เผยแพร่แล้ว"
        verbose_name_plural = "การวิเคราะห์ที่เผยแพร่แล้ว"
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version"], name="published_analysis_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="published_analysis_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="published_analysis_withdrawn_with_reason",
                violation_error_message="การถอนการเผยแพร่ต้องระบุเหตุผล",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ฉบับที่ {self.version}"

    def folder(self) -> str:
        d = self.document
        return f"published/{d.organization.slug}/{d.fiscal_year.year}"

    def stem(self) -> str:
        return "analysis"
