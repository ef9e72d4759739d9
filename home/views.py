from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from approvals import selectors as approval_selectors
from linkcheck.selectors import broken_links
from measures.models import Measure, MeasureDivision, Round
from oit.selectors import completeness
from operations.request_input import query_int
from organizations import access
from organizations.access import Action, can, can_edit_progress, visible_measures
from organizations.models import Division, Membership, OrganizationKind
from oversight.dashboard import percent
from progress import standing
from progress.models import Progress, ReviewState
from reports.selectors import (
    attach_newest_reports,
    publishing_by_province,
    publishing_organizations,
)
from thai.conventions import normalize_sara_am


def home(request):
    """Each role lands on its own work; the public sees who publishes."""
    if not request.user.is_authenticated:
        return _public_home(request)
    today = timezone.localdate()
    sections, waiting = [], None
    for membership in Membership.objects.filter(user=request.user).select_related("organization"):
        organization = membership.organization
        rounds = list(
            Round.objects.filter(organization=organization)
            .select_related("fiscal_year")
            .order_by("-fiscal_year__year", "kind")
        )
        section = {
            "membership": membership,
            "rounds": rounds,
            "can_view_report": can(request.user, organization, Action.VIEW_REPORT),
            "can_manage_rounds": can(request.user, organization, Action.MANAGE_ROUNDS),
        }
        if section["can_view_report"]:
            _attach_done_counts(organization, rounds)
        if access.sees_work_list(request.user, organization):
            section["work"] = _staff_work(request.user, organization, rounds, today)
        if membership.role in (Membership.Role.EXECUTIVE, Membership.Role.COORDINATOR):
            # Versions waiting for this approver (executives, named approvers): one query.
            if waiting is None:
                waiting = list(approval_selectors.waiting_for(request.user))
            section["waiting_approvals"] = [
                a for a in waiting if a.organization_id == organization.pk
            ]
        if can(request.user, organization, Action.PUBLISH):
            # What the coordinator sent for approval: waiting, or returned with a reason.
            section["sent_approvals"] = approval_selectors.sent_from(organization)
        if can(request.user, organization, Action.REVIEW):
            section["review_queue"] = (
                Progress.objects.filter(
                    round__organization=organization, review_state=ReviewState.SUBMITTED
                )
                .select_related("measure__indicator", "round", "updated_by")
                .order_by("updated_at")
            )
        if access.sees_broken_links(request.user, organization):
            # One query per kind of link (linkcheck.registry), one for their statuses.
            section["broken_links"] = broken_links(organization)
        sections.append(section)
    _attach_oit_completeness(sections)
    return render(
        request, "home/home.html", {"sections": sections, "counting_note": standing.COUNTING_NOTE}
    )


def _attach_oit_completeness(sections) -> None:
    """(year, done, total) of the OIT items of each readable agency's newest year
    (its newest round's, as the analysis link): one call per year, whatever the
    number of agencies (oit.selectors.completeness)."""
    by_year: dict[int, list[int]] = {}
    for section in sections:
        if section["can_view_report"] and section["rounds"]:
            year = section["rounds"][0].fiscal_year.year
            by_year.setdefault(year, []).append(section["membership"].organization_id)
    counted = {year: completeness(ids, year) for year, ids in by_year.items()}
    for section in sections:
        if section["can_view_report"] and section["rounds"]:
            year = section["rounds"][0].fiscal_year.year
            done, total = counted[year][section["membership"].organization_id]
            section["oit"] = {"year": year, "done": done, "total": total}


PUBLIC_PAGE_SIZE = 50
SEARCH_MAX_CHARS = 100


