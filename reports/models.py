from django.conf import settings
from django.db import models

from measures.models import Round


def _published_path(instance, filename: str) -> str:
    return instance.stored_name()


class PublishedPdfRecord(models.Model):
    """A PDF exactly as it was published; never rewritten, only superseded, or
    withdrawn with a reason (it stays listed, its file kept for the record, and the
    stable link serves the newest version not withdrawn). The report of a round
    (PublishedReport) and other published documents (the analysis) share it."""

    version = models.PositiveIntegerField("ฉบับที่")
    pdf = models.FileField("ไฟล์ PDF", upload_to=_published_path)
    sha256 = models.CharField("SHA-256", max_length=64)
    # What the PDF was made from (reports.pdf.drafts.current: the report's HTML, the
    # stylesheet, the fonts, the renderer): publishing unchanged content again
    # makes no new version. Empty for versions published before it was kept.
    content_sha256 = models.CharField("SHA-256 ของเนื้อหา", max_length=64, blank=True)
    size = models.PositiveIntegerField("ขนาด (ไบต์)")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="เผยแพร่โดย",
    )
    published_at = models.DateTimeField("เผยแพร่เมื่อ", auto_now_add=True)
    withdrawn_at = models.DateTimeField("ถอนการเผยแพร่เมื่อ", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ถอนการเผยแพร่โดย",
    )
    withdrawal_reason = models.TextField("เหตุผลที่ถอนการเผยแพร่", blank=True)

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def stored_name(self) -> str:
        """The file's name in the storage: "<folder>/<stem>-v<n>-<sha256[:12]>.pdf"
        (reports.services removes a killed publication's file by its "-v<n>-")."""
        return f"{self.folder()}/{self.stem()}-v{self.version}-{self.sha256[:12]}.pdf"


class PublishedReport(PublishedPdfRecord):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="publications", verbose_name="รอบการรายงาน"
    )

    class Meta:
        verbose_name = "รายงานที่เผยแพร่แล้ว"
        verbose_name_plural = "รายงานที่เผยแพร่แล้ว"
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "version"], name="published_report_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="published_report_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="published_report_withdrawn_with_reason",
                violation_error_message="การถอนการเผยแพร่ต้องระบุเหตุผล",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} ฉบับที่ {self.version}"

    def folder(self) -> str:
        return f"published/{self.round.organization.slug}/{self.round.fiscal_year.year}"

    def stem(self) -> str:
        return f"round{self.round.kind}"
