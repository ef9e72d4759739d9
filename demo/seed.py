"""Load a published report kept as data (fixtures/seed/*.json) into the
database through the services. Existing measures are kept unless `reset`."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from catalogue.models import AssessmentTool, FiscalYear, Indicator
from measures import services
from measures.models import Measure, Round
from measures.steps_text import ItemLine
from organizations import changes
from organizations import services as organization_services
from organizations.access import SYSTEM
from organizations.models import District, Division, Organization
from progress import services as progress

SEED_REASON = "นำเข้ารายงานตัวอย่างที่เผยแพร่แล้ว"
SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "ubon-pao-2566.json"


@dataclass
class SeedResult:
    organization: Organization
    fiscal_year: FiscalYear
    created: int = 0
    kept: int = 0


def read_seed(path: Path = SEED_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _flatten_items(items: list[dict], depth: int = 1) -> list[ItemLine]:
    lines = []
    for item in items:
        lines.append(ItemLine(depth, item["marker"], item["text"]))
        lines.extend(_flatten_items(item.get("items", []), depth + 1))
    return lines


def _load_catalogue(fiscal_year: FiscalYear, catalogue: list[dict]) -> dict:
    indicators = {}
    for tool_order, tool_data in enumerate(catalogue, start=1):
        tool, _ = AssessmentTool.objects.get_or_create(
            fiscal_year=fiscal_year,
            code=tool_data["code"],
            defaults={"name": tool_data.get("name", ""), "order": tool_order},
        )
        for order, ind in enumerate(tool_data["indicators"], start=1):
            indicator, _ = Indicator.objects.get_or_create(
                tool=tool, number=ind["number"], defaults={"name": ind["name"], "order": order}
            )
            indicators[(tool.code, indicator.number)] = indicator
    return indicators


def _report_reviewed(round_: Round, reported: list[tuple[Measure, dict]]) -> None:
    """The published report's results, reported, submitted and approved through
    the same services as in the browser (the round is opened for it)."""
    if not reported:
        return
    if not round_.is_open:
        progress.set_round_open(round_=round_, user=SYSTEM, is_open=True)
    for measure, data in reported:
        saved = progress.save_progress(
            measure=measure,
            round_=round_,
            user=SYSTEM,
            data=progress.ProgressInput(
                status=data["status"],
                completed_on=(
                    date.fromisoformat(data["completed_on"]) if data.get("completed_on") else None
                ),
                result_text=data.get("result_text", ""),
                cannot_reason=data.get("cannot_reason", ""),
            ),
            seen_version=0,
            reason=SEED_REASON,
        )
        saved = progress.submit_progress(progress=saved, user=SYSTEM)
        progress.review_progress(progress=saved, user=SYSTEM, approve=True, comment="")


def _place(organization: Organization, org_data: dict) -> None:
    """Give the organization its kind, province and district when it has none yet."""
    if organization.province_id or not org_data.get("province"):
        return
    province = organization_services.province(org_data["province"])
    organization.province = province
    organization.kind = organization.kind or org_data.get("kind", "")
    if org_data.get("district"):
        organization.district = District.objects.get_or_create(
            province=province, name=org_data["district"]
        )[0]
    organization.save(update_fields=["province", "kind", "district"])


@transaction.atomic
@changes.collecting()
def load_report_data(data: dict, *, reset: bool = False) -> SeedResult:
    organization = _organization(data["organization"])
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=data["fiscal_year"])
    indicators = _load_catalogue(fiscal_year, data["catalogue"])
    divisions = _divisions(organization, data["divisions"])
    six_existed = Round.objects.filter(
        organization=organization, fiscal_year=fiscal_year, kind=Round.Kind.SIX_MONTHS
    ).exists()
    six = services.ensure_round(
        user=SYSTEM, organization=organization, fiscal_year=fiscal_year, kind=Round.Kind.SIX_MONTHS
    )
    # The seed is a published 6-month report: that round ends closed, the next is open.
    six_open_after = six.is_open if six_existed else False
    if reset and not six.is_open:
        # Its closed results are kept by the services until the round opens again.
        progress.set_round_open(round_=six, user=SYSTEM, is_open=True)
    services.ensure_round(
        user=SYSTEM,
        organization=organization,
        fiscal_year=fiscal_year,
        kind=Round.Kind.TWELVE_MONTHS,
    )

    result = SeedResult(organization=organization, fiscal_year=fiscal_year)
    reported = []
    for m in data["measures"]:
        existing = Measure.objects.filter(
            organization=organization, fiscal_year=fiscal_year, order=m["order"]
        ).first()
        if existing and not reset:
            result.kept += 1
            continue
        if existing:
            services.delete_measure(user=SYSTEM, measure=existing, reason=SEED_REASON)
        measure = _save_measure(organization, fiscal_year, m, indicators, divisions)
        if m.get("progress"):
            reported.append((measure, m["progress"]))
        result.created += 1
    _report_reviewed(six, reported)
    if six.is_open != six_open_after:
        progress.set_round_open(round_=six, user=SYSTEM, is_open=six_open_after)
    return result


def _organization(org_data: dict) -> Organization:
    """The seed's organization, created with the seed's settings the first time."""
    organization, _ = Organization.objects.get_or_create(
        slug=org_data["slug"],
        defaults={
            "name": org_data["name"],
            "location": org_data.get("location", ""),
            "thai_digits": org_data.get("thai_digits", True),
            "cover_thai_digits": org_data.get(
                "cover_thai_digits", org_data.get("thai_digits", True)
            ),
            "show_evidence_links": org_data.get("show_evidence_links", True),
        },
    )
    _place(organization, org_data)
    return organization


def _divisions(organization: Organization, divisions: list[dict]) -> dict[str, Division]:
    """The seed's divisions by name: those the organization has, the others created."""
    found = {}
    for order, div in enumerate(divisions, start=1):
        found[div["name"]] = Division.objects.filter(
            organization=organization, name=div["name"]
        ).first() or organization_services.save_division(
            user=SYSTEM,
            division=Division(
                organization=organization,
                name=div["name"],
                kind=div.get("kind", Division.Kind.REGULAR),
                order=order,
            ),
        )
    return found


def _save_measure(organization, fiscal_year, m: dict, indicators, divisions) -> Measure:
    """One measure of the seed, with its divisions and steps (measures.services)."""
    return services.save_measure(
        user=SYSTEM,
        measure=Measure(organization=organization, fiscal_year=fiscal_year),
        data=services.MeasureData(
            indicator=indicators[(m["tool"], m["indicator"])],
            target=m.get("target", ""),
            monitoring="\n".join(m["monitoring"]),
            deadline=date.fromisoformat(m["deadline"]) if m.get("deadline") else None,
            order=m["order"],
            divisions=[divisions[n] for n in m["divisions"]],
            steps=[
                services.StepData(s["number"], s["text"], _flatten_items(s.get("items", [])))
                for s in m["steps"]
            ],
        ),
        reason=SEED_REASON,
    )
