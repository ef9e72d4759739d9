"""The page where a coordinator sets the organization's document settings
(reports.document_settings)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from measures.models import Round
from organizations.access import Action, check
from organizations.models import Organization
from reports.document_settings import DocumentSettingsForm
from reports.services import save_document_settings

SAVED = "บันทึกการตั้งค่าเอกสารแล้ว ฉบับร่างและการเผยแพร่ครั้งถัดไปจะเป็นไปตามนี้"


@login_required
@require_http_methods(["GET", "POST"])
def document_settings(request, slug):
    organization = get_object_or_404(Organization, slug=slug)
    # 404 for outsiders, 403 for members who do not manage the organization.
    check(request.user, organization, Action.MANAGE_MEASURES)
    form = DocumentSettingsForm.for_organization(
        organization, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        save_document_settings(user=request.user, organization=organization, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("reports:document_settings", slug=organization.slug)
    rounds = (
        Round.objects.filter(organization=organization)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year", "kind")
    )
    return render(
        request,
        "reports/document_settings.html",
        {"organization": organization, "form": form, "rounds": rounds},
        status=400 if form.is_bound else 200,
    )
