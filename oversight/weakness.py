"""The roll-up's view of the previous year's assessment (results app): each
agency's total and weak indicators (below its own target) beside this year's
round, the filter "agencies weak on indicator N", and how many agencies are weak on
each indicator, in all and by province and kind. The year's measures answer the
previous year's results (ITA.md: results of N → measures of N+1).

Costs the roll-up three queries whatever the number of agencies: the previous
year's indicators (the filter's choices), the counts (one GROUP BY over the results
of the agencies the filters keep, one row per agency: ITAResult.weak_numbers) and
the page's results."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from catalogue.models import Indicator
from organizations.models import OrganizationKind
from oversight import charts
from results import selectors as results

KIND_LABELS = dict(OrganizationKind.choices)
NO_KIND = "ไม่ระบุประเภท"
NO_PROVINCE = "ไม่ระบุจังหวัด"


def indicators_of(year: int) -> list[Indicator]:
    """The indicators of `year`'s catalogue, in its order: one query."""
    return list(
        Indicator.objects.filter(tool__fiscal_year__year=year)
        .select_related("tool")
        .order_by("tool__order", "tool__code", "order", "number")
    )


@dataclass
class WeakGroup:
    """Agencies of one province or kind: weak ones on each indicator (by number)."""

    label: str
    weak: dict[str, int] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)  # in the indicators' order


@dataclass
class WeakTotals:
    year: int
    indicators: list[Indicator]
    assessed: dict[str, int] = field(default_factory=dict)  # number -> agencies with a score
    weak: dict[str, int] = field(default_factory=dict)  # number -> agencies weak on it
    by_province: list[WeakGroup] = field(default_factory=list)
    by_kind: list[WeakGroup] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return [i.number for i in self.indicators]

    @property
    def any(self) -> bool:
        return bool(self.assessed)

    def rows(self) -> list[tuple[Indicator, int, int]]:
        """(indicator, weak, assessed) in the catalogue's order."""
        return [
            (i, self.weak.get(i.number, 0), self.assessed.get(i.number, 0)) for i in self.indicators
        ]


def weak_totals(summaries: QuerySet, year: int, indicators: list[Indicator]) -> WeakTotals:
    """The counts over the agencies of the roll-up's rows (`summaries`, filtered)."""
    totals = WeakTotals(year, indicators)
    numbers = totals.numbers
    provinces: dict[str, WeakGroup] = {}
    kinds: dict[str, WeakGroup] = {}
    organization_ids = summaries.values("organization_id")
    for province, kind, assessed, *weak in results.weak_counts(organization_ids, year, numbers):
        name = province or NO_PROVINCE
        for number, count in zip(numbers, weak, strict=True):
            totals.assessed[number] = totals.assessed.get(number, 0) + assessed
            totals.weak[number] = totals.weak.get(number, 0) + count
        for groups, key, label in (
            (provinces, name, name),
            (kinds, kind, KIND_LABELS.get(kind, NO_KIND)),
        ):
            group = groups.setdefault(key, WeakGroup(label))
            for number, count in zip(numbers, weak, strict=True):
                group.weak[number] = group.weak.get(number, 0) + count
    for group in (*provinces.values(), *kinds.values()):
        group.counts = [group.weak.get(number, 0) for number in numbers]
    kind_order = {value: n for n, value in enumerate(OrganizationKind.values)}
    totals.by_province = sorted(provinces.values(), key=lambda g: (g.label == NO_PROVINCE, g.label))
    totals.by_kind = [
        kinds[k] for k in sorted(kinds, key=lambda k: kind_order.get(k, len(kind_order)))
    ]
    return totals


def chart(totals: WeakTotals) -> SafeString:
    """One bar per indicator: the agencies weak on it, of those with a score."""
    rows = totals.rows()
    top = max((assessed for _, _, assessed in rows), default=0) or 1
    width, label_width, bar_height, gap = 560, 150, 18, 8
    bars = []
    for n, (indicator, weak, assessed) in enumerate(rows):
        y = n * (bar_height + gap)
        share = weak / top * (width - label_width - 90)
        title = (
            f"ตัวชี้วัดที่ {indicator.number} {indicator.name}: "
            f"ต่ำกว่าเป้าหมาย {weak:,} จาก {assessed:,} หน่วยงาน"
        )
        bars.append(
            (
                _coordinate(y + bar_height / 2 + 5),
                f"ตัวชี้วัดที่ {indicator.number} ({indicator.tool.code})",
                _coordinate(label_width),
                _coordinate(y),
                _coordinate(max(share, 0.5)),
                bar_height,
                charts.COLORS["cannot"],
                title,
                _coordinate(label_width + share + 6),
                _coordinate(y + bar_height / 2 + 5),
                f"{weak:,} / {assessed:,}",
            )
        )
    body = format_html_join(
        "",
        '<g class="weak-bar"><text x="0" y="{}" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"><title>{}</title></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>',
        bars,
    )
    height = max(len(rows) * (bar_height + gap), bar_height)
    label = (
        f"จำนวนหน่วยงานที่ได้คะแนนต่ำกว่าเป้าหมายในแต่ละตัวชี้วัด ผลการประเมินปี พ.ศ. {totals.year}: "
        + ", ".join(f"ตัวชี้วัดที่ {i.number} {weak:,} จาก {assessed:,}" for i, weak, assessed in rows)
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-weak" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet">{}</svg>',
        width,
        height,
        label,
        body,
    )


def _coordinate(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")
