"""The assessment's catalogue per fiscal year: its tools (IIT, EIT, OIT), their
indicators, and the wordings agencies use for them."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from thai import conventions as thai


class FiscalYear(models.Model):
    """A Thai fiscal year, named by the BE year in which it ends."""

    year = models.PositiveSmallIntegerField(
        "ปีงบประมาณ (พ.ศ.)",
        unique=True,
        validators=[MinValueValidator(2543), MaxValueValidator(2643)],
        error_messages={"unique": "มีปีงบประมาณนี้อยู่แล้ว"},
    )
    catalogue_source = models.TextField(
        "ที่มาของเกณฑ์การประเมิน",
        blank=True,
        help_text="เครื่องมือและตัวชี้วัดของปีนี้มาจากเอกสารใด และตรวจสอบกับคู่มือการประเมินของปีนี้แล้วหรือยัง",
    )

    class Meta:
        db_table = "measures_fiscalyear"
        verbose_name = "ปีงบประมาณ"
        verbose_name_plural = "ปีงบประมาณ"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2543, year__lte=2643),
                name="fiscal_year_is_buddhist_era",
                violation_error_message="ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2566",
            )
        ]

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"

    @property
    def start(self) -> date:
        return thai.fiscal_year_bounds(self.year)[0]

    @property
    def end(self) -> date:
        return thai.fiscal_year_bounds(self.year)[1]


class AssessmentTool(models.Model):
    """IIT / EIT / OIT as the catalogue of one fiscal year defines them."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="tools", verbose_name="ปีงบประมาณ"
    )
    code = models.CharField("รหัสเครื่องมือ", max_length=10, help_text="เช่น IIT, EIT, OIT")
    name = models.CharField("ชื่อเครื่องมือ", max_length=255, blank=True)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        db_table = "measures_assessmenttool"
        verbose_name = "เครื่องมือการประเมิน"
        verbose_name_plural = "เครื่องมือการประเมิน"
        ordering = ["fiscal_year", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="tool_unique_code_per_year",
                violation_error_message="ปีงบประมาณนี้มีเครื่องมือรหัสนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.fiscal_year.year})"


class Indicator(models.Model):
    tool = models.ForeignKey(
        AssessmentTool,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name="เครื่องมือการประเมิน",
    )
    number = models.CharField("ตัวชี้วัดที่", max_length=10, help_text="เช่น 1, 10 หรือ 10.2")
    name = models.CharField("ชื่อตัวชี้วัด", max_length=255)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        db_table = "measures_indicator"
        verbose_name = "ตัวชี้วัด"
        verbose_name_plural = "ตัวชี้วัด"
        ordering = ["tool__fiscal_year", "tool__order", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "number"],
                name="indicator_unique_number_per_tool",
                violation_error_message="เครื่องมือนี้มีตัวชี้วัดหมายเลขนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tool.code} {self.number}. {self.name}"


def wording_key(text: str) -> str:
    """What two wordings of an indicator must share to be the same wording: a
    leading "ตัวชี้วัด", spacing, Thai or Arabic digits and a split SARA AM ignored."""
    text = thai.normalize_sara_am(thai.to_arabic_digits(text)).strip()
    text = text.removeprefix("ตัวชี้วัด").strip(" :-–")
    return "".join(text.split())


class IndicatorWording(models.Model):
    """Another wording of an indicator of one fiscal year's catalogue: a variant
    the catalogue names ("การปรับปรุงระบบการทำงาน" for 8; no organization), which
    every agency's imports read as that indicator, or an agency's own words that
    its coordinator mapped to the indicator once (CHOSEN, with the organization),
    which that agency's later imports read so. Another agency's choice never
    decides: it is at most the suggestion its coordinator is asked to confirm
    (catalogue.services.suggested_readings). A CHOSEN row without an organization
    is a choice made before choices had one, whose agency could not be told
    (migration 0002): a suggestion only."""

    class Source(models.TextChoices):
        CATALOGUE = "catalogue", "ถ้อยคำในเกณฑ์การประเมิน"
        CHOSEN = "chosen", "ผู้ประสานงานเลือกตัวชี้วัดเมื่อนำเข้า"

    tool = models.ForeignKey(
        AssessmentTool,
        on_delete=models.CASCADE,
        related_name="wordings",
        verbose_name="เครื่องมือการประเมิน",
    )
    key = models.CharField("คำค้น", max_length=500, editable=False)
    wording = models.CharField("ถ้อยคำ", max_length=500)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="wordings", verbose_name="ตัวชี้วัด"
    )
    source = models.CharField(
        "ที่มา", max_length=16, choices=Source.choices, default=Source.CATALOGUE
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="หน่วยงานที่เลือก",
        help_text="ว่างไว้สำหรับถ้อยคำในเกณฑ์การประเมิน ซึ่งใช้กับทุกหน่วยงาน",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="บันทึกโดย",
    )
    created_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True)

    class Meta:
        db_table = "measures_indicatorwording"
        verbose_name = "ถ้อยคำของตัวชี้วัด"
        verbose_name_plural = "ถ้อยคำอื่นของตัวชี้วัด"
        ordering = ["tool", "indicator__order", "wording"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "key"],
                condition=Q(organization__isnull=True),
                name="indicator_wording_once_per_tool",
                violation_error_message="เครื่องมือนี้มีถ้อยคำนี้อยู่แล้ว",
            ),
            models.UniqueConstraint(
                fields=["tool", "key", "organization"],
                condition=Q(organization__isnull=False),
                name="indicator_wording_once_per_agency",
                violation_error_message="หน่วยงานนี้เลือกตัวชี้วัดของถ้อยคำนี้ไว้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(source="chosen") | Q(organization__isnull=True),
                name="indicator_wording_catalogue_has_no_agency",
                violation_error_message="ถ้อยคำในเกณฑ์การประเมินใช้กับทุกหน่วยงาน จึงไม่ระบุหน่วยงาน",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wording} → {self.indicator}"

    def clean(self):
        # The wording belongs to its indicator's tool, and is found by its key.
        if self.indicator_id:
            self.tool_id = self.indicator.tool_id
        self.key = wording_key(self.wording)
        if not self.key:
            raise ValidationError({"wording": "กรุณาระบุถ้อยคำ"})
        if self.tool_id:
            same = IndicatorWording.objects.filter(
                tool_id=self.tool_id, key=self.key, organization_id=self.organization_id
            )
            other = same.exclude(pk=self.pk).select_related("indicator").first()
            if other:
                raise ValidationError({"wording": f"ถ้อยคำนี้ใช้กับตัวชี้วัด “{other.indicator}” อยู่แล้ว"})


