"""Template filters for Thai dates (Buddhist Era, Thai month names)."""

import re
from datetime import date, datetime

from django import template
from django.utils import timezone

from thai import conventions as thai
from thai import words

register = template.Library()


@register.filter
def thai_date(value, style: str = "") -> str:
    """{{ d|thai_date }} → 18 เมษายน 2566; {{ d|thai_date:"abbr" }} → 18 เม.ย. 2566."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{thai.format_thai_date(value.date(), abbr=True)} {value:%H:%M} น."
    if isinstance(value, date):
        return thai.format_thai_date(value, abbr=style == "abbr")
    return str(value)


_CE_YEAR = re.compile(r"(?<![0-9])(1[0-9]{3}|2[0-3][0-9]{2})(?![0-9])")


@register.filter
def be_years(text) -> str:
    """The CE years in a text Django formatted from a date ("พฤศจิกายน 2026",
    "2026") written in BE ("พฤศจิกายน 2569"); for the admin's date drill-down."""
    return _CE_YEAR.sub(lambda m: str(thai.be_year(int(m.group()))), str(text))


@register.filter
def keep_words(value) -> str:
    """The text escaped, the domain's compound words kept whole at line ends
    (thai.words)."""
    return words.keep_words(value)
