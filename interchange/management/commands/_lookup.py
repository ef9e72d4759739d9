"""Finding what a command's options name (not a command: the name starts with _)."""

from django.core.management.base import CommandError
from django.db.models import Q

from catalogue import services as catalogue
from catalogue.models import FiscalYear
from organizations.models import Organization


def organization(name: str) -> Organization:
    """An organization by its name or its slug."""
    found = list(Organization.objects.filter(Q(name=name.strip()) | Q(slug=name.strip())))
    if not found:
        raise CommandError(f"ไม่พบหน่วยงาน “{name}” (ระบุชื่อหน่วยงานหรือชื่อย่อในลิงก์)")
    if len(found) > 1:
        slugs = ", ".join(o.slug for o in found)
        raise CommandError(f"ชื่อ “{name}” ตรงกับหลายหน่วยงาน กรุณาระบุชื่อย่อในลิงก์แทน: {slugs}")
    return found[0]


def fiscal_year(year: int) -> FiscalYear:
    """The fiscal year, with the portal's shipped catalogue loaded when it is not
    in the database yet (catalogue.services)."""
    found = catalogue.ensure_year(year)
    if found is None:
        raise CommandError(f"ไม่พบปีงบประมาณ พ.ศ. {year} ในระบบ ({catalogue.known_years_text()})")
    return found
