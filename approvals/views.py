"""The approval pages: the coordinator sends the report for approval (or, being an
approver, approves and publishes in one step); the approver reads the draft and
approves or returns it; the coordinator's settings and named approvers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from analysis import services as analysis_services
from analysis.models import AnalysisDocument
from approvals import analysis_services as analysis_approvals
from approvals import selectors, services
from approvals.forms import ApproverForm, DecisionForm, RequestForm, SettingsForm
from approvals.models import ApprovalRequest, Approver
from catalogue.models import FiscalYear
from operations.request_input import query_int
from organizations import access
from organizations.access import Action, can, check
from organizations.models import Membership, Organization
from reports.pdf import drafts
from reports.views import round_for


def _report_page(round_, job=None) -> str:
    page = reverse(
        "reports:page", args=[round_.organization.slug, round_.fiscal_year.year, round_.kind]
    )
    return f"{page}?job={job.pk}" if job is not None else page


def _errors(error: ValidationError) -> list[str]:
    return error.messages


def _round_links(round_) -> dict:
    args = [round_.organization.slug, round_.fiscal_year.year, round_.kind]
    return {
        "kind": "รายงาน",
        "what": f"รายงาน {round_}",
        "page": reverse("reports:page", args=args),
        "draft_pdf": reverse("reports:pdf", args=args),
        "request": reverse("approvals:request", args=args),
    }


def _analysis_links(organization, year: int) -> dict:
    args = [organization.slug, year]
    return {
        "kind": "การวิเคราะห์ผลการประเมิน",
        "what": f"การวิเคราะห์ผลการประเมิน ปีงบประมาณ {year}",
        "page": reverse("analysis:page", args=args),
        "draft_pdf": reverse("analysis:pdf", args=args),
        "request": reverse("approvals:analysis_request", args=args),
    }


def _links(approval: ApprovalRequest) -> dict:
    """Where the request's document is read, drafted, asked about and published."""
    published = approval.published
    if approval.target == ApprovalRequest.Target.ANALYSIS:
        year = approval.document.fiscal_year.year
        links = _analysis_links(approval.organization, year)
        if published is not None:
            links["published"] = reverse(
                "analysis:public_version",
                args=[approval.organization.slug, year, published.version],
            )
        return links
    links = _round_links(approval.round)
    if published is not None:
        links["published"] = reverse(
            "reports:public_version",
            args=[
                approval.organization.slug,
                approval.round.fiscal_year.year,
                approval.round.kind,
                published.version,
            ],
        )
    return links


