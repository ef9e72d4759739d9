"""The memo and the form of each approved version (paperwork: a round's report, and
the analysis for 2567 that the walk's test publishes): the agency's readers
(coordinator, executive, the superuser, the overseer of A) download them; only the
coordinator and the superuser edit the agency's texts; only the coordinator retries a
failed generation (test_paperwork records one); staff get 403, everyone outside the
agency 404."""

from django.urls import reverse

from ita_portal.tests.permission_walk.portal import MARK, OUT, no_post
from ita_portal.tests.permission_walk.walker import LOGIN, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import World
from paperwork.models import Paperwork, PaperworkFailure, PaperworkTemplate
from testing.forms import form_data


def paperwork_visits(world: World) -> list[Visit]:
    slug, report = world.org.slug, world.report
    index = reverse("paperwork:index", args=[slug])
    memo = reverse("paperwork:download", args=[slug, 2566, 6, report.version, "memo"])
    form = reverse("paperwork:download", args=[slug, 2566, 6, report.version, "form"])
    analysis = reverse("paperwork:download_analysis", args=[slug, 2567, 1, "form"])
    template = reverse("paperwork:template", args=[slug, "memo"])
    failure = PaperworkFailure.objects.filter(organization=world.org).first()
    retry = reverse("paperwork:retry", args=[slug, failure.pk if failure else 1])
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 200, 200, 404]
    editors = [LOGIN, 404, 403, 403, 403, 200, *OUT, 200, 403, 404]
    saved = Wrote(Go(template))

    def posted(action: str):
        return lambda w: {
            **form_data(w.page("coordinator", template), form_id="template-form"),
            "closing": MARK,
            "action": action,
        }

    def written(seen) -> bool:
        return any(t.parts.get("closing") == MARK for t in PaperworkTemplate.objects.all())

    def retried(seen) -> bool:
        return Paperwork.objects.filter(analysis=failure.analysis).exists()

    return [
        Visit("paperwork:index", "get", index, readers),
        Visit("paperwork:index", "post", index, no_post(readers)),
        Visit("paperwork:download", "get", memo, readers),
        Visit("paperwork:download", "get", form, readers),
        Visit("paperwork:download", "post", memo, no_post(readers)),
        Visit("paperwork:download_analysis", "get", analysis, readers),
        Visit("paperwork:download_analysis", "post", analysis, no_post(readers)),
        Visit("paperwork:template", "get", template, editors),
        # A preview shows the texts and keeps nothing.
        Visit(
            "paperwork:template",
            "post",
            template,
            editors,
            data=posted("preview"),
            done=written,
            tables=(PaperworkTemplate,),
        ),
        Visit(
            "paperwork:template",
            "post",
            template,
            [LOGIN, 404, 403, 403, 403, saved, *OUT, saved, 403, 404],
            data=posted("save"),
            done=written,
            tables=(PaperworkTemplate,),
        ),
        Visit("paperwork:retry", "get", retry, no_post(readers)),
        Visit(
            "paperwork:retry",
            "post",
            retry,
            [LOGIN, 404, 403, 403, 403, Wrote(Go(index)), *OUT, 403, 403, 404],
            done=retried,
            tables=(Paperwork, PaperworkFailure),
        ),
    ]
