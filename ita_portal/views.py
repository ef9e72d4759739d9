from django.db.models import Prefetch
from django.shortcuts import render

from measures.access import Action, can
from measures.models import Membership, Organization, Round


def home(request):
    """Signed-in people see their organizations' rounds; the public sees who publishes."""
    if not request.user.is_authenticated:
        organizations = Organization.objects.filter(rounds__publications__isnull=False).distinct()
        return render(request, "home_public.html", {"organizations": organizations})
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "organization__rounds",
                queryset=Round.objects.select_related("fiscal_year").order_by(
                    "-fiscal_year__year", "kind"
                ),
            )
        )
    )
    rows = [
        {
            "membership": m,
            "rounds": m.organization.rounds.all(),
            "can_view_report": can(request.user, m.organization, Action.VIEW_REPORT),
        }
        for m in memberships
    ]
    return render(request, "home.html", {"rows": rows})
