"""The executive dashboard of a round (oversight.dashboard)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from oit.selectors import completeness
from organizations.access import Action, can, is_overseer
from oversight import charts
from oversight.dashboard import build_dashboard, organization_rounds
from reports.views import round_for
from results.selectors import previous_year


@login_required
@require_GET
def dashboard(request, slug, year, kind):
    """The executive dashboard of a round: shares by tool, indicator and division,
    what is late, who has not reported, and the latest changes."""
    round_ = round_for(request, slug, year, kind, Action.VIEW_DASHBOARD)
    dash = build_dashboard(round_)
    # Last year's assessment beside this year's measures (one query).
    previous = previous_year(
        round_.organization_id, round_.fiscal_year.year, [row.measure for row in dash.measures]
    )
    return render(
        request,
        "oversight/dashboard.html",
        {
            "round": round_,
            "dash": dash,
            "previous": previous,
            "charts": charts.dashboard_charts(dash),
            "rounds": organization_rounds(round_),
            "can_view_report": can(request.user, round_.organization, Action.VIEW_REPORT),
            "rollup_back": rollup_back(request, year, kind),
            # The year's OIT items with a link (oit.selectors: one query without items).
            "oit_completeness": completeness([round_.organization_id], round_.fiscal_year)[
                round_.organization_id
            ],
        },
    )


def rollup_back(request, year: int, kind: int) -> str | None:
    """Where an overseer goes back to: the roll-up list they opened this dashboard
    from, with its filters (its address, given as ?from= by the roll-up's links, kept
    only if it is a roll-up page of this site), else the round's roll-up."""
    if not is_overseer(request.user):
        return None
    came_from = request.GET.get("from", "")
    rollups = reverse("oversight:oversight_index")
    if came_from.startswith(rollups) and "//" not in came_from and "\\" not in came_from:
        return came_from
    return reverse("oversight:oversight", args=[year, kind])
