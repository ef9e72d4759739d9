"""Server-rendered SVG charts for the dashboard: no JavaScript, no CDN.

Every chart is an inline <svg role="img"> whose aria-label says in Thai what
it shows; each coloured part carries a <title> that browsers show on hover.
Text inherits the page's font (Sarabun), so widths are estimated from the
number of spacing characters (Thai vowel and tone marks take no width).
Names that may be long (divisions) are HTML text beside a bar, so that they
wrap on a narrow screen instead of being cut.

The parts are where measures stand (progress.standing): done counts only what
the coordinator approved; "รอตรวจ" is what waits for review.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from oversight.dashboard import STATUSES, Segment, Standing, Tally

COLORS = {
    "done": "#198754",
    "awaiting_review": "#ffc107",
    "in_progress": "#0d6efd",
    "not_started": "#adb5bd",
    "cannot": "#dc3545",
}
# Text drawn on top of a colour: white where it reads, dark on the light ones.
TEXT_ON = {
    "done": "#fff",
    "awaiting_review": "#212529",
    "in_progress": "#fff",
    "not_started": "#212529",
    "cannot": "#fff",
}
TRACK = "#e9ecef"
INK = "#212529"
MUTED = "#6c757d"

LABELS = {status: Standing(status).label for status in STATUSES}


def _n(x: float) -> str:
    """A coordinate, short: 12, 12.5, 12.34."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    """Rough advance width of `text` at font `size` px (Sarabun)."""
    spacing = sum(1 for ch in text if unicodedata.category(ch) != "Mn")
    return spacing * size * 0.52


def segment_title(label: str, segment: Segment) -> str:
    """The tooltip of a part, e.g. "กองคลัง — ดำเนินการแล้วเสร็จ 2 จาก 3 มาตรการ (67%)"."""
    prefix = f"{label} — " if label else ""
    return (
        f"{prefix}{LABELS[segment.status]} {segment.count} จาก {segment.total} มาตรการ "
        f"({segment.percent_text})"
    )


def describe(tally: Tally, name: str = "") -> str:
    """The words a screen reader says for a tally: "IIT: แล้วเสร็จ 1 จาก 4 มาตรการ
    (25%), อยู่ระหว่างดำเนินการ 1 (25%), ยังไม่ดำเนินการ 2 (50%)"."""
    name = name or tally.label
    if not tally.total:
        return f"{name}: ไม่มีมาตรการ"
    parts = [f"แล้วเสร็จ {tally.done_text} ({tally.done_percent_text})"]
    parts += [
        f"{LABELS[s.status]} {s.count} ({s.percent_text})"
        for s in tally.segments
        if s.count and s.status != "done"
    ]
    return f"{name}: " + ", ".join(parts)


def _svg(width: float, height: float, label: str, body: SafeString, css_class: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet">'
        "{}</svg>",
        css_class,
        _n(width),
        _n(height),
        label,
        body,
    )


# --- legend -----------------------------------------------------------------------------------


def legend() -> SafeString:
    """The standings and their colours, in the order charts stack them: an
    HTML list of SVG swatches, so that it wraps on a narrow screen."""
    items = format_html_join(
        "",
        '<li class="list-inline-item me-3 text-nowrap"><svg xmlns="http://www.w3.org/2000/svg" '
        'width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
        '<rect width="14" height="14" rx="3" fill="{}"/></svg> '
        "{}</li>",
        ((COLORS[status], LABELS[status]) for status in STATUSES),
    )
    return format_html(
        '<ul class="chart-legend list-inline small mb-0" aria-label="คำอธิบายสี">{}</ul>', items
    )


# --- stacked bars -----------------------------------------------------------------------------


def _bar(tally: Tally, x: float, y: float, width: float, height: float, label: str) -> SafeString:
    """A horizontal bar split into the four statuses, with each part's share
    printed on it when there is room."""
    if not tally.total:
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"><title>{}</title></rect>'
            '<text x="{}" y="{}" font-size="12" fill="{}">ไม่มีมาตรการ</text>',
            _n(x),
            _n(y),
            _n(width),
            _n(height),
            TRACK,
            f"{label} — ไม่มีมาตรการ" if label else "ไม่มีมาตรการ",
            _n(x + 8),
            _n(y + height / 2 + 4),
            MUTED,
        )
    parts = []
    offset = x
    for segment in tally.segments:
        if not segment.count:
            continue
        w = width * segment.fraction
        text = ""
        if height >= 14 and w >= text_width(segment.percent_text, 13) + 8:
            text = format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="{}" '
                'aria-hidden="true">{}</text>',
                _n(offset + w / 2),
                _n(y + height / 2 + 4),
                TEXT_ON[segment.status],
                segment.percent_text,
            )
        parts.append(
            format_html(
                '<g class="segment segment-{}"><rect x="{}" y="{}" width="{}" height="{}" '
                'fill="{}"><title>{}</title></rect>{}</g>',
                segment.status,
                _n(offset),
                _n(y),
                _n(w),
                _n(height),
                COLORS[segment.status],
                segment_title(label, segment),
                text,
            )
        )
        offset += w
    return mark_safe("".join(parts))


