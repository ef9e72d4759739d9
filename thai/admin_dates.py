"""Dates in the admin in the Buddhist Era, as everywhere else in the portal.

Django's admin prints a date or datetime field with the Thai locale's formats,
which write the CE year ("27 พฤศจิกายน 2026"), and a format module cannot add
543 years. So wherever the admin shows one, it goes through
`thai.templatetags.thai.thai_date` instead ("27 พ.ย. 2569 10:22 น."):

- list columns and read-only fields: `be_date(Model, "field")`, a display
  method named in list_display / readonly_fields in place of the field;
- history pages: templates/simple_history/object_history_list.html
  (django-simple-history) and templates/admin/object_history.html (Django's own);
- the date drill-down above a list (date_hierarchy):
  templates/admin/date_hierarchy.html, through the `be_years` filter.
"""

from django.contrib import admin
from django.db import models
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from thai.forms import ThaiDateField
from thai.templatetags.thai import thai_date


def be_date(model, name: str, description: str = ""):
    """A display method showing `model`'s date or datetime field `name` in BE, under
    `description` or the field's own label, sorting by it; the admin's empty value
    when unset."""
    label = description or capfirst(model._meta.get_field(name).verbose_name)

    @admin.display(description=label, ordering=name)
    def display(self, obj):
        value = getattr(obj, name)
        return thai_date(value) if value else self.get_empty_value_display()

    display.__name__ = f"{name}_be"
    return display


class ThaiHistoryValues(HistoricalRecordContextHelper):
    """Old → new on the admin's history pages as people read them: the Thai label of
    a choice ("ส่งให้ผู้ประสานงานตรวจแล้ว", not "submitted"), dates in BE, "—" for
    nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.DateField | models.DateTimeField):
            return thai_date(value)
        return super().prepare_delta_change_value(change, value)


class ThaiDatesMixin:
    """Dates typed and shown in BE (18/04/2566), as everywhere else in the portal."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField):
            return ThaiDateField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text="วัน/เดือน/ปี พ.ศ. เช่น 18/04/2566 หรือ 18 เม.ย. 2566",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PeriodColumnsMixin:
    """Start and end columns for models with derived periods."""

    @admin.display(description="เริ่ม")
    def start(self, obj):
        return thai_date(obj.start)

    @admin.display(description="สิ้นสุด")
    def end(self, obj):
        return thai_date(obj.end)
