"""A date form field typed and shown in BE: 18/04/2566, 18 เม.ย. 2566, ๑๘ เมษายน ๒๕๖๖."""

from django import forms
from django.core.exceptions import ValidationError

from thai import conventions as thai
from thai.validators import SANE_DATE_MESSAGE, validate_sane_date


class ThaiDateField(forms.CharField):
    """Reads 18/04/2566, 18 เม.ย. 2566, 18 เมษายน 2566 (Thai or Arabic digits)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "เช่น 18/04/2566 หรือ 18 เม.ย. 2566"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return f"{value.day:02d}/{value.month:02d}/{thai.be_year(value.year)}"
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            parsed = thai.parse_thai_date(value)
        except thai.ThaiDateError as error:
            raise ValidationError(str(error)) from error
        try:
            validate_sane_date(parsed)
        except ValidationError:
            # The database refuses these years; say which field and what was typed.
            named = f"{self.label}: " if self.label else ""
            raise ValidationError(f"{named}{SANE_DATE_MESSAGE} (พิมพ์ไว้ “{value.strip()}”)") from None
        return parsed
