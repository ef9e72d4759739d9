from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linkcheck.selectors import attach_statuses
from measures import selectors
from measures.models import Measure, Round
from measures.selectors import get_measure_for
from organizations import access
from organizations.access import Action, can, can_edit_progress, check
from progress import selectors as progress_selectors
from progress import standing
from progress.forms import PartForm, ProgressForm, ReviewForm
from progress.models import Evidence, Progress, ReviewState
from progress.part_services import (
    StalePartError,
    part_already_recorded,
    part_for,
    part_not_editable_message,
    save_part,
)
from progress.services import (
    NotEditableError,
    ProgressInput,
    ReviewConflictError,
    StaleEditError,
    already_recorded,
    not_editable_message,
    progress_for,
    review_progress,
    save_progress,
    set_round_open,
    submit_progress,
)


@login_required
@require_GET
def measure_detail(request, pk):
    user = request.user
    measure = progress_selectors.measure_detail(get_measure_for(user, pk))
    saved = {p.round_id: p for p in measure.progress.all()}
    rounds = list(selectors.year_rounds(measure))
    for progress in saved.values():
        progress.measure = measure
    current = {r.pk: saved.get(r.pk) or Progress(measure=measure, round=r) for r in rounds}
    # Rounds this user can report now: open, and not waiting for review (for staff).
    reportable = [r for r in rounds if r.is_open and can_edit_progress(user, current[r.pk])]
    # On a measure of several divisions: the parts this user may add or change now.
    shared = access.is_shared(measure)
    writable_parts = access.part_divisions(user, measure) if shared else []
    part_links = [
        (round_, division)
        for round_ in rounds
        for division in writable_parts
        if access.can_edit_part(user, current[round_.pk], division)
    ]
    is_coordinator = can(user, measure.organization, Action.REVIEW)
    progress_selectors.attach_link_statuses(saved.values())
    cards, added = [], {}
    for progress in sorted(saved.values(), key=lambda p: p.round.kind):
        parts = {part.division_id: part for part in progress.parts.all()}
        added[progress.round_id] = set(parts)
        # The coordinator's card lists every responsible division, with or without a part.
        divisions = (
            access.responsible_divisions(measure)
            if shared and is_coordinator
            else [part.division for part in parts.values()]
        )
        cards.append(
            {
                "progress": progress,
                "parts": [(division, parts.get(division.pk)) for division in divisions],
                "part_links": {d.pk for r, d in part_links if r.pk == progress.round_id},
            }
        )
    return render(
        request,
        "progress/measure_detail.html",
        {
            "measure": measure,
            "cards": cards,
            "history": progress_selectors.progress_history(measure),
            "reportable_rounds": reportable,
            # (round, division, whether its part exists): the button adds or changes it.
            "part_links": [
                (r, d, d.pk in added.get(r.pk, ()))
                for r, d in part_links
                if not saved.get(r.pk) or not is_coordinator
            ],
            "shared": shared,
            "dues": [(round_, standing.due(measure, round_)) for round_ in rounds],
            "can_review": is_coordinator,
            "review_form": ReviewForm(),
            "submitted": ReviewState.SUBMITTED,
        },
    )


def _round_of(measure, kind: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("organization", "fiscal_year"),
        organization=measure.organization,
        fiscal_year=measure.fiscal_year,
        kind=kind,
    )


def _entered(data) -> ProgressInput:
    """The result as the form's cleaned data gives it."""
    return ProgressInput(
        status=data["status"],
        completed_on=data["completed_on"],
        result_text=data["result_text"],
        cannot_reason=data["cannot_reason"],
        step_dates=data["step_dates"],
    )


def _repeated_post(request, current: Progress, data) -> bool:
    """The same form sent again (a double click): what it says is already recorded."""
    submit = request.POST.get("action") == "submit"
    return (
        current.updated_by_id == request.user.pk
        and (current.review_state == ReviewState.SUBMITTED) == submit
        and already_recorded(
            current,
            _entered(data),
            files=data["files"],
            links=data["links"],
            remove_evidence=data.get("remove_evidence", []),
        )
    )