class OitItem(models.Model):
    """An item of the assessment's open-data part (OIT) of one fiscal year: what the
    assessor opens a link for on the agency's website. Numbers change between years
    ("O42" in 2566, "O26" in 2569), so they are data, kept per fiscal year."""

    class FilledBy(models.TextChoices):
        NONE = "", "ไม่มี (หน่วยงานใส่ลิงก์เอง)"
        MEASURES = "measures", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        SIX_MONTHS = "six_months", "รายงานผลการดำเนินการ รอบ 6 เดือน"
        TWELVE_MONTHS = "twelve_months", "รายงานผลการดำเนินการ รอบ 12 เดือน"
        ANALYSIS = "analysis", "รายงานการวิเคราะห์ผลการประเมิน"
        PREVIOUS_TWELVE_MONTHS = "previous_twelve_months", "รายงานผลรอบ 12 เดือนของปีก่อน"

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="oit_items", verbose_name="ปีงบประมาณ"
    )
    number = models.CharField("ข้อ", max_length=10, help_text="เช่น O1 หรือ O26")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    title = models.CharField(
        "ชื่อข้อ", max_length=500, blank=True, help_text="ว่างไว้ได้ถ้ายังไม่ทราบชื่อข้อจากคู่มือ"
    )
    asks_for = models.TextField("ข้อมูลที่ข้อนี้ขอ", blank=True)
    source = models.TextField("ที่มา", blank=True, help_text="รายการข้อนี้มาจากเอกสารใด")
    confirmed = models.BooleanField(
        "ตรวจสอบกับคู่มือการประเมินแล้ว",
        default=False,
        help_text="ยังไม่ได้ตรวจสอบ: ข้อมูลมาจากหน้าเว็บไซต์ของหน่วยงานหรือคัดลอกจากปีก่อน",
    )
    filled_by = models.CharField(
        "เอกสารที่ระบบเติมลิงก์ให้",
        max_length=32,
        choices=FilledBy.choices,
        default=FilledBy.NONE,
        blank=True,
        help_text="เอกสารที่ระบบเผยแพร่เองและใช้เป็นลิงก์ของข้อนี้ได้โดยอัตโนมัติ",
    )

    class Meta:
        verbose_name = "ข้อของ OIT"
        verbose_name_plural = "ข้อของ OIT"
        ordering = ["fiscal_year", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"],
                name="oit_item_unique_number_per_year",
                violation_error_message="ปีงบประมาณนี้มีข้อ OIT หมายเลขนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.title else self.number

    @property
    def label(self) -> str:
        """What the pages show: the number and title, or that the title is not known."""
        return f"{self.number} {self.title or '(ยังไม่มีชื่อข้อในระบบ)'}"
