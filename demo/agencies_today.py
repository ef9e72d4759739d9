"""load_seed's demo agencies in last year and today's fiscal year too (issue 21), so
that an overseer's roll-up of the current year shows the province beside the seed
agency, not the seed agency alone. Each agency keeps its profile (exemplary, behind,
silent...): last year's rounds have ended, closed, and carry the reports the profile
publishes; today's year has its rounds open and only the progress the days gone since
1 October make likely (demo.generate_agencies fill_year, so_far). Their 2566 data
stays as demo_agencies made it."""

import random
from datetime import date

from django.db import transaction

from catalogue import services as catalogue
from demo.generate_agencies import (
    DEMO_AGENCIES,
    GeneratedAgencies,
    _catalogue,
    _explicit_times,
    _seed_contents,
    _Setup,
    fill_year,
)
from measures.models import Round
from organizations.models import Division, Organization
from progress.models import Progress
from thai.conventions import fiscal_year_of

MEASURES_PER_AGENCY = 8  # as demo_agencies


def demo_agencies_today(today: date) -> GeneratedAgencies:
    """The demo agencies' fiscal years before and of `today`, for those of them that
    have no rounds in it yet (none the second time); the rounds to publish in
    GeneratedAgencies.published (demo.generated.publish_generated)."""
    result = GeneratedAgencies([], [])
    demo = list(Organization.objects.filter(origin=Organization.Origin.DEMO).order_by("slug"))
    if not demo:
        return result
    profile_by_name = {
        name: profile for names in DEMO_AGENCIES.values() for _, name, _, profile in names
    }
    current = fiscal_year_of(today)
    for year in (current - 1, current):
        fiscal_year = catalogue.ensure_year(year)
        if fiscal_year is None:
            continue  # no catalogue ships for that year
        started = set(
            Round.objects.filter(organization__in=demo, fiscal_year=fiscal_year).values_list(
                "organization_id", flat=True
            )
        )
        organizations = [org for org in demo if org.pk not in started]
        if not organizations:
            continue
        setup = _Setup(
            year=fiscal_year,
            contents=_seed_contents(_catalogue(fiscal_year)),
            provinces=[],
            districts={},
            names=None,
            kinds=[],
            kind_weights=[],
            measures_per_agency=MEASURES_PER_AGENCY,
            today=today,
            so_far=True,
        )
        by_org: dict[int, list[Division]] = {}
        for division in Division.objects.filter(organization__in=organizations).order_by(
            "organization_id", "order"
        ):
            by_org.setdefault(division.organization_id, []).append(division)
        profile_of = {org.pk: profile_by_name.get(org.name, "on_track") for org in organizations}
        with transaction.atomic(), _explicit_times(Progress._meta.get_field("updated_at")):
            fill_year(random.Random(year), setup, organizations, by_org, profile_of, result)
        result.organizations += [org for org in organizations if org not in result.organizations]
    return result
