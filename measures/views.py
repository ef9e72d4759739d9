from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from measures import selectors, standing
from measures.access import Action, can, check, get_measure_for
from measures.forms import ProgressForm, ReviewForm
from measures.models import Evidence, Progress, ReviewState, Round
from measures.progress import (
    NotEditableError,
    ProgressInput,
    ReviewConflictError,
    StaleEditError,
    already_recorded,
    can_edit,
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
    measure = selectors.measure_detail(get_measure_for(request.user, pk))
    saved = {p.round_id: p for p in measure.progress.all()}
    rounds = list(selectors.year_rounds(measure))
    # Rounds this user can report now: open, and not waiting for review (for staff).
    reportable = [
        round_
        for round_ in rounds
        if round_.is_open
        and can_edit(request.user, saved.get(round_.pk) or Progress(measure=measure, round=round_))
    ]
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "progress_rows": sorted(measure.progress.all(), key=lambda p: p.round.kind),
            "history": selectors.progress_history(measure),
            "reportable_rounds": reportable,
            "dues": [(round_, standing.due(measure, round_)) for round_ in rounds],
            "can_review": can(request.user, measure.organization, Action.REVIEW),
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


def _repeated_post(request, current: Progress, entered: ProgressInput, data) -> bool:
    """The same form sent again (a double click): what it says is already recorded."""
    submit = request.POST.get("action") == "submit"
    return (
        current.updated_by_id == request.user.pk
        and (current.review_state == ReviewState.SUBMITTED) == submit
        and already_recorded(
            current,
            entered,
            files=data["files"],
            links=data["links"],
            remove_evidence=data.get("remove_evidence", []),
        )
    )


@login_required
def progress_edit(request, pk, kind):
    measure = get_measure_for(request.user, pk, change=True)
    round_ = _round_of(measure, kind)
    progress = progress_for(measure, round_)
    editable = can_edit(request.user, progress)
    if request.method != "POST" and not editable:
        messages.warning(request, not_editable_message(progress))
        return redirect("measures:detail", pk=measure.pk)
    steps = list(measure.steps.all())
    marks = {m.step_id: m.done_on for m in progress.step_marks.all()} if progress.pk else {}
    evidence = list(progress.evidence.all()) if progress.pk else []
    initial = {
        "status": progress.status,
        "completed_on": progress.completed_on,
        "result_text": progress.result_text,
        "cannot_reason": progress.cannot_reason,
        "version": progress.version,
    }
    context = {"measure": measure, "round": round_, "progress": progress, "evidence": evidence}
    if request.method == "POST":
        form = ProgressForm(
            request.POST, request.FILES, steps=steps, step_dates=marks, evidence=evidence
        )
        context["form"] = form
        if "version" in form.errors:
            # A damaged request: the message goes on top (the field is hidden), and
            # the form now carries the current version so the next send is deliberate.
            form.add_error(None, form.errors.pop("version"))
            form.data = form.data.copy()
            form.data["version"] = progress.version
        elif form.is_valid():
            data = form.cleaned_data
            entered = ProgressInput(
                status=data["status"],
                completed_on=data["completed_on"],
                result_text=data["result_text"],
                cannot_reason=data["cannot_reason"],
                step_dates=data["step_dates"],
            )
            submit = request.POST.get("action") == "submit"
            try:
                # Saved and submitted together, or neither.
                with transaction.atomic():
                    saved = save_progress(
                        measure=measure,
                        round_=round_,
                        user=request.user,
                        data=entered,
                        seen_version=data["version"],
                        files=data["files"],
                        links=data["links"],
                        remove_evidence=data.get("remove_evidence", []),
                    )
                    if submit:
                        submit_progress(
                            progress=saved, user=request.user, seen_version=saved.version
                        )
            except (StaleEditError, NotEditableError) as refused:
                if _repeated_post(request, refused.current, entered, data):
                    messages.success(request, _saved_message(submit))
                    return redirect("measures:detail", pk=measure.pk)
                # Keep what the user typed and say why it was not saved.
                form.data = form.data.copy()
                form.data["version"] = refused.current.version
                if isinstance(refused, StaleEditError):
                    context["stale"] = refused
                else:
                    context["refused"] = refused.message
                return render(request, "measures/progress_form.html", context, status=409)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _saved_message(submit))
                return redirect("measures:detail", pk=measure.pk)
        if not editable:
            # Closed, submitted or approved while the user typed: nothing typed is lost.
            context["refused"] = not_editable_message(progress)
            return render(request, "measures/progress_form.html", context, status=409)
    else:
        context["form"] = ProgressForm(
            initial=initial, steps=steps, step_dates=marks, evidence=evidence
        )
    return render(request, "measures/progress_form.html", context)


def _saved_message(submitted: bool) -> str:
    return "บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว" if submitted else "บันทึกผลการดำเนินการแล้ว"


@login_required
@require_POST
def progress_review(request, pk, kind):
    measure = get_measure_for(request.user, pk)
    check(request.user, measure.organization, Action.REVIEW)
    round_ = _round_of(measure, kind)
    progress = get_object_or_404(Progress, measure=measure, round=round_)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("measures:detail", pk=measure.pk)
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
    else:
        messages.success(request, "อนุมัติแล้ว" if approve else "ส่งกลับให้ผู้รายงานแก้ไขแล้ว")
    return redirect("measures:detail", pk=measure.pk)


@login_required
@require_POST
def round_open(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("organization"), pk=pk)
    check(request.user, round_.organization, Action.MANAGE_ROUNDS)
    wanted = request.POST.get("open")
    if wanted not in ("0", "1"):
        messages.error(request, f"ไม่ทราบว่าต้องการเปิดหรือปิด{round_} กรุณากดปุ่มที่หน้าหลักอีกครั้ง")
        return redirect("home")
    is_open = wanted == "1"
    if round_.is_open == is_open:
        # Another tab (or a double click) did it already.
        messages.info(request, f"{round_} {'เปิด' if is_open else 'ปิด'}อยู่แล้ว")
        return redirect("home")
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