@login_required
@require_http_methods(["GET", "POST"])
def request_page(request, slug, year, kind):
    """Send the report as it stands for approval, with a note."""
    round_ = round_for(request, slug, year, kind, Action.PUBLISH)
    organization = round_.organization
    if not selectors.approval_required(organization):
        messages.info(request, "หน่วยงานนี้ไม่ใช้ขั้นตอนอนุมัติ ผู้ประสานงานเผยแพร่ได้ทันที")
        return redirect("reports:publish", slug=slug, year=year, kind=kind)
    errors: list[str] = []
    form = RequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
    elif form.is_bound:
        approve_now = request.POST.get("approve_now") == "1"
        try:
            approval = services.request_approval(
                round_=round_, user=request.user, approve_now=approve_now, **form.cleaned_data
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            if approval.state == ApprovalRequest.State.WAITING:
                messages.success(request, "ส่งขออนุมัติแล้ว ผู้อนุมัติจะเห็นคำขอนี้ในหน้าหลักของตน")
                return redirect("approvals:request", slug=slug, year=year, kind=kind)
            messages.success(request, "อนุมัติและเริ่มเผยแพร่แล้ว")
            return redirect(_report_page(round_))
    draft = drafts.current(round_)
    if not form.is_bound:
        form = RequestForm(
            initial={"position": round_.reporter_position, "content_sha256": draft.sha256}
        )
    open_ = selectors.open_request(round_)
    return render(
        request,
        "approvals/request.html",
        {
            "round": round_,
            "organization": organization,
            "links": _round_links(round_),
            "doc": draft.doc,
            "form": form,
            "errors": errors,
            "content_sha256": draft.sha256,
            "open": open_,
            "history": selectors.requests_of(round_),
            "approvers": selectors.approvers(organization),
            "is_approver": access.may_approve_publication(request.user, organization),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_request_page(request, slug, year):
    """Send the analysis as it stands for approval, with a note."""
    organization = get_object_or_404(Organization, slug=slug)
    check(request.user, organization, Action.PUBLISH)  # 404 outsiders, 403 others
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    links = _analysis_links(organization, year)
    if not selectors.approval_required(organization):
        messages.info(request, "หน่วยงานนี้ไม่ใช้ขั้นตอนอนุมัติ ผู้ประสานงานเผยแพร่ได้ทันที")
        return redirect("analysis:publish", slug=slug, year=year)
    errors: list[str] = []
    form = RequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
    elif form.is_bound:
        try:
            approval = analysis_approvals.request_approval(
                organization=organization,
                fiscal_year=fiscal_year,
                user=request.user,
                approve_now=request.POST.get("approve_now") == "1",
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            if approval.state == ApprovalRequest.State.WAITING:
                messages.success(request, "ส่งขออนุมัติแล้ว ผู้อนุมัติจะเห็นคำขอนี้ในหน้าหลักของตน")
                return redirect(links["request"])
            messages.success(request, "อนุมัติและเริ่มเผยแพร่แล้ว")
            return redirect(links["page"])
    document = AnalysisDocument.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()
    if not form.is_bound:
        sha256 = analysis_services.current_sha256(
            document or AnalysisDocument(organization=organization, fiscal_year=fiscal_year)
        )
        form = RequestForm(initial={"content_sha256": sha256})
    context = {
        "organization": organization,
        "links": links,
        "form": form,
        "errors": errors,
        "open": selectors.open_request_of_document(document),
        "history": selectors.requests_of_document(document),
        "approvers": selectors.approvers(organization),
        "is_approver": access.may_approve_publication(request.user, organization),
    }
    return render(request, "approvals/request.html", context, status=400 if errors else 200)


def _approval_for(request, pk) -> ApprovalRequest:
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related(
            "organization",
            "round__fiscal_year",
            "round__organization",
            "publication",
            "document__fiscal_year",
            "analysis_publication",
        ).exclude(authority=ApprovalRequest.Authority.OWN),
        pk=pk,
    )
    # The approvers and the coordinator read it: 404 for outsiders, 403 for others.
    if not can(request.user, approval.organization, Action.PUBLISH):
        access.check_approve_publication(request.user, approval.organization)
    return approval


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """The request as the approver reads it, with the draft, and the decision."""
    approval = _approval_for(request, pk)
    round_ = approval.round
    may_decide = access.may_approve_publication(request.user, approval.organization)
    errors: list[str] = []
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        access.check_approve_publication(request.user, approval.organization)
        action = request.POST.get("action")
        if not form.is_valid():
            errors = [e for field in form.errors.values() for e in field]
        elif action not in ("approve", "return"):
            errors = ["กรุณากดปุ่มอนุมัติหรือส่งกลับ"]
        else:
            try:
                if action == "approve":
                    _, job = services.approve(
                        approval=approval,
                        user=request.user,
                        content_sha256=form.cleaned_data["content_sha256"],
                        position=form.cleaned_data["position"],
                    )
                    messages.success(
                        request,
                        f"อนุมัติแล้ว ระบบกำลังเผยแพร่{_links(approval)['kind']} "
                        "ลิงก์สาธารณะแสดงฉบับนี้เมื่อเผยแพร่เสร็จ",
                    )
                    links = _links(approval)
                    return redirect(f"{links['page']}?job={job.pk}")
                services.return_request(
                    approval=approval, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "ส่งกลับให้ผู้ประสานงานแก้ไขแล้ว พร้อมเหตุผล")
                return redirect("approvals:detail", pk=approval.pk)
            except ValidationError as error:
                errors = _errors(error)
            approval.refresh_from_db()
    if not form.is_bound:
        form = DecisionForm(
            initial={
                "position": _position_of(request.user, approval.organization, round_),
                "content_sha256": approval.content_sha256,
            }
        )
    return render(
        request,
        "approvals/detail.html",
        {
            "approval": approval,
            "round": round_,
            "links": _links(approval),
            "form": form,
            "errors": errors,
            "may_decide": may_decide,
            "may_cancel": can(request.user, approval.organization, Action.PUBLISH),
        },
        status=400 if errors else 200,
    )


def _position_of(user, organization, round_) -> str:
    named = Approver.objects.filter(organization=organization, user=user).first()
    if named is not None and named.position:
        return named.position
    return round_.approver_position if round_ is not None else ""


@login_required
@require_POST
def cancel(request, pk):
    approval = _approval_for(request, pk)
    check(request.user, approval.organization, Action.PUBLISH)
    try:
        services.cancel_request(approval=approval, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "ยกเลิกคำขออนุมัติแล้ว ส่งฉบับใหม่ได้เมื่อพร้อม")
    return redirect(_links(approval)["request"])


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request, slug):
    """Whether the agency asks approval, how the sign-off block is printed, and
    who approves beside its executives."""
    organization = get_object_or_404(Organization, slug=slug)
    # 404 for outsiders, 403 for members who do not manage the organization.
    check(request.user, organization, Action.MANAGE_MEASURES)
    members = (
        Membership.objects.filter(organization=organization)
        .filter(role__in=[Membership.Role.COORDINATOR, Membership.Role.EXECUTIVE])
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    current = selectors.settings_of(organization)
    action = request.POST.get("action") if request.method == "POST" else None
    settings_form = SettingsForm(request.POST if action == "settings" else None, instance=current)
    approver_form = ApproverForm(request.POST if action == "name" else None, members=members)
    errors: list[str] = []
    try:
        done = _settings_action(request, organization, action, settings_form, approver_form)
    except ValidationError as error:
        done, errors = None, error.messages
    if done is not None:
        messages.success(request, done)
        return redirect("approvals:settings", slug=slug)
    if action == "remove" and not errors:
        errors = ["ไม่พบผู้อนุมัติที่เลือก อาจถูกนำออกไปแล้ว"]
    if action in ("settings", "name") and not errors:
        form = settings_form if action == "settings" else approver_form
        errors = [e for field in form.errors.values() for e in field]
    if action is not None and action not in ("settings", "name", "remove"):
        errors = ["คำสั่งไม่ถูกต้อง กรุณากดปุ่มในหน้านี้"]
    return render(
        request,
        "approvals/settings.html",
        {
            "organization": organization,
            "settings_form": settings_form,
            "approver_form": approver_form,
            "approvers": selectors.approvers(organization),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _settings_action(request, organization, action, settings_form, approver_form) -> str | None:
    """Do what the settings page's button asked; what to say when it is done (None:
    not done, the forms say why)."""
    user = request.user
    if action == "settings" and settings_form.is_valid():
        services.save_settings(user=user, organization=organization, **settings_form.cleaned_data)
        return "บันทึกการตั้งค่าการอนุมัติแล้ว"
    if action == "name" and approver_form.is_valid():
        member = approver_form.chosen_user()
        services.name_approver(
            user=user,
            organization=organization,
            member=member,
            position=approver_form.cleaned_data["position"],
        )
        return f"เพิ่ม {selectors.display_name(member)} เป็นผู้อนุมัติแล้ว"
    if action == "remove":
        named = Approver.objects.filter(
            organization=organization, pk=query_int(request.POST.get("approver"))
        ).first()
        if named is not None:
            services.remove_approver(user=user, approver=named)
            return "นำผู้อนุมัติออกแล้ว"
    return None
