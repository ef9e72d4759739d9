"""Validators shared by the models of every app: dates people type in BE that
are plainly typing mistakes are refused, in the form and in the database."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from thai import conventions as thai

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


def sane_date_check(field: str, name: str) -> models.CheckConstraint:
    within = Q(**{f"{field}__gte": SANE_DATE_MIN, f"{field}__lte": SANE_DATE_MAX})
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | within,
        name=name,
        violation_error_message=SANE_DATE_MESSAGE,
    )
