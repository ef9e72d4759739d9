"""An agency's ITA results over the years (results.selectors.trend), linked from the
roll-up: the total, grade and each indicator's score of every assessed year, the
weak ones (below the agency's target) marked, and the total's change from the year
before. Read by whoever reads the agency's dashboard (its coordinator and
executives, its overseers, superusers)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from organizations.access import Action, check
from organizations.models import Organization
from results.selectors import trend


@login_required
@require_GET
def agency_results(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    check(request.user, organization, Action.VIEW_DASHBOARD)  # 404 outsiders, 403 staff
    years, indicators = trend(organization.pk)
    rows = [
        (
            row,
            [
                (indicator, row.scores.get((indicator.tool.code, indicator.number)))
                for indicator in indicators
            ],
        )
        for row in reversed(years)
    ]
    return render(
        request,
        "oversight/agency_results.html",
        {"organization": organization, "rows": rows, "indicators": indicators},
    )
