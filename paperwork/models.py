"""The memo and the form of each approved version, and each agency's texts for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from analysis.models import PublishedAnalysis
from organizations.models import Organization
from paperwork import texts
from reports.models import PublishedReport


def _paperwork_path(instance: "Paperwork", filename: str) -> str:
    """In a folder of its own: reports' `manage.py sweep_files` walks published/ and
    knows only the reports' own files. Backups copy every stored file. `filename` is
    "memo.pdf" or "form.pdf"; the hash part makes each file's name unique."""
    kind = filename.removesuffix(".pdf")
    digest = (instance.memo_sha256 if kind == texts.MEMO else instance.form_sha256)[:12]
    return f"paperwork/{instance.organization.slug}/{instance.key}-{kind}-{digest}.pdf"


class Paperwork(models.Model):
    """The memo asking the executive's permission to publish (บันทึกข้อความ) and the
    publishing form (แบบฟอร์มการเผยแพร่ข้อมูลต่อสาธารณะ) of one published version,
    as generated when it was approved: never rewritten. The names, positions and
    dates printed in them are kept beside the files.

    The version is a round's report (`report`) or an analysis (`analysis`): exactly
    one of them. Another kind of published document gets a one-to-one of its own."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="หน่วยงาน"
    )
    report = models.OneToOneField(
        PublishedReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paperwork",
        verbose_name="รายงานฉบับที่เผยแพร่",
    )
    analysis = models.OneToOneField(
        PublishedAnalysis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paperwork",
        verbose_name="การวิเคราะห์ฉบับที่เผยแพร่",
    )
    title = models.CharField("ชื่อเอกสาร", max_length=500)
    link = models.CharField("ลิงก์สาธารณะ", max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ผู้ขออนุญาต",
    )
    requester_name = models.CharField("ชื่อผู้ขออนุญาต", max_length=255)
    requester_position = models.CharField("ตำแหน่งผู้ขออนุญาต", max_length=255, blank=True)
    requested_at = models.DateTimeField("ขออนุญาตเมื่อ")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ผู้อนุญาต",
    )
    approver_name = models.CharField("ชื่อผู้อนุญาต", max_length=255)
    approver_position = models.CharField("ตำแหน่งผู้อนุญาต", max_length=255, blank=True)
    approved_at = models.DateTimeField("อนุญาตเมื่อ")
    note = models.TextField("หมายเหตุ", blank=True)
    memo_pdf = models.FileField("บันทึกข้อความ (PDF)", upload_to=_paperwork_path)
    memo_sha256 = models.CharField("SHA-256 ของบันทึกข้อความ", max_length=64)
    memo_size = models.PositiveIntegerField("ขนาดบันทึกข้อความ (ไบต์)")
    form_pdf = models.FileField("แบบฟอร์มการเผยแพร่ (PDF)", upload_to=_paperwork_path)
    form_sha256 = models.CharField("SHA-256 ของแบบฟอร์ม", max_length=64)
    form_size = models.PositiveIntegerField("ขนาดแบบฟอร์ม (ไบต์)")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "บันทึกข้อความและแบบฟอร์มการเผยแพร่"
        verbose_name_plural = "บันทึกข้อความและแบบฟอร์มการเผยแพร่"
        ordering = ["organization", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(report__isnull=False, analysis__isnull=True)
                    | models.Q(report__isnull=True, analysis__isnull=False)
                ),
                name="paperwork_of_a_version",
                violation_error_message="บันทึกข้อความต้องเป็นของเอกสารฉบับที่เผยแพร่",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ฉบับที่ {self.version}"

    @property
    def published(self) -> PublishedReport | PublishedAnalysis:
        return self.report if self.report_id else self.analysis

    @property
    def version(self) -> int:
        return self.published.version

    @property
    def year(self) -> int:
        if self.report_id:
            return self.report.round.fiscal_year.year
        return self.analysis.document.fiscal_year.year

    @property
    def segment(self) -> str:
        """What names the document in files and addresses: "round6", "analysis"."""
        return f"round{self.report.round.kind}" if self.report_id else "analysis"

    @property
    def key(self) -> str:
        """The version's part of the files' names."""
        return f"{self.year}/{self.segment}-v{self.version}"

    def download_url(self, document: str) -> str:
        slug = self.organization.slug
        if self.report_id:
            args = [slug, self.year, self.report.round.kind, self.version, document]
            return reverse("paperwork:download", args=args)
        return reverse(
            "paperwork:download_analysis", args=[slug, self.year, self.version, document]
        )

    @property
    def memo_url(self) -> str:
        return self.download_url(texts.MEMO)

    @property
    def form_url(self) -> str:
        return self.download_url(texts.FORM)


class PaperworkTemplate(models.Model):
    """An agency's own texts of the memo or the form (texts.PARTS); without one, the
    shipped defaults. `revision` counts saves: an edit made on an older revision is
    refused rather than overwriting another person's."""

    class Kind(models.TextChoices):
        MEMO = texts.MEMO, texts.KIND_LABELS[texts.MEMO]
        FORM = texts.FORM, texts.KIND_LABELS[texts.FORM]

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="paperwork_templates",
        verbose_name="หน่วยงาน",
    )
    kind = models.CharField("เอกสาร", max_length=8, choices=Kind.choices)
    parts = models.JSONField("ข้อความ", default=dict)
    revision = models.PositiveIntegerField("แก้ไขครั้งที่", default=1)
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
        verbose_name = "แม่แบบบันทึกข้อความและแบบฟอร์ม"
        verbose_name_plural = "แม่แบบบันทึกข้อความและแบบฟอร์ม"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"],
                name="paperwork_template_once_per_kind",
                violation_error_message="หน่วยงานนี้มีแม่แบบของเอกสารนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.organization})"


