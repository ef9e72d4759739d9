from django.conf import settings
from django.db import models

from measures.models import Round


def _published_path(instance: "PublishedReport", filename: str) -> str:
    r = instance.round
    return (
        f"published/{r.organization.slug}/{r.fiscal_year.year}/"
        f"round{r.kind}-v{instance.version}-{instance.sha256[:12]}.pdf"
    )


class PublishedReport(models.Model):
    """A PDF exactly as it was published; never rewritten, only superseded."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="publications", verbose_name="รอบการรายงาน"
    )
    version = models.PositiveIntegerField("ฉบับที่")
    pdf = models.FileField("ไฟล์ PDF", upload_to=_published_path)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("ขนาด (ไบต์)")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="เผยแพร่โดย",
    )
    published_at = models.DateTimeField("เผยแพร่เมื่อ", auto_now_add=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.round} ฉบับที่ {self.version}"
