"""The demo agency's ITA results of the two years before today's fiscal year (issue
21): without them its analysis of the working year had no scores and no weak point.
Entered as its coordinator enters them (results.services.save_result), only for years
after the seed's (the seed's own analysis stays as it was) and only where the agency
has no result yet: loading again changes nothing, a corrected score is kept."""

from catalogue import services as catalogue
from organizations.models import Organization
from results.models import ITAResult
from results.scores import catalogue_indicators
from results.services import save_result

# Scores by indicator number (IIT 1-5, EIT 6-8, OIT 9-10), the year before today's
# first: weak (under 85) on IIT 2, IIT 3, EIT 7 and OIT 10. The seed's measures rolled
# over answer all but IIT 3, which the analysis shows as a weak point with no measure
# yet. The totals weigh IIT 30%, EIT 30%, OIT 40%, as the assessment does.
RESULTS = {
    1: (
        ["91.20", "82.35", "79.80", "88.60", "87.45", "86.90", "80.15", "85.40", "92.50", "71.25"],
        "83.76",
    ),
    2: (
        ["89.40", "86.10", "81.25", "87.90", "84.30", "85.70", "78.60", "83.95", "88.00", "75.00"],
        "83.16",
    ),
}


def enter_demo_results(
    organization: Organization, working_year: int, seed_year: int, coordinator
) -> list[int]:
    """The results entered, by year (none when every year already has one)."""
    entered = []
    for back, (scores, total) in RESULTS.items():
        year = working_year - back
        if year <= seed_year:
            continue
        fiscal_year = catalogue.ensure_year(year)
        if fiscal_year is None:
            continue  # no catalogue ships for that year
        if ITAResult.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
            continue
        indicators = catalogue_indicators(fiscal_year)
        by_number = dict(zip([str(n) for n in range(1, 11)], scores, strict=True))
        save_result(
            user=coordinator,
            organization=organization,
            fiscal_year=fiscal_year,
            scores={i.pk: by_number.get(i.number) for i in indicators},
            total=total,
        )
        entered.append(year)
    return sorted(entered)
