"""Template filters for Thai dates (Buddhist Era, Thai month names)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from measures import thai

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
