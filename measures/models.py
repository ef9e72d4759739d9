"""The domain: organizations, their divisions, the assessment catalogue per
fiscal year, measures with their steps, and progress per reporting round."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from measures import thai

# Dates outside this window are typing mistakes (e.g. a BE year typed as CE).
SANE_DATE_MIN = date(2000, 1, 1)
SANE_DATE_MAX = date(2100, 12, 31)
SANE_DATE_MESSAGE = (
    f"ปี พ.ศ. ต้องอยู่ระหว่าง {thai.be_year(SANE_DATE_MIN.year)} ถึง {thai.be_year(SANE_DATE_MAX.year)}"
)


def validate_sane_date(value: date | None) -> None:
    """Every date field: the database refuses dates outside SANE_DATE_MIN..MAX."""
    if value is not None and not SANE_DATE_MIN <= value <= SANE_DATE_MAX:
        raise ValidationError(SANE_DATE_MESSAGE, code="date_out_of_range")


def _sane_date_check(field: str, name: str) -> models.CheckConstraint:
    within = Q(**{f"{field}__gte": SANE_DATE_MIN, f"{field}__lte": SANE_DATE_MAX})
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | within,
        name=name,
        violation_error_message=SANE_DATE_MESSAGE,
    )


class Province(models.Model):
    """One of Thailand's 77 provinces (กรุงเทพมหานคร counted among them), loaded by
    a data migration; `code` is the two-digit province code of TIS 1099."""

    code = models.CharField("รหัสจังหวัด", max_length=2, unique=True)
    name = models.CharField("ชื่อจังหวัด", max_length=64, unique=True)

    class Meta:
        verbose_name = "จังหวัด"
        verbose_name_plural = "จังหวัด"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """An อำเภอ (a เขต in Bangkok) of a province, added as agencies are placed."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name="จังหวัด"
    )
    name = models.CharField("ชื่ออำเภอ", max_length=128, help_text="เช่น อำเภอเมืองอุบลราชธานี")

    class Meta:
        verbose_name = "อำเภอ"
        verbose_name_plural = "อำเภอ"
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="district_unique_name_per_province",
                violation_error_message="จังหวัดนี้มีอำเภอชื่อนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} จังหวัด{self.province.name}"


class OrganizationKind(models.TextChoices):
    """The kinds of agency the ITA assesses."""

    PAO = "pao", "องค์การบริหารส่วนจังหวัด"
    CITY_MUNICIPALITY = "city_municipality", "เทศบาลนคร"
    TOWN_MUNICIPALITY = "town_municipality", "เทศบาลเมือง"
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", "เทศบาลตำบล"
    SAO = "sao", "องค์การบริหารส่วนตำบล"
    SPECIAL_LOCAL = "special_local", "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ"
    DEPARTMENT = "department", "ส่วนราชการ (กรม)"
    PROVINCE = "province", "จังหวัด"
    STATE_ENTERPRISE = "state_enterprise", "รัฐวิสาหกิจ"
    UNIVERSITY = "university", "มหาวิทยาลัย/สถาบันอุดมศึกษา"
    PUBLIC_ORGANIZATION = "public_organization", "องค์การมหาชน"
    INDEPENDENT = "independent", "องค์กรตามรัฐธรรมนูญและองค์กรอิสระ"
    COURT = "court", "หน่วยงานศาลและองค์กรอัยการ"
    OTHER_STATE = "other_state", "หน่วยงานอื่นของรัฐ"