def _answer_post(request, form, context, template, *, locked, **form_own):
    """The answer to a sent result or part form (_save_sent). When the form is shown
    again with its errors and `locked` is given (None when the page may be changed
    now), it says on top why not, with 409: closed, submitted or approved while the
    user typed; nothing typed is lost."""
    response = _save_sent(request, form, context, template, **form_own)
    if response is not None:
        return response
    if locked is not None:
        context["refused"] = locked()
        return render(request, template, context, status=409)
    return render(request, template, context)


def _save_sent(request, form, context, template, *, version, save, repeated, refused, saved):
    """A sent result or part form: a damaged version field, the save, a refusal
    (someone saved since the page was opened, or it may not be changed now: nothing
    typed is lost, 409), the same form sent twice (a double click: already recorded),
    field errors. `save`, `repeated(error, data)` and `refused(error, form_data,
    context)` are the form's own; `version` is the one the page was made from. None
    when the form is to be shown again with its errors."""
    if "version" in form.errors:
        # A damaged request: the message goes on top (the field is hidden), and
        # the form now carries the current version so the next send is deliberate.
        form.add_error(None, form.errors.pop("version"))
        form.data = form.data.copy()
        form.data["version"] = version
        return None
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        save(data)
    except (StaleEditError, StalePartError, NotEditableError) as error:
        if repeated(error, data):
            messages.success(request, saved)
            return redirect("progress:detail", pk=context["measure"].pk)
        # Keep what the user typed and say why it was not saved.
        form.data = form.data.copy()
        refused(error, form.data, context)
        return render(request, template, context, status=409)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    messages.success(request, saved)
    return redirect("progress:detail", pk=context["measure"].pk)


def _progress_refused(error, form_data, context) -> None:
    form_data["version"] = error.current.version
    if isinstance(error, StaleEditError):
        context["stale"] = error
    else:
        context["refused"] = error.message


@login_required
def progress_edit(request, pk, kind):
    measure = get_measure_for(request.user, pk, change=True)
    round_ = _round_of(measure, kind)
    progress = progress_for(measure, round_)
    editable = can_edit_progress(request.user, progress)
    if request.method != "POST" and not editable:
        messages.warning(request, not_editable_message(progress))
        return redirect("progress:detail", pk=measure.pk)
    steps = list(measure.steps.all())
    marks = {m.step_id: m.done_on for m in progress.step_marks.all()} if progress.pk else {}
    # The result's own evidence (the divisions' parts keep theirs).
    evidence = list(progress.evidence.filter(part=None)) if progress.pk else []
    attach_statuses(evidence)
    context = {"measure": measure, "round": round_, "progress": progress, "evidence": evidence}
    template = "progress/progress_form.html"
    if request.method != "POST":
        initial = {
            "status": progress.status,
            "completed_on": progress.completed_on,
            "result_text": progress.result_text,
            "cannot_reason": progress.cannot_reason,
            "version": progress.version,
        }
        context["form"] = ProgressForm(
            initial=initial, steps=steps, step_dates=marks, evidence=evidence
        )
        return render(request, template, context)
    form = ProgressForm(
        request.POST, request.FILES, steps=steps, step_dates=marks, evidence=evidence
    )
    context["form"] = form
    submit = request.POST.get("action") == "submit"
    return _answer_post(
        request,
        form,
        context,
        template,
        version=progress.version,
        save=lambda data: _save_and_submit(request.user, measure, round_, data, submit=submit),
        repeated=lambda error, data: _repeated_post(request, error.current, data),
        refused=_progress_refused,
        saved=_saved_message(submit),
        locked=None if editable else partial(not_editable_message, progress),
    )


