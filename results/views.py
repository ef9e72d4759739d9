"""The coordinator's pages of the agency's ITA results: the years of the
catalogue with what was entered, and one year's form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.models import FiscalYear
from organizations.access import check_enter_result
from organizations.models import Organization
from results.forms import ResultForm
from results.models import ITAResult
from results.scores import catalogue_indicators
from results.services import save_result

SAVED = "บันทึกผลการประเมิน ITA ปีงบประมาณ {year} แล้ว"
HISTORY_SHOWN = 20


def _organization(request, slug) -> Organization:
    organization = get_object_or_404(Organization, slug=slug)
    # 404 for outsiders, 403 for members and overseers who may not enter results.
    check_enter_result(request.user, organization)
    return organization


def _weak(indicators, result: ITAResult | None) -> list:
    """The indicators of the saved result scored below its target, with their scores."""
    if result is None:
        return []
    held = {s.indicator_id: s.score for s in result.scores.all()}
    return [(i, held[i.pk]) for i in indicators if i.pk in held and held[i.pk] < result.target]


@login_required
@require_GET
def index(request, slug):
    organization = _organization(request, slug)
    years = FiscalYear.objects.filter(tools__isnull=False).distinct().order_by("-year")
    results = {
        r.fiscal_year_id: r
        for r in ITAResult.objects.filter(organization=organization).select_related("entered_by")
    }
    rows = [(year, results.get(year.pk)) for year in years]
    return render(request, "results/index.html", {"organization": organization, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def result_form(request, slug, year):
    organization = _organization(request, slug)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    indicators = catalogue_indicators(fiscal_year)
    result = (
        ITAResult.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .select_related("entered_by")
        .prefetch_related("scores")
        .first()
    )
    data = request.POST if request.method == "POST" else None
    form = ResultForm(data, indicators=indicators, result=result)
    if data is not None and form.is_valid():
        try:
            save_result(
                user=request.user,
                organization=organization,
                fiscal_year=fiscal_year,
                scores=form.scores(),
                total=form.cleaned_data["total"],
                grade=form.cleaned_data["grade"],
                target=form.cleaned_data["target"],
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, SAVED.format(year=fiscal_year.year))
            return redirect("results:form", slug=organization.slug, year=fiscal_year.year)
    history = (
        result.history.select_related("history_user").order_by("-history_date")[:HISTORY_SHOWN]
        if result
        else []
    )
    context = {
        "organization": organization,
        "fiscal_year": fiscal_year,
        "form": form,
        "result": result,
        "history": history,
        "weak": _weak(indicators, result),
    }
    return render(request, "results/form.html", context, status=400 if form.errors else 200)
