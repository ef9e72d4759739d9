"""An agency's result in the assessment (ITA) of one fiscal year: the score of
each indicator of that year's catalogue, the total, the grade band as the
assessment reports it, and the target the agency measures itself against."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

PASS_MARK = Decimal("85.00")  # the assessment's pass mark people speak of (ITA.md)
SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Grade(models.TextChoices):
    """The assessment's grade bands by total score, as its published results of
    2561–2567 print them (AA 95–100 ... F under 50). Not checked here against each
    year's manual: a result keeps the band the assessment printed, and only one
    without a band gets the band of its total (`grade_of`)."""

    AA = "AA", "AA (95.00–100)"
    A = "A", "A (85.00–94.99)"
    B = "B", "B (75.00–84.99)"
    C = "C", "C (65.00–74.99)"
    D = "D", "D (55.00–64.99)"
    E = "E", "E (50.00–54.99)"
    F = "F", "F (0–49.99)"


GRADE_FLOORS = [
    (Decimal(95), Grade.AA),
    (Decimal(85), Grade.A),
    (Decimal(75), Grade.B),
    (Decimal(65), Grade.C),
    (Decimal(55), Grade.D),
    (Decimal(50), Grade.E),
    (Decimal(0), Grade.F),
]


def grade_of(total: Decimal) -> str:
    """The band a total falls in: 85.00 is A, 84.99 is B."""
    return next(grade for floor, grade in GRADE_FLOORS if total >= floor)


def _score(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


class ITAResult(models.Model):
    class Source(models.TextChoices):
        FORM = "form", "บันทึกในแบบฟอร์ม"
        IMPORT = "import", "นำเข้าจากไฟล์ผลการประเมิน"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="ita_results",
        verbose_name="หน่วยงาน",
    )
    fiscal_year = models.ForeignKey(
        "catalogue.FiscalYear",
        on_delete=models.PROTECT,
        related_name="ita_results",
        verbose_name="ปีงบประมาณที่ประเมิน",
    )
    total = _score("คะแนนรวม")
    grade = models.CharField("ระดับผลการประเมิน", max_length=2, choices=Grade.choices)
    grade_derived = models.BooleanField(
        "ระดับคำนวณจากคะแนนรวม",
        default=False,
        help_text="ผลการประเมินที่บันทึกหรือนำเข้าไม่ได้ระบุระดับ ระบบจึงให้ระดับตามช่วงคะแนนรวม",
    )
    target = _score("ค่าเป้าหมาย", default=PASS_MARK, help_text="ตัวชี้วัดที่ได้คะแนนต่ำกว่านี้คือจุดอ่อน")
    source = models.CharField("ที่มา", max_length=8, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="บันทึกโดย",
    )
    entered_at = models.DateTimeField("บันทึกเมื่อ")
    # The numbers of the indicators scored below the target, as ",3,6,10," (empty:
    # none): written with the scores (results.services), so that the roll-up counts
    # and filters the weak agencies over one row per agency (oversight.weakness).
    weak_numbers = models.CharField(
        "ตัวชี้วัดที่ต่ำกว่าค่าเป้าหมาย", max_length=200, blank=True, default="", editable=False
    )
    history = HistoricalRecords(verbose_name="ประวัติผลการประเมิน ITA")

    class Meta:
        verbose_name = "ผลการประเมิน ITA"
        verbose_name_plural = "ผลการประเมิน ITA"
        ordering = ["organization__name", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="ita_result_once_per_year",
                violation_error_message="หน่วยงานนี้มีผลการประเมินของปีนี้อยู่แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=100, target__gte=0, target__lte=100),
                name="ita_result_scores_0_to_100",
                violation_error_message="คะแนนต้องอยู่ระหว่าง 0 ถึง 100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ปี {self.fiscal_year.year}: {self.total} ({self.grade})"


def weak_numbers(scores: dict[str, "Decimal"], target) -> str:
    """The ITAResult.weak_numbers of scores by indicator number: ",3,6,10," or ""."""
    weak = [number for number, score in scores.items() if score < target]
    return f",{','.join(weak)}," if weak else ""


def weak_key(number: str) -> str:
    """What ITAResult.weak_numbers contains when indicator `number` is weak."""
    return f",{number},"


class IndicatorScore(models.Model):
    result = models.ForeignKey(
        ITAResult, on_delete=models.CASCADE, related_name="scores", verbose_name="ผลการประเมิน"
    )
    indicator = models.ForeignKey(
        "catalogue.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name="ตัวชี้วัด"
    )
    score = _score("คะแนน")
    history = HistoricalRecords(verbose_name="ประวัติคะแนนรายตัวชี้วัด")

    class Meta:
        verbose_name = "คะแนนรายตัวชี้วัด"
        verbose_name_plural = "คะแนนรายตัวชี้วัด"
        ordering = ["result", "indicator__tool__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "indicator"],
                name="indicator_score_once_per_result",
                violation_error_message="ผลการประเมินนี้มีคะแนนของตัวชี้วัดนี้แล้ว",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="indicator_score_0_to_100",
                violation_error_message="คะแนนต้องอยู่ระหว่าง 0 ถึง 100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score}"

    @property
    def is_weak(self) -> bool:
        """Below the agency's target: a weak point its measures should answer."""
        return self.score < self.result.target
