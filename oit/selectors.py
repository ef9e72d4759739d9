"""Reads of the agency's OIT page: every item of the year with its link, the
agency's own or the one the portal fills in from what it publishes, and how many
items have one. A fixed number of queries, however many items the year lists.

What fills an item automatically (catalogue.OitItem.filled_by), as stable public
links that keep working when a new version is published:
- the 6-month and 12-month reports: the round's stable PDF link
  (reports:public_pdf), once a version is published and not withdrawn;
- the previous year's 12-month report: the same link of the year before;
- the measures: the year's 6-month report (else its 12-month one), which lists
  every measure with its indicator, divisions, steps and timing as the agency
  published it. The portal publishes no document of the measures alone, and the
  public index of reports (/p/<slug>/) is a list, not the measures: an item filled
  from it would read as done with nothing to show the assessor;
- the analysis: analysis.selectors.public_analysis_url, once one is published.
An agency's own link for an item comes first: it is what its coordinator chose.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from catalogue.models import FiscalYear, OitItem
from linkcheck.registry import Link
from oit.models import AgencyOitLink
from organizations.models import Organization
from reports.models import PublishedReport

try:  # the analysis app (issue 19): its public link, where it is installed
    from analysis.models import PublishedAnalysis
    from analysis.selectors import public_analysis_url
except ImportError:  # pragma: no cover - before the analysis app
    PublishedAnalysis = public_analysis_url = None

Filled = OitItem.FilledBy
# The published rounds each kind of item is filled from, in order of preference:
# (years before the page's year, round kind).
ROUNDS = {
    Filled.MEASURES: [(0, 6), (0, 12)],
    Filled.SIX_MONTHS: [(0, 6)],
    Filled.TWELVE_MONTHS: [(0, 12)],
    Filled.PREVIOUS_TWELVE_MONTHS: [(1, 12)],
}


@dataclass
class Row:
    item: OitItem
    link: AgencyOitLink | None  # the agency's own row (may hold an empty link)
    auto_url: str | None  # what the portal fills in

    @property
    def own_url(self) -> str:
        return self.link.url if self.link else ""

    @property
    def url(self) -> str:
        return self.own_url or self.auto_url or ""

    @property
    def is_auto(self) -> bool:
        return not self.own_url and bool(self.auto_url)

    @property
    def version(self) -> int:
        return self.link.version if self.link else 0


@dataclass
class OitPage:
    organization: Organization
    fiscal_year: FiscalYear
    rows: list[Row]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.url)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def completeness_text(self) -> str:
        return completeness_text(self.done, self.total)


def completeness_text(done: int, total: int) -> str:
    """ "ครบ 14 จาก 23 ข้อ"."""
    return f"ครบ {done} จาก {total} ข้อ"


def absolute(path: str, base: str | None = None) -> str:
    """The link as the assessor pastes it: on `base` (the request's scheme and host,
    as the public index shows its links), else on ITA_SITE_URL."""
    return path if "://" in path else (base or settings.ITA_SITE_URL).rstrip("/") + path


def _published_rounds(organization_ids, year: int) -> set[tuple[int, int, int]]:
    """(organization id, fiscal year, kind) of the rounds of `year` and the 12-month
    round of the year before with a version published and not withdrawn: one query."""
    rounds = PublishedReport.objects.filter(
        Q(round__fiscal_year__year=year) | Q(round__fiscal_year__year=year - 1, round__kind=12),
        round__organization_id__in=organization_ids,
        withdrawn_at__isnull=True,
    )
    # One row per round, however many versions it has (8,300 agencies in the roll-up).
    fields = ("round__organization_id", "round__fiscal_year__year", "round__kind")
    return set(rounds.values_list(*fields).distinct())


def _round_url(organization: Organization, year: int, kind, published, base) -> str | None:
    for back, round_kind in ROUNDS.get(kind, []):
        if (organization.pk, year - back, round_kind) in published:
            path = reverse("reports:public_pdf", args=[organization.slug, year - back, round_kind])
            return absolute(path, base)
    return None


def auto_urls(
    organization: Organization, fiscal_year: FiscalYear, base: str | None = None
) -> dict[str, str | None]:
    """What the portal fills in for each kind of item, for this agency and year."""
    year = fiscal_year.year
    published = _published_rounds([organization.pk], year)
    urls = {kind: _round_url(organization, year, kind, published, base) for kind in ROUNDS}
    analysis = public_analysis_url(organization, fiscal_year) if public_analysis_url else None
    urls[Filled.ANALYSIS] = absolute(analysis, base) if analysis else None
    return urls


def oit_page(
    organization: Organization, fiscal_year: FiscalYear, base: str | None = None
) -> OitPage:
    """Every item of the year in order with its link: the items, the agency's links,
    the published reports, and the analysis's (cached) link."""
    items = list(OitItem.objects.filter(fiscal_year=fiscal_year).order_by("order", "number"))
    links = {
        link.item_id: link
        for link in AgencyOitLink.objects.filter(
            organization=organization, item__fiscal_year=fiscal_year
        ).select_related("updated_by")
    }
    auto = auto_urls(organization, fiscal_year, base) if any(i.filled_by for i in items) else {}
    rows = [Row(item, links.get(item.pk), auto.get(item.filled_by)) for item in items]
    return OitPage(organization, fiscal_year, rows)