class Organization(models.Model):
    class Origin(models.TextChoices):
        REAL = "", "หน่วยงานจริง"
        DEMO = "demo", "ข้อมูลสาธิต"
        GENERATED = "generated", "ข้อมูลจำลอง"

    slug = models.SlugField(
        "ชื่อย่อในลิงก์",
        unique=True,
        help_text="ตัวอักษรอังกฤษ ตัวเลข และขีด ใช้ในลิงก์สาธารณะ เช่น ubon-pao",
    )
    name = models.CharField("ชื่อหน่วยงาน", max_length=255)
    location = models.CharField(
        "ที่ตั้ง", max_length=255, blank=True, help_text="เช่น อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี"
    )
    # The report's digits: only numbers the portal writes follow these choices;
    # text people typed is printed as typed (reports.document).
    thai_digits = models.BooleanField(
        "ใช้เลขไทยในตัวเลขที่ระบบพิมพ์",
        default=True,
        help_text="เลขข้อของขั้นตอน วันที่ ปีงบประมาณในหัวเรื่อง และเลขหน้า ข้อความที่ผู้ใช้พิมพ์แสดงตามที่พิมพ์เสมอ",
    )
    cover_thai_digits = models.BooleanField(
        "ใช้เลขไทยบนหน้าปก", default=True, help_text="ปีงบประมาณ รอบ และช่วงเดือนบนหน้าปกรายงาน"
    )
    show_evidence_links = models.BooleanField(
        "แสดงลิงก์หลักฐานในรายงาน",
        default=True,
        help_text="ลิงก์หลักฐานที่บันทึกไว้พิมพ์ในคอลัมน์ผลการดำเนินการ ให้ผู้ประเมินเปิดดูได้",
    )
    kind = models.CharField(
        "ประเภทหน่วยงาน", max_length=32, choices=OrganizationKind.choices, blank=True
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="จังหวัด",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="อำเภอ",
    )
    origin = models.CharField(
        "ที่มาของข้อมูล",
        max_length=16,
        choices=Origin.choices,
        blank=True,
        default=Origin.REAL,
        help_text="หน่วยงานสาธิต (load_seed) และหน่วยงานจำลอง (generate_agencies) ไม่ใช่หน่วยงานจริง",
    )

    class Meta:
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError(
                {"district": f"อำเภอนี้อยู่ในจังหวัด{self.district.province.name} ไม่ใช่จังหวัดที่เลือก"}
            )