def _public_home(request):
    """The public directory of published reports: the agencies that publish, 50 to a
    page, searchable by name, location or province, browsable by province and kind;
    each with the link to its reports and to its newest report. Four queries: the
    provinces that publish (with how many), the count, the page, and its rows' newest
    reports."""
    search = " ".join(normalize_sara_am(request.GET.get("q", "")).split())[:SEARCH_MAX_CHARS]
    provinces = publishing_by_province()
    kinds = dict(OrganizationKind.choices)
    errors = []
    province_id = query_int(request.GET.get("province"))
    province = next((p for p in provinces if p[0] == province_id), None)
    if request.GET.get("province") and province is None:
        errors.append("ไม่พบจังหวัดที่เลือก หรือยังไม่มีหน่วยงานในจังหวัดนั้นเผยแพร่รายงาน จึงแสดงทุกจังหวัด")
    kind = request.GET.get("kind", "")
    if kind and kind not in kinds:
        errors.append("ไม่มีประเภทหน่วยงานที่เลือก จึงแสดงทุกประเภท")
        kind = ""
    organizations = publishing_organizations(
        search, province_id=province[0] if province else None, kind=kind
    )
    page = Paginator(organizations, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_newest_reports(list(page.object_list))
    chosen = {"q": search, "province": province[0] if province else "", "kind": kind}
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "home/home_public.html",
        {
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "search": search,
            "provinces": provinces,
            "province": province,
            "kinds": OrganizationKind.choices,
            "kind": kind,
            "kind_label": kinds.get(kind, ""),
            "errors": errors,
            "narrowed": bool(query),
            # The query string of another page of these results.
            "search_query": query + "&" if query else "",
        },
    )


def _attach_done_counts(organization, rounds) -> None:
    """Set `done` (approved as done), `awaiting_review` and `total` on each round
    (progress.standing): two queries for all of them."""
    totals = dict(
        Measure.objects.filter(organization=organization)
        .values_list("fiscal_year_id")
        .annotate(n=Count("pk"))
    )
    counted = {
        round_id: (done, awaiting)
        for round_id, done, awaiting in Progress.objects.filter(
            standing.APPROVED_DONE | standing.AWAITING_REVIEW, round__organization=organization
        )
        .values_list("round_id")
        .annotate(
            done=Count("pk", filter=standing.APPROVED_DONE),
            awaiting=Count("pk", filter=standing.AWAITING_REVIEW),
        )
    }
    for round_ in rounds:
        round_.total = totals.get(round_.fiscal_year_id, 0)
        round_.done, round_.awaiting_review = counted.get(round_.pk, (0, 0))
        round_.done_percent = percent(round_.done, round_.total)


def _staff_work(user, organization, rounds, today: date) -> list[dict]:
    """The open rounds' measures of the user's divisions, with days left; on a
    measure of several divisions whose result another division reports, the way to
    add their own division's part."""
    work = []
    assignments = MeasureDivision.objects.filter(measure=OuterRef("pk")).order_by()
    named = assignments.values("measure").annotate(n=Count("pk")).values("n")
    for round_ in (r for r in rounds if r.is_open):
        measures = (
            visible_measures(user, organization)
            .filter(fiscal_year=round_.fiscal_year)
            .annotate(
                divisions_named=Subquery(named),
                collective=Exists(assignments.exclude(division__kind=Division.Kind.REGULAR)),
            )
            .select_related("indicator__tool", "organization")
            .prefetch_related(
                Prefetch("progress", queryset=Progress.objects.filter(round=round_), to_attr="mine")
            )
            .order_by("order")
        )
        for measure in measures:
            progress = measure.mine[0] if measure.mine else None
            if progress is not None:
                # Already at hand: spare can_edit_progress() a query per row.
                progress.round, progress.measure = round_, measure
            due = standing.due(measure, round_)
            editable = can_edit_progress(user, progress or Progress(measure=measure, round=round_))
            shared = measure.collective or (measure.divisions_named or 0) > 1
            work.append(
                {
                    "round": round_,
                    "measure": measure,
                    "progress": progress,
                    "due": due,
                    "days_left": due.days_left(today),
                    "finished": standing.settled(progress),
                    "editable": editable,
                    # Another division reports the result: this one adds its part.
                    "part": shared
                    and not editable
                    and (progress is None or progress.review_state != ReviewState.APPROVED),
                    "returned": progress is not None
                    and progress.review_state == ReviewState.RETURNED,
                }
            )
    return work
