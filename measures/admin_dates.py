"""Dates in the admin in the Buddhist Era, as everywhere else in the portal.

Django's admin prints a date or datetime field with the Thai locale's formats,
which write the CE year ("27 พฤศจิกายน 2026"), and a format module cannot add
543 years. So wherever the admin shows one, it goes through
`measures.templatetags.thai.thai_date` instead ("27 พ.ย. 2569 10:22 น."):

- list columns and read-only fields: `be_date(Model, "field")`, a display
  method named in list_display / readonly_fields in place of the field;
- history pages: templates/simple_history/object_history_list.html
  (django-simple-history) and templates/admin/object_history.html (Django's own);
- the date drill-down above a list (date_hierarchy):
  templates/admin/date_hierarchy.html, through the `be_years` filter.
"""

from django.contrib import admin
from django.utils.text import capfirst

from measures.templatetags.thai import thai_date


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
