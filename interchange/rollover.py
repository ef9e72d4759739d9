"""Roll an organization's measures over to a later fiscal year, as a draft: the
same wording, divisions, steps and monitoring, with no progress and no
deadline, each indicator mapped to the new year's catalogue by tool code and
indicator name (or a wording the new year's catalogue, or the organization's own
earlier choice, records for one of its indicators).
A year the portal ships a catalogue for is loaded when it is not in the
database yet (catalogue.services), so no one types a catalogue to roll over.
Measures whose indicator has no match are not copied; they are listed so the
coordinator can add them by hand."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from catalogue import services as catalogues
from catalogue.models import FiscalYear, Indicator, wording_key
from measures import services
from measures.models import Measure
from measures.selectors import measures_with_contents
from organizations import services as organization_services
from organizations.access import SYSTEM, can_manage
from organizations.models import Organization
from progress.models import Progress


class RolloverError(ValueError):
    """The rollover cannot start; the message is Thai."""


@dataclass
class RolloverResult:
    organization: Organization
    from_year: FiscalYear
    to_year: FiscalYear
    created: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def _fiscal_year(year: int) -> FiscalYear:
    found = catalogues.ensure_year(year)
    if found is None:
        raise RolloverError(
            f"ยังไม่มีปีงบประมาณ พ.ศ. {year} ในระบบ ({catalogues.known_years_text()}) "
            "ผู้ดูแลระบบเพิ่มเกณฑ์การประเมินของปีนี้ได้ในหน้าจัดการข้อมูล หรือด้วยคำสั่ง load_catalogue"
        )
    return found


def _measures(organization: Organization, fiscal_year: FiscalYear) -> list[Measure]:
    # Rollover copies no progress, so none is fetched.
    return list(measures_with_contents(organization.pk, fiscal_year.pk, Progress.objects.none()))


@transaction.atomic
def rollover(
    *, organization: Organization, from_year: int, to_year: int, user=SYSTEM
) -> RolloverResult:
    if not can_manage(user, organization.pk):
        raise PermissionDenied(organization_services.NOT_YOURS)
    if to_year <= from_year:
        raise RolloverError(f"ปีงบประมาณปลายทาง ({to_year}) ต้องอยู่หลังปีงบประมาณต้นทาง ({from_year})")
    source, target = _fiscal_year(from_year), _fiscal_year(to_year)
    measures = _measures(organization, source)
    if not measures:
        raise RolloverError(f"{organization} ไม่มีมาตรการในปีงบประมาณ พ.ศ. {from_year}")
    existing = Measure.objects.filter(organization=organization, fiscal_year=target).count()
    if existing:
        raise RolloverError(
            f"{organization} มีมาตรการในปีงบประมาณ พ.ศ. {to_year} อยู่แล้ว {existing} รายการ "
            "จึงไม่ยกมาตรการซ้ำ"
        )
    catalogue = _catalogue(organization, target)
    result = RolloverResult(organization, source, target)
    wanted = []
    for old in measures:
        tool, name = old.indicator.tool.code, old.indicator.name
        indicator = catalogue.get((tool.upper(), wording_key(name)))
        if indicator is None:
            result.unmapped.append(
                f"มาตรการที่ {old.order} ({tool} ตัวชี้วัดที่ {old.indicator.number} {name}"
                f"{f' — {old.target}' if old.target else ''}): ไม่พบตัวชี้วัด “{name}” "
                f"ของเครื่องมือ {tool} ในปีงบประมาณ พ.ศ. {to_year}"
            )
            continue
        wanted.append(_copy(old, indicator, order=len(wanted) + 1))
    created = services.create_measures(
        user=user,
        organization=organization,
        fiscal_year=target,
        items=wanted,
        reason=f"ยกมาจากปีงบประมาณ พ.ศ. {from_year}",
    )
    result.created = [
        f"มาตรการที่ {m.order} {m.indicator.tool.code} {m.target_label}" for m in created
    ]
    return result


def _catalogue(organization: Organization, target: FiscalYear) -> dict:
    """The target year's indicators by (tool code, wording key): by their names, the
    catalogue's variants and this organization's own choices; not other agencies'."""
    catalogue = {
        place: w.indicator for place, w in catalogues.wording_readings(target, organization).items()
    } | {
        (i.tool.code.upper(), wording_key(i.name)): i
        for i in Indicator.objects.filter(tool__fiscal_year=target).select_related("tool")
    }
    if not catalogue:
        raise RolloverError(
            f"ปีงบประมาณ พ.ศ. {target.year} ยังไม่มีเครื่องมือและตัวชี้วัด กรุณาเพิ่มก่อนยกมาตรการ"
        )
    return catalogue


def _copy(old: Measure, indicator: Indicator, *, order: int) -> services.MeasureData:
    """The measure as a draft of the new year: no deadline, the same divisions and steps."""
    return services.MeasureData(
        indicator=indicator,
        target=old.target,
        monitoring=old.monitoring,
        deadline=None,
        order=order,
        divisions=[a.division for a in old.assignments.all()],
        steps=[
            services.StepData(step.number, step.text, tuple(step.items.all()))
            for step in old.steps.all()
        ],
    )
