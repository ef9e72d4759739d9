"""The measure's admin page, put together from the rooms that own its parts: the
measure's form, divisions and steps (measures.admin), its results read only
(progress.admin), and the import, export and rollover of this app. Interchange is
the highest of them, so it registers the whole."""

from django.contrib import admin

from interchange.admin_views import MeasureInterchangeAdminMixin
from measures.admin import MeasureAdmin as MeasureFormsAdmin
from measures.models import Measure
from progress.admin import ProgressInline


@admin.register(Measure)
class MeasureAdmin(MeasureInterchangeAdminMixin, MeasureFormsAdmin):
    inlines = [*MeasureFormsAdmin.inlines, ProgressInline]