class PaperworkFailure(models.Model):
    """A version whose memo and form could not be made when it was approved (an
    agency's text that no longer fills, the file storage refusing the write): what
    failed and when, for the paperwork page, and what the paperwork was to print, so
    that the coordinator's retry prints the names and dates of the approval itself.
    Kept once resolved (`resolved_at`): a second click on the retry finds it done."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="หน่วยงาน"
    )
    report = models.OneToOneField(
        PublishedReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paperwork_failure",
        verbose_name="รายงานฉบับที่เผยแพร่",
    )
    analysis = models.OneToOneField(
        PublishedAnalysis,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paperwork_failure",
        verbose_name="การวิเคราะห์ฉบับที่เผยแพร่",
    )
    title = models.CharField("ชื่อเอกสาร", max_length=500)
    # Paperwork's fields as the approval gave them (services.RECORDED; dates in ISO).
    recorded = models.JSONField("ข้อมูลที่บันทึกจากการอนุญาต", default=dict)
    error = models.TextField("สิ่งที่ไม่สำเร็จ")
    failed_at = models.DateTimeField("ไม่สำเร็จเมื่อ")
    attempts = models.PositiveIntegerField("จัดทำไม่สำเร็จ (ครั้ง)", default=1)
    resolved_at = models.DateTimeField("จัดทำสำเร็จเมื่อ", null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ผู้สั่งจัดทำใหม่",
    )

    class Meta:
        verbose_name = "การจัดทำบันทึกข้อความที่ไม่สำเร็จ"
        verbose_name_plural = "การจัดทำบันทึกข้อความที่ไม่สำเร็จ"
        ordering = ["organization", "-failed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(report__isnull=False, analysis__isnull=True)
                    | models.Q(report__isnull=True, analysis__isnull=False)
                ),
                name="paperwork_failure_of_a_version",
                violation_error_message="การจัดทำที่ไม่สำเร็จต้องเป็นของเอกสารฉบับที่เผยแพร่",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ฉบับที่ {self.version}: {self.error}"

    @property
    def published(self) -> PublishedReport | PublishedAnalysis:
        return self.report if self.report_id else self.analysis

    @property
    def version(self) -> int:
        return self.published.version
