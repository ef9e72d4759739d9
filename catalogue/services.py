"""The assessment's catalogue of each fiscal year (tools, indicators and other
wordings of an indicator) as installation data.

The portal ships one file per fiscal year in fixtures/catalogue/ (see its
README for where each comes from). `ensure_year` loads a shipped year the
first time something needs it (rollover, a command naming the year, a new
agency); `load_shipped` loads every shipped year that is missing (load_seed,
`manage.py load_catalogue`). Loading is idempotent: what exists is kept as it
is (a superuser may have corrected it), what is missing is added, and names
that differ from the file are reported, not overwritten.

Only a superuser or a command changes the catalogue (organizations.access); a
coordinator records the agency's own reading of a wording when an import maps
one (`record_wording`). What decides how an agency's wording is read is the
catalogue's variants and that agency's own choices (`wording_readings`); other
agencies' choices are only suggested, never named (`suggested_readings`).
"""

import json
from collections import Counter, defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from catalogue.models import (
    AssessmentTool,
    FiscalYear,
    Indicator,
    IndicatorWording,
    OitItem,
    wording_key,
)
from catalogue.oit_services import OitFileError, check_oit, load_oit, oit_data
from organizations.access import SYSTEM, can_administer_installation, can_manage, recorded_user
from organizations.models import Organization
from thai.conventions import normalize_sara_am

