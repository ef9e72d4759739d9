"""Reads for the analysis: the agency's results of the years before a fiscal year,
its weak indicators with this year's measures answering each, the coordinator's
texts, and the published versions. A fixed number of queries whatever the number
of measures or indicators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from analysis.models import AnalysisDocument, PublishedAnalysis, WeakPointNote
from catalogue.models import FiscalYear
from measures.models import Measure
from organizations.models import Organization
from reports.selectors import MAX_VERSION, PublishedPdf, cached_published_pdf
from results.models import IndicatorScore, ITAResult
from results.selectors import indicator_key


@dataclass
class Score:
    """One indicator of the assessed year, with the year before's score of the same
    indicator (tool and number) where known."""

    score: IndicatorScore
    earlier: Decimal | None
    measures: list = field(default_factory=list)  # this year's measures answering it
    note: WeakPointNote | None = None

    @property
    def key(self) -> tuple[str, str]:
        return indicator_key(self.score.indicator)

    @property
    def weak(self) -> bool:
        return self.score.is_weak

    @property
    def change(self) -> Decimal | None:
        return None if self.earlier is None else self.score.score - self.earlier


@dataclass
class Analysis:
    organization: Organization
    fiscal_year: FiscalYear  # the year of the measures
    document: AnalysisDocument | None  # None until first written or published
    result: ITAResult | None  # the assessed year's (newest before fiscal_year)
    earlier: ITAResult | None  # the one before it, where known
    scores: list[Score]
    off_weak: list  # this year's measures answering no weak indicator

    @property
    def weak(self) -> list[Score]:
        return [s for s in self.scores if s.weak]

    def weak_point(self, key: tuple[str, str]) -> Score | None:
        return next((s for s in self.weak if s.key == key), None)


def year_measures(organization_id: int, fiscal_year_id: int) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(organization_id=organization_id, fiscal_year_id=fiscal_year_id)
        .select_related("indicator__tool")
        .order_by("order", "pk")
    )


def _scores_before(organization_id: int, year: int) -> dict[int, list[IndicatorScore]]:
    """The agency's scores of every assessed year before `year`, by year (one query)."""
    rows = (
        IndicatorScore.objects.filter(
            result__organization_id=organization_id, result__fiscal_year__year__lt=year
        )
        .select_related("result__fiscal_year", "indicator__tool")
        .order_by("indicator__tool__order", "indicator__tool__code", "indicator__order")
    )
    years: dict[int, list[IndicatorScore]] = defaultdict(list)
    for row in rows:
        years[row.result.fiscal_year.year].append(row)
    return years


def build_analysis(organization: Organization, fiscal_year: FiscalYear) -> Analysis:
    """The analysis as it stands: four queries (the scores, the measures, the
    document with its notes)."""
    years = _scores_before(organization.pk, fiscal_year.year)
    newest = sorted(years, reverse=True)
    scores = years[newest[0]] if newest else []
    earlier = {indicator_key(s.indicator): s for s in years[newest[1]]} if len(newest) > 1 else {}
    rows = {
        indicator_key(s.indicator): Score(
            s, getattr(earlier.get(indicator_key(s.indicator)), "score", None)
        )
        for s in scores
    }
    off_weak = []
    for measure in year_measures(organization.pk, fiscal_year.pk):
        row = rows.get(indicator_key(measure.indicator))
        if row is not None:
            row.measures.append(measure)
        if row is None or not row.weak:
            off_weak.append(measure)
    document = (
        AnalysisDocument.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .prefetch_related("notes")
        .first()
    )
    for note in document.notes.all() if document else ():
        row = rows.get((note.tool_code, note.indicator_number))
        if row is not None:
            row.note = note
    return Analysis(
        organization=organization,
        fiscal_year=fiscal_year,
        document=document,
        result=scores[0].result if scores else None,
        earlier=next(iter(earlier.values())).result if earlier else None,
        scores=list(rows.values()),
        off_weak=off_weak,
    )


def publications(organization: Organization, fiscal_year: FiscalYear) -> QuerySet:
    return (
        PublishedAnalysis.objects.filter(
            document__organization=organization, document__fiscal_year=fiscal_year
        )
        .select_related("published_by", "withdrawn_by")
        .order_by("-version")
    )


def published_pdf_key(organization_slug: str, fiscal_year: int, version=None) -> str:
    which = "latest" if version is None else version
    return f"analysis:pdf:1:{organization_slug}:{fiscal_year}:{which}"


def published_pdf(
    organization_slug: str, fiscal_year: int, version: int | None = None
) -> PublishedPdf | None:
    """The newest published analysis not withdrawn (version None) or that version;
    cached as the reports' PDFs are (reports.selectors.cached_published_pdf)."""
    if version is not None and not 1 <= version <= MAX_VERSION:
        return None
    return cached_published_pdf(
        published_pdf_key(organization_slug, fiscal_year, version),
        lambda: PublishedAnalysis.objects.filter(
            document__organization__slug=organization_slug,
            document__fiscal_year__year=fiscal_year,
        ),
        version,
        lambda number: f"ita-{organization_slug}-{fiscal_year}-analysis-v{number}.pdf",
    )


def public_analysis_url(organization: Organization, fiscal_year) -> str | None:
    """The stable public link of the agency's analysis for `fiscal_year` (a FiscalYear
    or its BE year) when a version is published and not withdrawn; else None."""
    year = getattr(fiscal_year, "year", fiscal_year)
    if published_pdf(organization.slug, year) is None:
        return None
    return reverse("analysis:public_pdf", args=[organization.slug, year])


def published_documents(organization: Organization) -> list[AnalysisDocument]:
    """The agency's analyses with a publication, newest year first, each with
    `.versions` (withdrawn too) and `.current` (newest not withdrawn, or None)."""
    documents = list(
        AnalysisDocument.objects.filter(organization=organization, publications__isnull=False)
        .distinct()
        .select_related("fiscal_year")
        .prefetch_related(
            Prefetch(
                "publications",
                queryset=PublishedAnalysis.objects.order_by("-version"),
                to_attr="versions",
            )
        )
        .order_by("-fiscal_year__year")
    )
    for document in documents:
        document.current = next((v for v in document.versions if not v.withdrawn), None)
    return documents
