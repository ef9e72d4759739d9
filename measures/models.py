"""An agency's measures of a fiscal year: the rounds it reports in, each measure
with its responsible divisions, steps and sub-items."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from catalogue.models import FiscalYear, Indicator
from organizations.models import Division, Organization
from thai import conventions as thai
from thai.validators import sane_date_check, validate_sane_date


class Round(models.Model):
    """A reporting round of an organization; its period follows from the kind."""

    class Kind(models.IntegerChoices):
        SIX_MONTHS = 6, "รอบ 6 เดือน"
        TWELVE_MONTHS = 12, "รอบ 12 เดือน"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rounds", verbose_name="หน่วยงาน"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="rounds", verbose_name="ปีงบประมาณ"
    )
    kind = models.PositiveSmallIntegerField("รอบการรายงาน", choices=Kind.choices)
    is_open = models.BooleanField(
        "เปิดรับรายงาน", default=True, help_text="ปิดรอบแล้ว เจ้าหน้าที่จะแก้ไขผลการดำเนินการไม่ได้"
    )
    # The report's sign-off block; blank lines are printed for a hand signature.
    reporter_name = models.CharField("ชื่อผู้รายงาน", max_length=255, blank=True)
    reporter_position = models.CharField("ตำแหน่งผู้รายงาน", max_length=255, blank=True)
    approver_name = models.CharField("ชื่อผู้บริหารผู้อนุมัติ", max_length=255, blank=True)
    approver_position = models.CharField("ตำแหน่งผู้บริหารผู้อนุมัติ", max_length=255, blank=True)

    class Meta:
        verbose_name = "รอบการรายงาน"
        verbose_name_plural = "รอบการรายงาน"
        ordering = ["organization", "-fiscal_year__year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "kind"],
                name="round_unique_per_year",
                violation_error_message="หน่วยงานนี้มีรอบการรายงานนี้ในปีงบประมาณนี้อยู่แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[6, 12]),
                name="round_kind_6_or_12",
                violation_error_message="รอบการรายงานต้องเป็นรอบ 6 เดือนหรือ 12 เดือน",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ปีงบประมาณ พ.ศ. {self.fiscal_year.year}"

    @property
    def start(self) -> date:
        return self.fiscal_year.start

    @property
    def end(self) -> date:
        if self.kind == self.Kind.SIX_MONTHS:
            return date(self.fiscal_year.start.year + 1, 3, 31)
        return self.fiscal_year.end


class Measure(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="measures", verbose_name="หน่วยงาน"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="measures", verbose_name="ปีงบประมาณ"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measures", verbose_name="ตัวชี้วัด"
    )
    target = models.CharField(
        "ประเด็นที่ต้องปรับปรุงแก้ไข/ประเด็นที่ต้องพัฒนา",
        max_length=500,
        blank=True,
        help_text="ถ้อยคำของหน่วยงานเอง ถ้าเว้นว่างจะใช้ชื่อตัวชี้วัด",
    )
    divisions = models.ManyToManyField(
        Division, through="MeasureDivision", related_name="measures", verbose_name="ผู้รับผิดชอบ"
    )
    monitoring = models.TextField(
        "การรายงานผลและการกำกับติดตาม", help_text="บรรทัดละหนึ่งข้อ เช่น 1. เจ้าหน้าที่ผู้รับผิดชอบ…"
    )
    deadline = models.DateField(
        "กำหนดเวลาแล้วเสร็จ", null=True, blank=True, validators=[validate_sane_date]
    )
    order = models.PositiveSmallIntegerField("ลำดับในรายงาน")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = HistoricalRecords(verbose_name="ประวัติมาตรการ")

    class Meta:
        verbose_name = "มาตรการ"
        verbose_name_plural = "มาตรการ"
        ordering = ["organization", "-fiscal_year__year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "order"],
                name="measure_unique_order",
                violation_error_message="ลำดับนี้มีมาตรการอื่นใช้แล้วในปีงบประมาณเดียวกัน",
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="measure_order_positive",
                violation_error_message="ลำดับต้องเริ่มที่ 1",
            ),
            sane_date_check("deadline", "measure_deadline_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.target_label}"

    @property
    def target_label(self) -> str:
        """The wording the report prints after "ตัวชี้วัด"."""
        return self.target or self.indicator.name

    @property
    def year_is_closed(self) -> bool:
        """What the organization's year reported is final: its 12-month round (the
        year's last report) exists and no round of the year is open. A closed
        6-month round alone does not close the year; reopening any round opens it."""
        states = dict(
            Round.objects.filter(
                organization_id=self.organization_id, fiscal_year_id=self.fiscal_year_id
            ).values_list("kind", "is_open")
        )
        return Round.Kind.TWELVE_MONTHS in states and not any(states.values())

    @property
    def monitoring_lines(self) -> list[str]:
        return [line.strip() for line in self.monitoring.splitlines() if line.strip()]

    def clean(self):
        errors = {}
        if self.indicator_id and self.fiscal_year_id:
            if self.indicator.tool.fiscal_year_id != self.fiscal_year_id:
                errors["indicator"] = (
                    f"ตัวชี้วัดนี้เป็นของปีงบประมาณ พ.ศ. {self.indicator.tool.fiscal_year.year} "
                    f"ไม่ใช่ปีงบประมาณ พ.ศ. {self.fiscal_year.year}"
                )
            if self.deadline and not (
                self.fiscal_year.start <= self.deadline <= self.fiscal_year.end
            ):
                errors["deadline"] = (
                    "กำหนดเวลาแล้วเสร็จต้องอยู่ในปีงบประมาณ พ.ศ. "
                    f"{self.fiscal_year.year} ({thai.format_thai_date(self.fiscal_year.start)} – "
                    f"{thai.format_thai_date(self.fiscal_year.end)})"
                )
        if errors:
            raise ValidationError(errors)


class MeasureDivision(models.Model):
    """A responsible division of a measure, in the order the agency wrote them."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="assignments", verbose_name="มาตรการ"
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="assignments", verbose_name="ส่วนราชการ"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=1)

    class Meta:
        verbose_name = "ผู้รับผิดชอบ"
        verbose_name_plural = "ผู้รับผิดชอบ"
        ordering = ["measure", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "division"],
                name="measure_division_once",
                violation_error_message="ส่วนราชการนี้อยู่ในรายชื่อผู้รับผิดชอบแล้ว",
            ),
            models.UniqueConstraint(
                fields=["measure", "order"],
                name="measure_division_unique_order",
                violation_error_message="ลำดับผู้รับผิดชอบซ้ำกัน",
            ),
        ]

    def __str__(self) -> str:
        return str(self.division)

    def clean(self):
        if (
            self.division_id
            and self.measure_id
            and self.division.organization_id != self.measure.organization_id
        ):
            raise ValidationError({"division": "ส่วนราชการนี้เป็นของหน่วยงานอื่น"})