def _save_and_submit(user, measure, round_, data, *, submit: bool) -> None:
    # Saved and submitted together, or neither.
    with transaction.atomic():
        saved = save_progress(
            measure=measure,
            round_=round_,
            user=user,
            data=_entered(data),
            seen_version=data["version"],
            files=data["files"],
            links=data["links"],
            remove_evidence=data.get("remove_evidence", []),
        )
        if submit:
            submit_progress(progress=saved, user=user, seen_version=saved.version)


def _part_division(user, measure, division_pk):
    """The responsible division whose part the user writes: 404 when it does not share
    the measure, 403 when the user does not belong to it."""
    responsible = {d.pk: d for d in access.responsible_divisions(measure)}
    if not access.is_shared(measure) or division_pk not in responsible:
        raise Http404("ส่วนราชการนี้ไม่ได้ร่วมรับผิดชอบมาตรการนี้")
    division = responsible[division_pk]
    if division not in access.part_divisions(user, measure):
        raise PermissionDenied(f"คุณไม่ได้สังกัด{division.name} จึงแก้ไขส่วนของส่วนราชการนี้ไม่ได้")
    return division


@login_required
def part_edit(request, pk, kind, division_pk):
    """A division's part of a measure of several divisions: what it did (a note) and
    its evidence, beside the measure's one result (progress.part_services.save_part)."""
    measure = get_measure_for(request.user, pk, change=True)
    round_ = _round_of(measure, kind)
    measure = selectors.with_divisions(measure)
    division = _part_division(request.user, measure, division_pk)
    progress = progress_for(measure, round_)
    progress.measure = measure
    part = part_for(progress, division)
    editable = access.can_edit_part(request.user, progress, division)
    if request.method != "POST" and not editable:
        messages.warning(request, part_not_editable_message(request.user, progress, division))
        return redirect("progress:detail", pk=measure.pk)
    evidence = list(part.evidence.select_related("uploaded_by")) if part.pk else []
    attach_statuses(evidence)
    context = {
        "measure": measure,
        "round": round_,
        "division": division,
        "progress": progress,
        "part": part,
        "evidence": evidence,
    }
    template = "progress/part_form.html"
    if request.method != "POST":
        context["form"] = PartForm(
            initial={"note": part.note, "version": part.version}, evidence=evidence
        )
        return render(request, template, context)
    form = PartForm(request.POST, request.FILES, evidence=evidence)
    context["form"] = form
    return _answer_post(
        request,
        form,
        context,
        template,
        version=part.version,
        save=lambda data: save_part(
            measure=measure,
            round_=round_,
            division=division,
            user=request.user,
            note=data["note"],
            seen_version=data["version"],
            files=data["files"],
            links=data["links"],
            remove_evidence=data.get("remove_evidence", []),
        ),
        repeated=lambda error, data: _repeated_part(request.user, error, data),
        refused=partial(_part_refused, division),
        saved=f"บันทึกส่วนของ{division.name}แล้ว",
        locked=None
        if editable
        else partial(part_not_editable_message, request.user, progress, division),
    )


def _repeated_part(user, error, data) -> bool:
    """The same part form sent again (a double click): it is recorded already."""
    return (
        isinstance(error, StalePartError)
        and error.current.updated_by_id == user.pk
        and part_already_recorded(
            error.current,
            note=data["note"],
            files=data["files"],
            links=data["links"],
            remove=data.get("remove_evidence", []),
        )
    )


def _part_refused(division, error, form_data, context) -> None:
    if isinstance(error, StalePartError):
        form_data["version"] = error.current.version
        context["refused"] = (
            f"มีผู้อื่นบันทึกส่วนของ{division.name}หลังจากที่คุณเปิดแบบฟอร์ม (ล่าสุด: “{error.current.note}”)"
        )
    else:
        context["refused"] = error.message


def _saved_message(submitted: bool) -> str:
    return "บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว" if submitted else "บันทึกผลการดำเนินการแล้ว"