class Division(models.Model):
    """A division of an organization, or one of the two collective wordings
    agencies use in place of divisions."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "ส่วนราชการ"
        ALL = "all", "ทุกส่วนราชการ"
        CONCERNED = "concerned", "ส่วนราชการที่เกี่ยวข้อง"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="divisions", verbose_name="หน่วยงาน"
    )
    name = models.CharField("ชื่อส่วนราชการ", max_length=255)
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "ส่วนราชการ"
        verbose_name_plural = "ส่วนราชการ"
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="division_unique_name",
                violation_error_message="หน่วยงานนี้มีส่วนราชการชื่อนี้อยู่แล้ว",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=~Q(kind="regular"),
                name="division_one_collective_of_each_kind",
                violation_error_message=(
                    "หน่วยงานหนึ่งมีรายการ “ทุกส่วนราชการ” หรือ “ส่วนราชการที่เกี่ยวข้อง” ได้อย่างละหนึ่งรายการ"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        """True for the wordings that stand for several divisions at once."""
        return self.kind != self.Kind.REGULAR


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
    the catalogue names ("การปรับปรุงระบบการทำงาน" for 8), or an agency's own
    words that a coordinator mapped to the indicator once, so that every later
    import, of any organization, reads them as that indicator."""

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
        verbose_name = "ถ้อยคำของตัวชี้วัด"
        verbose_name_plural = "ถ้อยคำอื่นของตัวชี้วัด"
        ordering = ["tool", "indicator__order", "wording"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "key"],
                name="indicator_wording_once_per_tool",
                violation_error_message="เครื่องมือนี้มีถ้อยคำนี้อยู่แล้ว",
            )
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
            same = IndicatorWording.objects.filter(tool_id=self.tool_id, key=self.key)
            other = same.exclude(pk=self.pk).select_related("indicator").first()
            if other:
                raise ValidationError({"wording": f"ถ้อยคำนี้ใช้กับตัวชี้วัด “{other.indicator}” อยู่แล้ว"})


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
            _sane_date_check("deadline", "measure_deadline_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.target_label}"

    @property
    def target_label(self) -> str:
        """The wording the report prints after "ตัวชี้วัด"."""
        return self.target or self.indicator.name

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
        "Division",
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
    history = HistoricalRecords(verbose_name="ประวัติผลการดำเนินการ")

    class Meta:
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
            _sane_date_check("completed_on", "progress_completed_on_sane"),
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


class Membership(models.Model):
    """A user's role in one organization."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "ผู้ประสานงาน ITA"
        STAFF = "staff", "เจ้าหน้าที่ส่วนราชการ"
        EXECUTIVE = "executive", "ผู้บริหาร"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="ผู้ใช้",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="หน่วยงาน"
    )
    role = models.CharField("บทบาท", max_length=16, choices=Role.choices)
    divisions = models.ManyToManyField(
        Division,
        blank=True,
        related_name="members",
        verbose_name="สังกัดส่วนราชการ",
        help_text="สำหรับเจ้าหน้าที่: รายงานผลได้เฉพาะมาตรการของส่วนราชการเหล่านี้",
    )

    class Meta:
        verbose_name = "สมาชิกและบทบาท"
        verbose_name_plural = "สมาชิกและบทบาท"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="membership_once_per_organization",
                violation_error_message="ผู้ใช้นี้มีบทบาทในหน่วยงานนี้อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class OverseerScope(models.Model):
    """What an overseer (ผู้กำกับติดตาม) may read across agencies: the provincial
    anti-corruption office, the provincial office of local administration, a
    ministry over its departments, the national office. Overseers read reports and
    dashboards of the agencies in scope and change nothing (measures.access).

    One scope is the whole installation, or the agencies matching a province and/or
    a kind, plus any agencies listed; a user's scopes add up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="overseer_scopes",
        verbose_name="ผู้ใช้",
    )
    office = models.CharField(
        "หน่วยงานผู้กำกับติดตาม",
        max_length=255,
        blank=True,
        help_text="เช่น สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี",
    )
    whole_installation = models.BooleanField(
        "ทุกหน่วยงานในระบบ", default=False, help_text="เช่น สำนักงานระดับประเทศ"
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="จังหวัด",
        help_text="หน่วยงานในจังหวัดนี้ (ร่วมกับประเภทหน่วยงาน ถ้าระบุ)",
    )
    organization_kind = models.CharField(
        "ประเภทหน่วยงาน",
        max_length=32,
        choices=OrganizationKind.choices,
        blank=True,
        help_text="หน่วยงานประเภทนี้ (ร่วมกับจังหวัด ถ้าระบุ)",
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        verbose_name="หน่วยงานที่ระบุ",
        help_text="หน่วยงานเพิ่มเติมที่กำกับติดตาม เช่น กรมในสังกัดกระทรวง",
    )

    class Meta:
        verbose_name = "ขอบเขตผู้กำกับติดตาม"
        verbose_name_plural = "ขอบเขตผู้กำกับติดตาม"
        ordering = ["user", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(whole_installation=False)
                | (Q(province__isnull=True) & Q(organization_kind="")),
                name="overseer_scope_whole_or_narrowed",
                violation_error_message="ขอบเขตทุกหน่วยงานในระบบไม่ต้องระบุจังหวัดหรือประเภทหน่วยงาน",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.describe()}"

    def describe(self) -> str:
        """The scope in words, e.g. "เทศบาลตำบล จังหวัดอุบลราชธานี"."""
        if self.whole_installation:
            return "ทุกหน่วยงานในระบบ"
        parts = []
        if self.organization_kind:
            parts.append(self.get_organization_kind_display())
        if self.province_id:
            parts.append(f"จังหวัด{self.province.name}")
        if not parts:
            return "หน่วยงานที่ระบุ"
        return " ".join(([] if self.organization_kind else ["ทุกหน่วยงาน"]) + parts)


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
    history = HistoricalRecords(verbose_name="ประวัติขั้นตอนที่ดำเนินการแล้ว")

    class Meta:
        verbose_name = "ขั้นตอนที่ดำเนินการแล้ว"
        verbose_name_plural = "ขั้นตอนที่ดำเนินการแล้ว"
        constraints = [
            models.UniqueConstraint(fields=["progress", "step"], name="step_progress_once"),
            _sane_date_check("done_on", "step_progress_done_on_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.step} ✓"


class DivisionPart(models.Model):
    """What one responsible division did on a measure of several divisions in a
    round: a note and its own evidence. The measure keeps one result (Progress,
    written by its reporting division or the coordinator); each other division adds
    its part here, also once that result waits for review. Written only through
    measures.progress.save_part; who may is decided in measures.access."""

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
    history = HistoricalRecords(verbose_name="ประวัติส่วนของส่วนราชการ")

    class Meta:
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


def _evidence_path(instance: "Evidence", filename: str) -> str:
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
    file = models.FileField("ไฟล์", upload_to=_evidence_path, blank=True)
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
    history = HistoricalRecords(verbose_name="ประวัติหลักฐาน")

    class Meta:
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


class RoundSummary(models.Model):
    """One agency's round at a glance, as the roll-up across agencies shows it
    (reports.oversight): its measures by standing, how many are late, the divisions
    that have not reported, the round and its newest publication. Computed in the
    database and kept up to date by measures.summaries; never edited by hand."""

    # Derived rows: no foreign keys in the database (their deferred checks at commit
    # made a refresh and a write wait for each other on PostgreSQL); Django deletes
    # the rows with their organization or year. Found through round_summary_once
    # and round_summary_year_kind.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="หน่วยงาน",
        db_constraint=False,
        db_index=False,
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="ปีงบประมาณ",
        db_constraint=False,
        db_index=False,
    )
    kind = models.PositiveSmallIntegerField("รอบการรายงาน", choices=Round.Kind.choices)
    # The measures of the year, and how many stand where in the round (measures.standing).
    measures = models.IntegerField("มาตรการ", db_default=0)
    done = models.IntegerField("ดำเนินการแล้วเสร็จ", db_default=0)
    awaiting_review = models.IntegerField("รอตรวจ", db_default=0)
    in_progress = models.IntegerField("อยู่ระหว่างดำเนินการ", db_default=0)
    not_started = models.IntegerField("ยังไม่ดำเนินการ", db_default=0)
    cannot = models.IntegerField("ไม่สามารถดำเนินการได้", db_default=0)
    done_percent = models.IntegerField("ร้อยละแล้วเสร็จ", db_default=0)
    late = models.IntegerField("มาตรการที่เลยกำหนด", db_default=0)
    divisions_not_reported = models.IntegerField("ส่วนราชการที่ยังไม่รายงาน", db_default=0)
    has_round = models.BooleanField("มีรอบการรายงานนี้", db_default=False)
    round_open = models.BooleanField("เปิดรับรายงาน", db_default=False)
    # The newest version the public link serves (withdrawn versions left out).
    published_version = models.PositiveIntegerField("ฉบับที่เผยแพร่", null=True)
    published_at = models.DateTimeField("วันที่เผยแพร่", null=True)
    last_activity = models.DateTimeField("ความเคลื่อนไหวล่าสุด", null=True)
    # The counts hold from `computed_on` through `fresh_through` ("late" moves with
    # the date); NULL: something changed since, compute again.
    computed_on = models.DateField("คำนวณเมื่อ", null=True)
    fresh_through = models.DateField("ใช้ได้ถึง", null=True)

    class Meta:
        verbose_name = "สรุปรอบการรายงานของหน่วยงาน"
        verbose_name_plural = "สรุปรอบการรายงานของหน่วยงาน"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "kind"], name="round_summary_once"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind"], name="round_summary_year_kind")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year_id} {self.kind}"