def stacked_bar(tally: Tally, *, width: float = 400, height: float = 10) -> SafeString:
    """One thin bar (for a table row); too thin for text, the <title>s tell."""
    return _svg(
        width,
        height,
        describe(tally),
        _bar(tally, 0, 0, width, height, tally.label),
        "chart chart-bar",
    )


def division_bars(rows: Sequence[tuple[Tally, bool]], *, title: str = "") -> SafeString:
    """One row per division: its name and "done of total" as HTML text (they wrap
    on a narrow screen, nothing is cut) over a stacked bar. `rows` are
    (tally, is_collective)."""
    items = []
    for tally, is_collective in rows:
        name = tally.label + (" (ไม่ระบุส่วนราชการ)" if is_collective else "")
        summary = (
            f"อนุมัติแล้วเสร็จ {tally.done}/{tally.total} · {tally.done_percent_text}"
            if tally.total
            else ""
        )
        if tally.awaiting_review:
            summary += f" · รอตรวจ {tally.awaiting_review}"
        items.append(
            format_html(
                '<li class="division-bar">'
                '<div class="d-flex flex-wrap justify-content-between column-gap-2">'
                '<span class="division-name{}">{}</span>'
                '<span class="small text-muted">{}</span></div>{}</li>',
                " fst-italic" if is_collective else "",
                name,
                summary,
                stacked_bar(tally),
            )
        )
    label = title or "ความคืบหน้ารายส่วนราชการ"
    return format_html(
        '<ul class="chart-divisions list-unstyled mb-0" aria-label="{}">{}</ul>',
        label,
        mark_safe("".join(items)),
    )


# --- progress ring ----------------------------------------------------------------------------

RING_SIZE = 160
RING_RADIUS = 62
RING_STROKE = 20


def progress_ring(tally: Tally, *, caption: str = "") -> SafeString:
    """A donut of the four statuses, starting at twelve o'clock, with the
    share done in the middle and "done/total" under it."""
    body = format_html("{}{}", _ring_segments(tally), _ring_centre(tally))
    return _svg(RING_SIZE, RING_SIZE, describe(tally, caption), body, "chart chart-ring")


def _ring_segments(tally: Tally) -> SafeString:
    """The ring's track, and an arc for each status that has measures, clockwise."""
    c = RING_SIZE / 2
    circumference = 2 * math.pi * RING_RADIUS
    parts = [
        format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}"/>',
            _n(c),
            _n(c),
            RING_RADIUS,
            TRACK,
            RING_STROKE,
        )
    ]
    start = 0.0
    for segment in tally.segments:
        if not segment.count:
            continue
        length = circumference * segment.fraction
        parts.append(
            format_html(
                '<circle class="segment segment-{}" cx="{}" cy="{}" r="{}" fill="none" '
                'stroke="{}" stroke-width="{}" stroke-dasharray="{} {}" stroke-dashoffset="{}" '
                'transform="rotate(-90 {} {})"><title>{}</title></circle>',
                segment.status,
                _n(c),
                _n(c),
                RING_RADIUS,
                COLORS[segment.status],
                RING_STROKE,
                _n(length),
                _n(circumference - length),
                _n(-start),
                _n(c),
                _n(c),
                segment_title(tally.label, segment),
            )
        )
        start += length
    return mark_safe("".join(parts))


def _ring_centre(tally: Tally) -> SafeString:
    """The share done and "done/total" in the ring's middle; "no measures" when none."""
    c = RING_SIZE / 2
    if not tally.total:
        return format_html(
            '<text x="{}" y="{}" font-size="14" text-anchor="middle" fill="{}">ไม่มีมาตรการ</text>',
            _n(c),
            _n(c + 5),
            MUTED,
        )
    return format_html(
        '<text x="{}" y="{}" font-size="30" font-weight="700" text-anchor="middle" '
        'fill="{}">{}</text>'
        '<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="{}">{}</text>',
        _n(c),
        _n(c + 6),
        INK,
        tally.done_percent_text,
        _n(c),
        _n(c + 26),
        MUTED,
        f"เสร็จ {tally.done}/{tally.total}",
    )


def dashboard_charts(dashboard) -> dict:
    """Every chart of the dashboard page, keyed for the template."""
    return {
        "legend": legend(),
        "overall_ring": progress_ring(dashboard.overall, caption="ภาพรวมทั้งหน่วยงาน"),
        "tool_rings": [
            (group, progress_ring(group.tally, caption=f"เครื่องมือ {group.tool.code}"))
            for group in dashboard.tools
        ],
        "indicator_rows": [
            (group.tool, indicator, tally, stacked_bar(tally))
            for group in dashboard.tools
            for indicator, tally in group.indicators
        ],
        "division_bars": division_bars(
            [(row.tally, row.is_collective) for row in dashboard.divisions]
        ),
    }