@login_required
@require_POST
def progress_review(request, pk, kind):
    measure = get_measure_for(request.user, pk)
    check(request.user, measure.organization, Action.REVIEW)
    round_ = _round_of(measure, kind)
    progress = get_object_or_404(
        Progress.objects.select_related("measure", "round"), measure=measure, round=round_
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("progress:detail", pk=measure.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        review_progress(
            progress=progress,
            user=request.user,
            approve=approve,
            comment=form.cleaned_data["comment"],
            seen_version=form.cleaned_data["version"],
        )
    except ReviewConflictError as conflict:
        # A double click, another tab, or a change since the page was opened.
        if conflict.already_done:
            messages.info(request, conflict.message)
        else:
            messages.warning(request, conflict.message)
        return redirect("progress:detail", pk=measure.pk)
    return _to_next_in_queue(request, progress, approve=approve)


def _to_next_in_queue(request, reviewed: Progress, *, approve: bool):
    """After a decision, on to the next result of the agency waiting for review, in
    the home page's order (oldest update first); the home page when none is left."""
    done = "อนุมัติแล้ว" if approve else "ส่งกลับให้ผู้รายงานแก้ไขแล้ว"
    done = f"{done}: มาตรการที่ {reviewed.measure.order} {reviewed.round.get_kind_display()}"
    following = (
        Progress.objects.filter(
            round__organization=reviewed.round.organization_id,
            review_state=ReviewState.SUBMITTED,
        )
        .select_related("measure", "round")
        .order_by("updated_at", "pk")
        .first()
    )
    if following is None:
        messages.success(request, f"{done} ตรวจครบทุกรายการแล้ว")
        return redirect("home")
    messages.success(
        request,
        f"{done} ต่อไป: มาตรการที่ {following.measure.order} {following.round.get_kind_display()}",
    )
    detail = reverse("progress:detail", args=[following.measure_id])
    return redirect(f"{detail}#review-{following.round.kind}")


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, pk):
    """Close or reopen a round; it asks first. The home page's button leads to a page
    that says what closing or reopening does (and what waits for review); only its
    confirm button (confirm=1) acts. Without JavaScript as with it."""
    round_ = get_object_or_404(Round.objects.select_related("organization", "fiscal_year"), pk=pk)
    check(request.user, round_.organization, Action.MANAGE_ROUNDS)
    wanted = request.POST.get("open", request.GET.get("open"))
    if wanted not in ("0", "1"):
        messages.error(request, f"ไม่ทราบว่าต้องการเปิดหรือปิด{round_} กรุณากดปุ่มที่หน้าหลักอีกครั้ง")
        return redirect("home")
    is_open = wanted == "1"
    if round_.is_open == is_open:
        # Another tab (or a double click) did it already.
        messages.info(request, f"{round_} {'เปิด' if is_open else 'ปิด'}อยู่แล้ว")
        return redirect("home")
    if request.method != "POST" or request.POST.get("confirm") != "1":
        progress = Progress.objects.filter(round=round_)
        return render(
            request,
            "progress/round_confirm.html",
            {
                "round": round_,
                "is_open": wanted,
                "opening": is_open,
                "awaiting_review": progress.filter(review_state=ReviewState.SUBMITTED).count(),
                "drafts": progress.filter(
                    review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED]
                ).count(),
                # Closing also ends the round for measures nobody has reported yet.
                "not_reported": Measure.objects.filter(
                    organization=round_.organization, fiscal_year=round_.fiscal_year
                )
                .exclude(progress__round=round_)
                .count(),
            },
        )
    set_round_open(round_=round_, user=request.user, is_open=is_open)
    messages.success(request, f"{'เปิด' if is_open else 'ปิด'}{round_} แล้ว")
    return redirect("home")


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("progress__measure"), pk=pk, url=""
    )
    get_measure_for(request.user, evidence.progress.measure_id)
    try:
        content = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("ไม่พบไฟล์หลักฐานนี้ในที่เก็บไฟล์ กรุณาแจ้งผู้ดูแลระบบ") from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    # Whatever the settings: a browser must neither guess another type nor run
    # anything in it, even if it opens the file in a tab (measures/evidence.py).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
