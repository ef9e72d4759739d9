"""The agency's OIT page: public to everyone; its coordinator's view (completeness,
the form, the exports) read by whoever reads the agency's dashboard, the links
written by its coordinator and the superuser only."""

from django.urls import reverse

from catalogue.models import OitItem
from ita_portal.tests.permission_walk.portal import OUT, no_post
from ita_portal.tests.permission_walk.walker import LOGIN, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import World
from oit.models import AgencyOitLink
from testing.forms import form_data

LINK = "https://www.example.go.th/ita/walk"


def oit_visits(world: World) -> list[Visit]:
    slug, year = world.org.slug, world.measure.fiscal_year.year
    item = world.objects[OitItem]
    public = reverse("oit:public", args=[slug, year])
    edit = reverse("oit:edit", args=[slug, year])
    export = reverse("oit:export", args=[slug, year, "csv"])
    everyone = [200] * 12
    # Staff may not (403); the dashboard's readers may: executive, overseer of A.
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 200, 200, 404]
    saved = Wrote(Go(edit))
    return [
        Visit("oit:public", "get", public, everyone),
        Visit("oit:public", "post", public, no_post(everyone, login=False)),
        Visit("oit:edit", "get", edit, readers),
        Visit(
            "oit:edit",
            "post",
            edit,
            [LOGIN, 404, 403, 403, 403, saved, *OUT, saved, 403, 404],
            data=lambda w: {
                **form_data(w.page("coordinator", edit), form_id="oit-form"),
                f"url-{item.pk}": LINK,
            },
            done=lambda seen: AgencyOitLink.objects.filter(item=item, url=LINK).exists(),
            tables=(AgencyOitLink,),
        ),
        Visit("oit:export", "get", export, readers),
        Visit("oit:export", "post", export, no_post(readers)),
    ]