class Step(models.Model):
    """A numbered step of a measure (ขั้นตอนหรือวิธีการ/มาตรการ)."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="steps", verbose_name="มาตรการ"
    )
    number = models.PositiveSmallIntegerField("ข้อที่")
    text = models.TextField("ขั้นตอนหรือวิธีการ")
    history = HistoricalRecords(verbose_name="ประวัติขั้นตอน")

    class Meta:
        verbose_name = "ขั้นตอน"
        verbose_name_plural = "ขั้นตอนหรือวิธีการ/มาตรการ"
        ordering = ["measure", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "number"],
                name="step_unique_number",
                violation_error_message="มาตรการนี้มีขั้นตอนข้อนี้อยู่แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="step_number_positive",
                violation_error_message="ข้อที่ต้องเริ่มที่ 1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class StepItem(models.Model):
    """A sub-item under a step, as the agency marked it: "-", "(1)", "1)"."""

    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="items", verbose_name="ขั้นตอน"
    )
    order = models.PositiveSmallIntegerField("ลำดับ")
    depth = models.PositiveSmallIntegerField("ระดับ", default=1)
    marker = models.CharField("เครื่องหมายหัวข้อ", max_length=10)
    text = models.TextField("ข้อความ")

    class Meta:
        verbose_name = "หัวข้อย่อย"
        verbose_name_plural = "หัวข้อย่อย"
        ordering = ["step", "order"]
        constraints = [
            models.UniqueConstraint(fields=["step", "order"], name="step_item_unique_order"),
            models.CheckConstraint(
                condition=Q(depth__in=[1, 2]),
                name="step_item_depth_1_or_2",
                violation_error_message="หัวข้อย่อยซ้อนกันได้ไม่เกิน 2 ระดับ",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.marker} {self.text}"
