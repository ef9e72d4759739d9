"""The paperwork pages: each version's memo and form (the agency's coordinator,
executives and overseers download them), and the agency's texts (its coordinator
edits them, with a preview, and may go back to the shipped ones)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import access
from organizations.access import Action, check
from organizations.models import Organization
from paperwork import render as documents
from paperwork import selectors, services, subjects, texts
from paperwork.forms import TemplateForm
from paperwork.models import PaperworkFailure

FILES = {texts.MEMO: "memo_pdf", texts.FORM: "form_pdf"}


def _organization(request, slug: str) -> Organization:
    """The agency, for whoever may read its reports (404 for outsiders, 403 for its
    staff)."""
    organization = get_object_or_404(Organization, slug=slug)
    check(request.user, organization, Action.VIEW_REPORT)
    return organization


@login_required
@require_GET
def index(request, slug):
    organization = _organization(request, slug)
    return render(
        request,
        "paperwork/index.html",
        {
            "organization": organization,
            "paperwork": list(selectors.organization_paperwork(organization)),
            "failures": list(selectors.open_failures(organization)),
            "can_retry": access.can(request.user, organization, Action.PUBLISH),
            "can_edit": access.can_manage(request.user, organization.pk),
            "kinds": texts.KIND_LABELS,
        },
    )


@login_required
@require_POST
def retry(request, slug, failure):
    """The coordinator makes again the memo and the form whose generation failed."""
    organization = _organization(request, slug)
    try:
        done = services.retry(user=request.user, organization=organization, failure_id=failure)
    except PaperworkFailure.DoesNotExist as missing:
        raise Http404("ไม่พบรายการนี้") from missing
    named = f"{done.failure.title} ฉบับที่ {done.failure.version}"
    if done.paperwork is None:
        messages.error(
            request, f"จัดทำบันทึกข้อความและแบบฟอร์มของ{named}ยังไม่สำเร็จ: {done.failure.error}"
        )
    elif done.made:
        messages.success(request, f"จัดทำบันทึกข้อความและแบบฟอร์มการเผยแพร่ของ{named}แล้ว")
    else:
        messages.info(request, f"บันทึกข้อความและแบบฟอร์มของ{named}จัดทำไว้แล้ว ไม่ได้จัดทำซ้ำ")
    return redirect("paperwork:index", organization.slug)


@login_required
@require_GET
def download(request, slug, year, kind, version, document):
    """The memo or the form of a round's report's version."""
    return _download(request, slug, year, kind, version, document)


@login_required
@require_GET
def download_analysis(request, slug, year, version, document):
    """The memo or the form of an analysis's version."""
    return _download(request, slug, year, None, version, document)


def _download(request, slug, year, kind, version, document):
    organization = _organization(request, slug)
    if document not in FILES:
        raise Http404("ไม่พบเอกสารนี้")
    paperwork = selectors.paperwork_for_download(organization, year, kind, version)
    if paperwork is None:
        raise Http404("ฉบับนี้ยังไม่มีบันทึกข้อความและแบบฟอร์มการเผยแพร่")
    stored = getattr(paperwork, FILES[document])
    try:
        opened = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404("ไม่พบไฟล์ของเอกสารนี้") from missing
    segment = f"round{kind}" if kind is not None else "analysis"
    name = f"{organization.slug}-{year}-{segment}-v{version}-{document}.pdf"
    return FileResponse(opened, content_type="application/pdf", filename=name)


def _editable(request, slug: str, kind: str) -> Organization:
    organization = _organization(request, slug)
    if kind not in texts.PARTS:
        raise Http404("ไม่พบเอกสารนี้")
    if not access.can_manage(request.user, organization.pk):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานแก้ไขแม่แบบบันทึกข้อความและแบบฟอร์มได้")
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def edit_template(request, slug, kind):
    organization = _editable(request, slug, kind)
    current, revision = selectors.template_texts(organization, kind)
    url = reverse("paperwork:template", args=[organization.slug, kind])
    action = request.POST.get("action", "")
    if request.method == "GET":
        form = TemplateForm(kind, initial={**current, "revision": revision})
        parts = current
    else:
        form = TemplateForm(kind, request.POST)
        parts = None
        if form.is_valid():
            parts = form.parts()
            done = _act(request, organization, kind, form, action)
            if done:
                return redirect(url)
    return render(
        request,
        "paperwork/template.html",
        {
            "organization": organization,
            "kind": kind,
            "kind_label": texts.KIND_LABELS[kind],
            "form": form,
            "is_default": selectors.is_default(kind, current),
            "preview": _preview(organization, kind, parts) if parts is not None else None,
            "placeholders": [(name, about) for name, (_, about) in texts.PLACEHOLDERS.items()],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _act(request, organization, kind, form, action: str) -> bool:
    """Save or reset as the button asked; False (nothing done) for a preview or a
    refusal, which the page shows with what was typed."""
    revision = form.cleaned_data["revision"]
    try:
        if action == "save":
            services.save_template(
                user=request.user,
                organization=organization,
                kind=kind,
                parts=form.parts(),
                revision=revision,
            )
            messages.success(request, f"บันทึกแม่แบบ{texts.KIND_LABELS[kind]}แล้ว ใช้กับฉบับที่อนุมัติต่อจากนี้")
            return True
        if action == "reset":
            services.reset_template(
                user=request.user, organization=organization, kind=kind, revision=revision
            )
            messages.success(request, f"ใช้ข้อความตั้งต้นของ{texts.KIND_LABELS[kind]}แล้ว")
            return True
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
    return False


def _preview(organization, kind: str, parts: dict):
    """The document as these texts make it, with the newest version's names and dates
    (or an example's, before any)."""
    values, times = subjects.preview_values(organization, selectors.newest_paperwork(organization))
    try:
        return documents.sheet(kind, parts, values, times)
    except ValidationError:
        return None
