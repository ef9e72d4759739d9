"""What was done on a measure in a round: the result and its review, the steps
marked done, each division's part of a shared measure, and the evidence."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from measures.models import Measure, Round, Step
from organizations.models import Division
from thai import conventions as thai
from thai.validators import sane_date_check, validate_sane_date


class ReviewState(models.TextChoices):
    DRAFT = "draft", "ฉบับร่าง"
    SUBMITTED = "submitted", "ส่งให้ผู้ประสานงานตรวจแล้ว"
    RETURNED = "returned", "ส่งกลับให้แก้ไข"
    APPROVED = "approved", "ผู้ประสานงานอนุมัติแล้ว"


class Progress(models.Model):
    """What was done on a measure in a round: the report's last column."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "ยังไม่ดำเนินการ"
        IN_PROGRESS = "in_progress", "อยู่ระหว่างดำเนินการ"
        DONE = "done", "ดำเนินการแล้วเสร็จ"
        CANNOT = "cannot", "ไม่สามารถดำเนินการได้"

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="progress", verbose_name="มาตรการ"
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="progress", verbose_name="รอบการรายงาน"
    )
    status = models.CharField(
        "สถานะ", max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(
        "วันที่แล้วเสร็จ", null=True, blank=True, validators=[validate_sane_date]
    )
    result_text = models.TextField(
        "รายละเอียดผลการดำเนินการ",
        blank=True,
        help_text="พิมพ์ต่อท้ายสถานะในคอลัมน์ผลการดำเนินการของรายงาน",
    )
    cannot_reason = models.TextField("เหตุผลที่ดำเนินการไม่ได้", blank=True)
    # The division of the staff member who first reported the result: on a measure
    # of several divisions, its staff (and the coordinator) write the result; the
    # other divisions add their parts (DivisionPart). Empty until staff report.
    reporter_division = models.ForeignKey(
        Division,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ส่วนราชการผู้รายงานผล",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="แก้ไขโดย",
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    review_state = models.CharField(
        "สถานะการตรวจสอบ", max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    review_comment = models.TextField("ความเห็นของผู้ประสานงาน", blank=True)
    # Bumped by every save through the services; a stale version is refused.
    version = models.PositiveIntegerField("ฉบับที่", default=1)
    history = HistoricalRecords(
        table_name="measures_historicalprogress", verbose_name="ประวัติผลการดำเนินการ"
    )

    class Meta:
        db_table = "measures_progress"
        verbose_name = "ผลการดำเนินการ"
        verbose_name_plural = "ผลการดำเนินการ"
        ordering = ["round", "measure__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "round"],
                name="progress_once_per_round",
                violation_error_message="มาตรการนี้มีผลการดำเนินการของรอบนี้อยู่แล้ว",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="progress_done_has_date",
                violation_error_message="สถานะดำเนินการแล้วเสร็จต้องระบุวันที่แล้วเสร็จ",
            ),
            models.CheckConstraint(
                condition=~Q(status="cannot") | ~Q(cannot_reason=""),
                name="progress_cannot_has_reason",
                violation_error_message="สถานะไม่สามารถดำเนินการได้ต้องระบุเหตุผล",
            ),
            sane_date_check("completed_on", "progress_completed_on_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.round}"

    def clean(self):
        errors: dict[str, str] = {}
        if self.status == self.Status.DONE and not self.completed_on:
            errors["completed_on"] = "กรุณาระบุวันที่แล้วเสร็จ เมื่อสถานะเป็นดำเนินการแล้วเสร็จ"
        if self.status == self.Status.CANNOT and not self.cannot_reason.strip():
            errors["cannot_reason"] = "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้"
        if self.measure_id and self.round_id:
            measure, round_ = self.measure, self.round
            if (round_.organization_id, round_.fiscal_year_id) != (
                measure.organization_id,
                measure.fiscal_year_id,
            ):
                errors["round"] = "รอบการรายงานนี้ไม่ใช่ของหน่วยงานและปีงบประมาณของมาตรการ"
            elif self.completed_on:
                fy = round_.fiscal_year
                if self.completed_on < fy.start:
                    errors["completed_on"] = (
                        f"วันที่แล้วเสร็จ ({thai.format_thai_date(self.completed_on)}) อยู่ก่อนวันเริ่ม"
                        f"ปีงบประมาณ พ.ศ. {fy.year} ({thai.format_thai_date(fy.start)})"
                    )
                elif self.completed_on > date.today():
                    errors["completed_on"] = (
                        f"วันที่แล้วเสร็จ ({thai.format_thai_date(self.completed_on)}) "
                        "เป็นวันในอนาคต กรุณาตรวจสอบปี พ.ศ."
                    )
        if errors:
            raise ValidationError(errors)

    @property
    def awaits_staff(self) -> bool:
        """A draft, or returned: staff of the reporting division may write it."""
        return self.review_state in (ReviewState.DRAFT, ReviewState.RETURNED)

    @property
    def is_approved(self) -> bool:
        return self.review_state == ReviewState.APPROVED

    @property
    def result_line(self) -> str:
        """The status sentence the report prints, e.g. "ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566"."""
        return self.status_line()

    def status_line(self, *, thai_digits: bool = False) -> str:
        """`result_line` with the date in Thai digits or Arabic; the reason stays as typed."""
        if self.status == self.Status.DONE and self.completed_on:
            done_on = thai.format_thai_date(self.completed_on, thai_digits=thai_digits)
            return f"ดำเนินการแล้วเสร็จ เมื่อวันที่ {done_on}"
        if self.status == self.Status.CANNOT:
            return f"ไม่สามารถดำเนินการได้ เนื่องจาก{self.cannot_reason.strip()}"
        return self.get_status_display()


class StepProgress(models.Model):
    """Which steps of a measure are done in a round, each with its own date."""

    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, related_name="step_marks", verbose_name="ผลการดำเนินการ"
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="marks", verbose_name="ขั้นตอน"
    )
    done_on = models.DateField(
        "วันที่ดำเนินการแล้วเสร็จ", null=True, blank=True, validators=[validate_sane_date]
    )
    # Ticks and unticks are kept (shown in the measure's history, measures.selectors).
    history = HistoricalRecords(
        table_name="measures_historicalstepprogress", verbose_name="ประวัติขั้นตอนที่ดำเนินการแล้ว"
    )

    class Meta:
        db_table = "measures_stepprogress"
        verbose_name = "ขั้นตอนที่ดำเนินการแล้ว"
        verbose_name_plural = "ขั้นตอนที่ดำเนินการแล้ว"
        constraints = [
            models.UniqueConstraint(fields=["progress", "step"], name="step_progress_once"),
            sane_date_check("done_on", "step_progress_done_on_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.step} ✓"


class DivisionPart(models.Model):
    """What one responsible division did on a measure of several divisions in a
    round: a note and its own evidence. The measure keeps one result (Progress,
    written by its reporting division or the coordinator); each other division adds
    its part here, also once that result waits for review. Written only through
    progress.part_services.save_part; who may is decided in organizations.access."""

    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, related_name="parts", verbose_name="ผลการดำเนินการ"
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="parts", verbose_name="ส่วนราชการ"
    )
    note = models.TextField("สิ่งที่ส่วนราชการดำเนินการ", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="แก้ไขโดย",
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    # Bumped by every save; a save based on an older version is refused.
    version = models.PositiveIntegerField("ฉบับที่", default=1)
    history = HistoricalRecords(
        table_name="measures_historicaldivisionpart", verbose_name="ประวัติส่วนของส่วนราชการ"
    )

    class Meta:
        db_table = "measures_divisionpart"
        verbose_name = "ส่วนของส่วนราชการ"
        verbose_name_plural = "ส่วนของส่วนราชการ"
        ordering = ["progress", "division__order", "division__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "division"],
                name="division_part_once",
                violation_error_message="ส่วนราชการนี้มีส่วนของตนในผลการดำเนินการนี้แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.division} — {self.progress}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    progress = instance.progress
    return f"evidence/{progress.measure.organization.slug}/{progress.pk}/{filename}"


class Evidence(models.Model):
    """A file or a link that shows a measure's result (OIT assessors look for links)."""

    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, related_name="evidence", verbose_name="ผลการดำเนินการ"
    )
    # Evidence of one division's part (DivisionPart); empty for the result's own.
    part = models.ForeignKey(
        DivisionPart,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name="ส่วนของส่วนราชการ",
    )
    file = models.FileField("ไฟล์", upload_to=evidence_path, blank=True)
    original_name = models.CharField("ชื่อไฟล์เดิม", max_length=255, blank=True)
    content_type = models.CharField("ชนิดไฟล์", max_length=100, blank=True)
    size = models.PositiveIntegerField("ขนาด (ไบต์)", default=0)
    url = models.URLField("ลิงก์", max_length=1000, blank=True)
    title = models.CharField("คำอธิบาย", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="เพิ่มโดย",
    )
    uploaded_at = models.DateTimeField("เพิ่มเมื่อ", auto_now_add=True)
    # Additions and removals are kept (shown in the measure's history).
    history = HistoricalRecords(
        table_name="measures_historicalevidence", verbose_name="ประวัติหลักฐาน"
    )

    class Meta:
        db_table = "measures_evidence"
        verbose_name = "หลักฐาน"
        verbose_name_plural = "หลักฐาน"
        ordering = ["progress", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_is_file_or_link",
                violation_error_message="หลักฐานหนึ่งรายการเป็นไฟล์หรือลิงก์อย่างใดอย่างหนึ่ง",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url
