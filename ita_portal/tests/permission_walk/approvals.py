"""Approval before publishing (approvals): the coordinator sends a round's report
or the analysis and may cancel the request; the executive (an approver) reads and decides; the
coordinator and the superuser set the agency's approval settings. Staff get 403,
everyone outside the agency 404 (overseers and the superuser too for a request: it
is the agency's internal correspondence)."""

from django.urls import reverse

from analysis.models import AnalysisDocument
from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from ita_portal.tests.permission_walk.portal import OUT, no_post
from ita_portal.tests.permission_walk.walker import LOGIN, Go, Visit, Wrote
from ita_portal.tests.permission_walk.world import World
from jobs.models import Job
from testing.forms import form_data

TABLES = (ApprovalRequest, ApprovalSettings, Approver, Job)


def approval_visits(world: World, waiting: ApprovalRequest | None = None) -> list[Visit]:
    """`waiting`: a request of A's 6-month report waiting for approval (none: the
    visits as test_rules lists them, not run)."""
    waiting = waiting or ApprovalRequest(pk=1, content_sha256="")
    slug = world.org.slug
    send = reverse("approvals:request", args=[slug, 2566, 12])
    analysis = reverse("approvals:analysis_request", args=[slug, 2566])
    detail = reverse("approvals:detail", args=[waiting.pk])
    cancel = reverse("approvals:cancel", args=[waiting.pk])
    settings = reverse("approvals:settings", args=[slug])
    coordinator_only = [LOGIN, 404, 403, 403, 403, 200, *OUT, 403, 403, 404]
    readers = [LOGIN, 404, 403, 403, 200, 200, *OUT, 404, 404, 404]
    managers = [LOGIN, 404, 403, 403, 403, 200, *OUT, 200, 403, 404]
    page = reverse("reports:page", args=[slug, 2566, 6])

    def only(position: int, answer, base):
        return [*base[:position], answer, *base[position + 1 :]]

    def state(expected: str):
        return lambda seen: ApprovalRequest.objects.filter(pk=waiting.pk, state=expected).exists()

    decision = {"content_sha256": waiting.content_sha256, "position": "", "reason": ""}
    return [
        Visit("approvals:request", "get", send, coordinator_only),
        Visit(
            "approvals:request",
            "post",
            send,
            only(5, Wrote(Go(send)), coordinator_only),
            data=lambda w: form_data(w.page("coordinator", send), form_id="request-form"),
            done=lambda seen: ApprovalRequest.objects.filter(round__kind=12).exists(),
            tables=TABLES,
        ),
        Visit("approvals:analysis_request", "get", analysis, coordinator_only),
        Visit(
            "approvals:analysis_request",
            "post",
            analysis,
            only(5, Wrote(Go(analysis)), coordinator_only),
            data=lambda w: form_data(w.page("coordinator", analysis), form_id="request-form"),
            done=lambda seen: ApprovalRequest.objects.filter(target="analysis").exists(),
            tables=(*TABLES, AnalysisDocument),
        ),
        Visit("approvals:detail", "get", detail, readers),
        # Neither approve nor return pressed: the page again, nothing decided.
        Visit(
            "approvals:detail",
            "post",
            detail,
            only(5, 403, readers[:4] + [400] + readers[5:]),
            data=decision,
            tables=TABLES,
        ),
        Visit(
            "approvals:detail",
            "post",
            detail,
            [
                LOGIN,
                404,
                403,
                403,
                Wrote(Go(f"{page}?job=", prefix=True)),
                403,
                *OUT,
                404,
                404,
                404,
            ],
            data={**decision, "action": "approve"},
            done=state(ApprovalRequest.State.APPROVED),
            tables=TABLES,
        ),
        Visit(
            "approvals:detail",
            "post",
            detail,
            [LOGIN, 404, 403, 403, Wrote(Go(detail)), 403, *OUT, 404, 404, 404],
            data={**decision, "action": "return", "reason": "ยังไม่ครบ"},
            done=state(ApprovalRequest.State.RETURNED),
            tables=TABLES,
        ),
        Visit("approvals:cancel", "get", cancel, no_post(readers)),
        Visit(
            "approvals:cancel",
            "post",
            cancel,
            [
                LOGIN,
                404,
                403,
                403,
                403,
                Wrote(Go(send.replace("/12/", "/6/"))),
                *OUT,
                404,
                404,
                404,
            ],
            data={},
            done=state(ApprovalRequest.State.CANCELLED),
            tables=TABLES,
        ),
        Visit("approvals:settings", "get", settings, managers),
        Visit(
            "approvals:settings",
            "post",
            settings,
            only(5, Wrote(Go(settings)), only(9, Wrote(Go(settings)), managers)),
            data={"action": "settings", "recorded_sign_off": "on"},
            done=lambda seen: ApprovalSettings.objects.filter(required=False).exists(),
            tables=TABLES,
        ),
    ]