CATALOGUE_DIR = Path(settings.BASE_DIR) / "fixtures" / "catalogue"
NOT_ADMIN = "เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มหรือแก้ไขเกณฑ์การประเมิน (เครื่องมือและตัวชี้วัด) ได้"


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message is Thai."""


@dataclass
class LoadResult:
    year: int
    created_year: bool = False
    tools: int = 0
    indicators: int = 0
    wordings: int = 0
    oit_items: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        added = (self.tools, self.indicators, self.wordings, self.oit_items)
        if not (self.created_year or any(added)):
            return f"ปีงบประมาณ พ.ศ. {self.year}: มีครบแล้ว ไม่ได้เพิ่มอะไร"
        oit = f" ข้อ OIT {self.oit_items} ข้อ" if self.oit_items else ""
        return (
            f"ปีงบประมาณ พ.ศ. {self.year}: เพิ่มเครื่องมือ {self.tools} ตัวชี้วัด {self.indicators} "
            f"ถ้อยคำอื่น {self.wordings} รายการ{oit}"
        )


# --- Files ----------------------------------------------------------------------------------


def shipped_years() -> list[int]:
    """The fiscal years whose catalogue ships with the portal."""
    return sorted(int(p.stem) for p in CATALOGUE_DIR.glob("*.json") if p.stem.isdigit())


def shipped_file(year: int) -> Path | None:
    path = CATALOGUE_DIR / f"{year}.json"
    return path if path.is_file() else None


def _need(mapping, name: str, kind, where: str):
    value = mapping.get(name) if isinstance(mapping, dict) else None
    if not isinstance(value, kind) or (isinstance(value, str | list) and not value):
        raise CatalogueError(f"{where}: ต้องมี “{name}”")
    return value


def read_catalogue(path: Path) -> dict:
    """A catalogue file (see fixtures/catalogue/README.md), checked for its shape."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"ไม่พบไฟล์ {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(f"{Path(path).name}: ไม่ใช่ไฟล์ JSON (UTF-8) ที่อ่านได้ ({error})") from None
    return check_catalogue(data, Path(path).name)


def check_catalogue(data, where: str = "ไฟล์") -> dict:
    year = _need(data, "fiscal_year", int, where)
    if not 2543 <= year <= 2643:
        raise CatalogueError(f"{where}: ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2570 (พบ {year})")
    _need(data, "source", str, where)
    codes, numbers = set(), set()
    for number, tool in enumerate(_need(data, "tools", list, where), start=1):
        place = f"{where} เครื่องมือลำดับที่ {number}"
        code = _need(tool, "code", str, place).strip().upper()
        if code in codes:
            raise CatalogueError(f"{place}: รหัสเครื่องมือ {code} ซ้ำ")
        codes.add(code)
        for ind in _need(tool, "indicators", list, place):
            ind_place = f"{where} เครื่องมือ {code}"
            number_text = _need(ind, "number", str, ind_place)
            _need(ind, "name", str, f"{ind_place} ตัวชี้วัดที่ {number_text}")
            if (code, number_text) in numbers:
                raise CatalogueError(f"{ind_place}: ตัวชี้วัดที่ {number_text} ซ้ำ")
            numbers.add((code, number_text))
            variants = ind.get("variants", [])
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                raise CatalogueError(
                    f"{ind_place} ตัวชี้วัดที่ {number_text}: “variants” ต้องเป็นรายการข้อความ"
                )
    try:
        check_oit(data, where)
    except OitFileError as error:
        raise CatalogueError(str(error)) from None
    return data


# --- Loading --------------------------------------------------------------------------------


def _source_text(data: dict) -> str:
    parts = [data["source"].strip()]
    if data.get("verified_against_manual") is False:
        parts.append("ยังไม่ได้ตรวจสอบกับคู่มือการประเมินของปีนี้")
    if note := str(data.get("note", "")).strip():
        parts.append(note)
    return "\n".join(parts)


def _add_wording(tool, indicator, wording: str, source: str, user, result: LoadResult) -> None:
    key = wording_key(wording)
    existing = IndicatorWording.objects.filter(
        tool=tool, key=key, organization=None
    ).select_related("indicator")
    found = existing.first()
    if found is not None and found.source != IndicatorWording.Source.CATALOGUE:
        # A choice whose agency is not known (migration 0002), a suggestion only:
        # the catalogue's word on the wording takes its place.
        found.delete()
        found = None
    if found is None:
        IndicatorWording.objects.create(
            tool=tool,
            key=key,
            wording=normalize_sara_am(wording.strip()),
            indicator=indicator,
            source=source,
            created_by=recorded_user(user),
        )
        result.wordings += 1
    elif found.indicator_id != indicator.pk:
        result.differences.append(
            f"{tool.code}: ถ้อยคำ “{wording}” ใช้กับตัวชี้วัดที่ {found.indicator.number} อยู่แล้ว "
            f"(ไฟล์ระบุตัวชี้วัดที่ {indicator.number}) คงไว้ตามเดิม"
        )


@transaction.atomic
def load_catalogue(data: dict, *, user=SYSTEM) -> LoadResult:
    """Add the fiscal year, tools, indicators and wordings of `data` that are not
    there yet; report names that differ from what is stored."""
    if not can_administer_installation(user):
        raise PermissionDenied(NOT_ADMIN)
    data = check_catalogue(data)
    year = data["fiscal_year"]
    result = LoadResult(year)
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear(year=year, catalogue_source=_source_text(data))
        fiscal_year.full_clean()
        fiscal_year.save()
        result.created_year = True
    elif not fiscal_year.catalogue_source:
        fiscal_year.catalogue_source = _source_text(data)
        fiscal_year.save(update_fields=["catalogue_source"])
    for tool_order, tool_data in enumerate(data["tools"], start=1):
        code = tool_data["code"].strip().upper()
        tool = AssessmentTool.objects.filter(fiscal_year=fiscal_year, code__iexact=code).first()
        if tool is None:
            tool = AssessmentTool(
                fiscal_year=fiscal_year,
                code=code,
                name=tool_data.get("name", "").strip(),
                order=tool_order,
            )
            tool.full_clean()
            tool.save()
            result.tools += 1
        for order, ind in enumerate(tool_data["indicators"], start=1):
            name = normalize_sara_am(ind["name"].strip())
            indicator = Indicator.objects.filter(tool=tool, number=ind["number"]).first()
            if indicator is None:
                indicator = Indicator(tool=tool, number=ind["number"], name=name, order=order)
                indicator.full_clean()
                indicator.save()
                result.indicators += 1
            elif wording_key(indicator.name) != wording_key(name):
                result.differences.append(
                    f"{code} ตัวชี้วัดที่ {indicator.number}: ในระบบชื่อ “{indicator.name}” "
                    f"ไฟล์ชื่อ “{name}” คงไว้ตามเดิม"
                )
            for variant in ind.get("variants", []):
                _add_wording(
                    tool, indicator, variant, IndicatorWording.Source.CATALOGUE, user, result
                )
    result.oit_items, differences = load_oit(fiscal_year, data)
    result.differences += differences
    return result


def _has_catalogue(fiscal_year: FiscalYear | None) -> bool:
    return bool(fiscal_year) and Indicator.objects.filter(tool__fiscal_year=fiscal_year).exists()


def _needs_loading(fiscal_year: FiscalYear | None, data: dict) -> bool:
    """The year has no indicators yet, or no OIT items while its file has some (a
    database loaded before the files listed them)."""
    if not _has_catalogue(fiscal_year):
        return True
    listed = bool((data.get("oit") or {}).get("items"))
    return listed and not OitItem.objects.filter(fiscal_year=fiscal_year).exists()


def ensure_year(year: int) -> FiscalYear | None:
    """The fiscal year, with the shipped catalogue loaded into it when the year
    is missing or has no indicators yet and the portal ships one; None when the
    year is not there and none ships."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    path = shipped_file(year)
    if path is None or _has_catalogue(fiscal_year) and fiscal_year.oit_items.exists():
        return fiscal_year
    data = read_catalogue(path)
    if not _needs_loading(fiscal_year, data):
        return fiscal_year
    # IntegrityError: another request loaded it at the same moment.
    with suppress(IntegrityError):
        load_catalogue(data)
    return FiscalYear.objects.get(year=year)


def load_shipped() -> list[LoadResult]:
    """Every shipped year that has no catalogue in the database yet."""
    results = []
    for year in shipped_years():
        data = read_catalogue(shipped_file(year))
        if _needs_loading(FiscalYear.objects.filter(year=year).first(), data):
            results.append(load_catalogue(data))
    return results


@transaction.atomic
def load_shipped_for(sender, organization, **kwargs) -> None:
    """Receiver of organizations.changes.organization_added."""
    load_shipped()


def copy_catalogue(*, user, source: FiscalYear, target: FiscalYear) -> LoadResult:
    """Give `target` the tools, indicators, catalogue wordings and OIT items of
    `source` that it does not have yet (a new year starts from the last one; its
    OIT items keep their numbers: catalogue.oit_services.copy_oit_items renumbers)."""
    tools = []
    for tool in source.tools.prefetch_related("indicators__wordings"):
        indicators = []
        for indicator in tool.indicators.all():
            variants = [
                w.wording
                for w in indicator.wordings.all()
                if w.source == IndicatorWording.Source.CATALOGUE
            ]
            indicators.append(
                {"number": indicator.number, "name": indicator.name, "variants": variants}
            )
        if indicators:
            tools.append({"code": tool.code, "name": tool.name, "indicators": indicators})
    data = {
        "fiscal_year": target.year,
        "source": f"คัดลอกจากเกณฑ์ของปีงบประมาณ พ.ศ. {source.year}",
        "tools": tools,
    }
    if oit := oit_data(source):
        data["oit"] = oit
    if not tools:
        raise ValidationError(f"ปีงบประมาณ พ.ศ. {source.year} ยังไม่มีเครื่องมือและตัวชี้วัดให้คัดลอก")
    return load_catalogue(data, user=user)


# --- What the portal knows ------------------------------------------------------------------


def known_years() -> list[int]:
    """Fiscal years that have tools with indicators."""
    with_indicators = Indicator.objects.filter(tool__fiscal_year=OuterRef("pk"))
    return list(
        FiscalYear.objects.filter(Exists(with_indicators))
        .order_by("year")
        .values_list("year", flat=True)
    )


def years_text(years: list[int]) -> str:
    """2566, 2567, 2568, 2570 → "2566–2568, 2570"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def known_years_text() -> str:
    years = known_years()
    if not years:
        return "ยังไม่มีปีงบประมาณที่มีเกณฑ์การประเมิน"
    return f"ปีงบประมาณที่มีเกณฑ์การประเมิน: {years_text(years)}"


# --- Wordings mapped by coordinators --------------------------------------------------------


def record_wording(
    *, user, organization: Organization, indicator: Indicator, wording: str
) -> IndicatorWording:
    """Remember that `wording` means `indicator` (of its tool and year) for
    `organization`, as its coordinator chose while importing: that agency's later
    imports read it so, and other agencies' coordinators are offered it as a
    suggestion (`suggested_readings`). The agency's earlier choice of the same
    wording gives way to this one; a variant the catalogue names stays what
    decides, and nothing is recorded beside it."""
    if not can_manage(user, organization.pk):
        raise PermissionDenied("คุณไม่ได้เป็นผู้ประสานงานของหน่วยงานนี้")
    key = wording_key(wording)
    variant = IndicatorWording.objects.filter(
        tool_id=indicator.tool_id, key=key, source=IndicatorWording.Source.CATALOGUE
    ).first()
    if variant:
        return variant
    found, _ = IndicatorWording.objects.update_or_create(
        tool_id=indicator.tool_id,
        key=key,
        organization=organization,
        defaults={
            "wording": normalize_sara_am(wording.strip()),
            "indicator": indicator,
            "source": IndicatorWording.Source.CHOSEN,
            "created_by": recorded_user(user),
        },
    )
    return found


def wording_readings(
    fiscal_year: FiscalYear, organization: Organization | None
) -> dict[tuple[str, str], IndicatorWording]:
    """(tool code, wording key) → the wording that decides how `organization`
    reads it in the year: a variant the catalogue names, else the agency's own
    earlier choice. Other agencies' choices are not among them."""
    deciding = Q(source=IndicatorWording.Source.CATALOGUE)
    if organization is not None:
        deciding |= Q(source=IndicatorWording.Source.CHOSEN, organization=organization)
    readings = {}
    rows = IndicatorWording.objects.filter(deciding, tool__fiscal_year=fiscal_year)
    for row in rows.select_related("tool", "indicator__tool"):
        place = (row.tool.code.upper(), row.key)
        if place not in readings or row.source == IndicatorWording.Source.CATALOGUE:
            readings[place] = row
    return readings


def suggested_readings(
    fiscal_year: FiscalYear, organization: Organization, places
) -> dict[tuple[str, str], Indicator]:
    """For (tool code, wording key) `places` that decide nothing for
    `organization`: the indicator other agencies' coordinators chose for the
    wording most often (a choice whose agency is not known counts once), when one
    leads. Only the indicator is told: no agency and no count. Other agencies'
    measures are their own data and suggest nothing."""
    wanted = set(places)
    if not wanted:
        return {}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    others = IndicatorWording.objects.filter(
        tool__fiscal_year=fiscal_year,
        source=IndicatorWording.Source.CHOSEN,
        key__in={key for _, key in wanted},
    ).exclude(organization=organization)
    for row in others.select_related("tool", "indicator__tool"):
        place = (row.tool.code.upper(), row.key)
        if place in wanted:
            votes[place][row.indicator] += 1
    suggested = {}
    for place, counted in votes.items():
        ranked = counted.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            suggested[place] = ranked[0][0]
    return suggested


# --- The admin's writes of the catalogue (superusers) ----------------------------------------

ADMINISTRATORS_ONLY = "เฉพาะผู้ดูแลระบบเท่านั้นที่แก้ไขเกณฑ์การประเมินได้"


@transaction.atomic
def save_entry(*, user, obj, relations: dict | None = None):
    """A fiscal year, tool, indicator or wording of the catalogue, as a superuser
    typed it in the admin. A new wording records who added it; its tool and key
    follow its indicator (IndicatorWording.clean)."""
    if not can_administer_installation(user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)
    if isinstance(obj, IndicatorWording):
        if not obj.pk:
            obj.created_by = recorded_user(user)
        obj.clean()  # its tool and key, before the fields are checked
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def delete_entry(*, user, obj) -> None:
    if not can_administer_installation(user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)
    obj.delete()
