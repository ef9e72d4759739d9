"""Load a published report kept as data (fixtures/seed/*.json) into the
database through the services. Existing measures are kept unless `reset`."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from measures import services
from measures.models import (
    AssessmentTool,
    Division,
    FiscalYear,
    Indicator,
    Measure,
    Organization,
    Progress,
    ReviewState,
    Round,
)
from measures.steps_text import ItemLine

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


@transaction.atomic
def load_report_data(data: dict, *, reset: bool = False) -> SeedResult:
    org_data = data["organization"]
    organization, _ = Organization.objects.get_or_create(
        slug=org_data["slug"],
        defaults={
            "name": org_data["name"],
            "location": org_data.get("location", ""),
            "thai_digits": org_data.get("thai_digits", True),
        },
    )
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=data["fiscal_year"])
    indicators = _load_catalogue(fiscal_year, data["catalogue"])
    divisions = {}
    for order, div in enumerate(data["divisions"], start=1):
        divisions[div["name"]], _ = Division.objects.get_or_create(
            organization=organization,
            name=div["name"],
            defaults={"kind": div.get("kind", Division.Kind.REGULAR), "order": order},
        )
    # The seed is a published 6-month report: that round is closed, the next is open.
    six, _ = Round.objects.get_or_create(
        organization=organization,
        fiscal_year=fiscal_year,
        kind=Round.Kind.SIX_MONTHS,
        defaults={"is_open": False},
    )
    Round.objects.get_or_create(
        organization=organization, fiscal_year=fiscal_year, kind=Round.Kind.TWELVE_MONTHS
    )

    result = SeedResult(organization=organization, fiscal_year=fiscal_year)
    for m in data["measures"]:
        existing = Measure.objects.filter(
            organization=organization, fiscal_year=fiscal_year, order=m["order"]
        ).first()
        if existing and not reset:
            result.kept += 1
            continue
        if existing:
            existing.delete()
        measure = Measure(
            organization=organization,
            fiscal_year=fiscal_year,
            indicator=indicators[(m["tool"], m["indicator"])],
            target=m.get("target", ""),
            monitoring="\n".join(m["monitoring"]),
            deadline=date.fromisoformat(m["deadline"]) if m.get("deadline") else None,
            order=m["order"],
        )
        measure.full_clean()
        measure.save()
        services.set_divisions(measure=measure, divisions=[divisions[n] for n in m["divisions"]])
        services.replace_steps(
            measure=measure,
            steps=[
                services.StepData(s["number"], s["text"], _flatten_items(s.get("items", [])))
                for s in m["steps"]
            ],
        )
        if progress := m.get("progress"):
            row = Progress(
                measure=measure,
                round=six,
                status=progress["status"],
                completed_on=(
                    date.fromisoformat(progress["completed_on"])
                    if progress.get("completed_on")
                    else None
                ),
                result_text=progress.get("result_text", ""),
                # The seed is a published report: its results were reviewed.
                review_state=ReviewState.APPROVED,
            )
            row.full_clean()
            row.save()
        result.created += 1
    return result