def _analysed(organization_ids, year: int) -> set[int]:
    if PublishedAnalysis is None:
        return set()
    return set(
        PublishedAnalysis.objects.filter(
            document__organization_id__in=organization_ids,
            document__fiscal_year__year=year,
            withdrawn_at__isnull=True,
        ).values_list("document__organization_id", flat=True)
    )


def completeness(organization_ids, fiscal_year) -> dict[int, tuple[int, int]]:
    """(items with a link, items) of the year for each agency of `organization_ids`
    (ids, or a query of them), in at most four queries whatever their number: the
    items by kind (only this one for a year without items), the agencies' own links
    counted by kind, the published rounds (when some item is filled from a report),
    the published analyses (when one is filled from the analysis); a query of ids
    costs one more. `fiscal_year` is a FiscalYear or its BE year."""
    year = getattr(fiscal_year, "year", fiscal_year)
    ids = organization_ids if hasattr(organization_ids, "query") else list(organization_ids)
    kinds = dict(
        OitItem.objects.filter(fiscal_year__year=year)
        .values_list("filled_by")
        .annotate(n=Count("pk"))
    )
    total = sum(kinds.values())
    if not total:  # a year without items: nothing more to count
        listed = ids if isinstance(ids, list) else ids.values_list("pk", flat=True)
        return dict.fromkeys(listed, (0, 0))
    own: dict[int, dict[str, int]] = {}
    counted = (
        AgencyOitLink.objects.filter(organization_id__in=ids, item__fiscal_year__year=year)
        .exclude(url="")
        .values_list("organization_id", "item__filled_by")
        .annotate(n=Count("pk"))
    )
    for organization_id, kind, n in counted:
        own.setdefault(organization_id, {})[kind] = n
    filled_kinds = [k for k in kinds if k]
    published = _published_rounds(ids, year) if filled_kinds else set()
    analysed = _analysed(ids, year) if Filled.ANALYSIS in kinds else set()
    answer = {}
    for organization_id in ids if isinstance(ids, list) else ids.values_list("pk", flat=True):
        mine = own.get(organization_id, {})
        done = mine.get("", 0)
        for kind in filled_kinds:
            if kind == Filled.ANALYSIS:
                filled = organization_id in analysed
            else:
                filled = any(
                    (organization_id, year - back, k) in published for back, k in ROUNDS[kind]
                )
            done += kinds[kind] if filled else mine.get(kind, 0)
        answer[organization_id] = (done, total)
    return answer


def oit_link_urls():
    """Every agency's own OIT item link, for the daily link check (linkcheck.registry);
    the links the portal fills in are its own pages, not checked."""
    return AgencyOitLink.objects.exclude(url="").values_list("url", flat=True).distinct()


def broken_oit_links(organization: Organization, broken) -> list[Link]:
    """The agency's own OIT item links among `broken` (LinkStatus urls), each with its
    item and year and the agency's OIT page: one query."""
    rows = (
        AgencyOitLink.objects.filter(organization=organization, url__in=broken)
        .select_related("item__fiscal_year")
        .order_by("-item__fiscal_year__year", "item__order", "item__number")
    )
    return [
        Link(
            url=link.url,
            title=link.item.title or link.url,
            place=f"ข้อ {link.item.number} ปีงบประมาณ พ.ศ. {link.item.fiscal_year.year}",
            href=reverse("oit:edit", args=[organization.slug, link.item.fiscal_year.year]),
        )
        for link in rows
    ]
