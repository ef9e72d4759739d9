"""Page breaks that leave every page of the PDF readable on its own.

A measure is one table row, laid out as the published original lays it out:
six columns that run on independently. WeasyPrint splits a row that does not fit
at the foot of a page and repeats the header row on the next page, but it
cannot know that a reader of the next page needs the measure's tool and
indicator again, nor that a measure should not start with its first column
alone. So the PDF is laid out, looked at, and laid out again:

- a row that continues on a page gets its tool and indicator, marked "(ต่อ)", at
  the top of its first column there (the hidden `.continued` label of
  reports/_document.html, shown once for each page it goes on to);
- the full-width row of a long result under its measure (`detail`) opens with
  that label when it starts at the top of a page, and a measure printed without
  its tool (another measure of the indicator above, as in the original) shows
  its tool there;
- a row whose first lines ("head" blocks: tool and indicator, divisions, first
  step, first monitoring line, deadline, first result line) do not all fit,
  whole, on the page where it starts moves to the next page (`page-start`),
  unless it already starts at the top of a page;
- the signatures never stand alone on the last page (the rule of Thai official
  letters: the signature page carries text of the document): the last step of
  the last measure goes over with them (`break-here`).

Each pass reads the laid-out pages and revises the plan until the layout
matches it: two or three layouts for most reports (moving a row shifts the rows
after it); a report that needs none of this is laid out once.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

# Beyond this the last layout is kept as it is: each pass costs a full layout.
MAX_PASSES = 5

_ROW_ID = re.compile(r"^measure-[0-9]+(-result)?$")
_CONTINUED = re.compile(r'<div class="target-label continued">.*?</div>', re.S)
# Where a detail row's first column starts; empty, it still lets the first
# continuation label break to the next page.
_LEAD = '<div class="lead"></div>'
# The tool line of a measure printed under another measure of the same indicator.
_REPEATED_TOOL = '<p class="line tool-line repeated">'
SIGN_OFFS = "sign-offs"


@dataclass(frozen=True)
class Plan:
    page_starts: frozenset[str] = frozenset()  # ids of rows that start a new page
    # (row id, how many pages it continues on to), in document order
    continuations: tuple[tuple[str, int], ...] = ()
    leads: frozenset[str] = frozenset()  # detail rows that open a page
    tools: frozenset[str] = frozenset()  # measure rows that open a page
    last_step_over: bool = False  # the last row's last step goes to the signatures' page


@dataclass
class RowLayout:
    first_page: int
    at_page_top: bool  # no row of the table is above it on its first page
    is_detail: bool  # the full-width row of a long result, under its measure
    last_content_page: int  # last page where a column other than the first has content
    head_pages: dict = field(default_factory=dict)  # head element -> pages it is on

    @property
    def head_whole(self) -> bool:
        """Every head block lies wholly on the row's first page."""
        return all(pages == {self.first_page} for pages in self.head_pages.values())


@dataclass
class Layout:
    rows: dict[str, RowLayout]  # by row id, in document order
    sign_offs_alone: bool  # the signatures are on a page without a row


def apply(html: str, plan: Plan) -> str:
    """The report's HTML with the plan's page starts and labels."""
    page_starts = set(plan.page_starts)
    if plan.last_step_over:
        html, moved_row = _last_step_over(html)
        if moved_row:
            page_starts.add(moved_row)
    for row_id in page_starts:
        html = html.replace(
            f'<tr id="{row_id}" class="measure">', f'<tr id="{row_id}" class="measure page-start">'
        )
    for row_id in plan.tools:
        start = html.index(f'<tr id="{row_id}"')
        tool = html.find(_REPEATED_TOOL, start, html.index("</tr>", start))
        if tool != -1:
            html = html[:tool] + '<p class="line tool-line">' + html[tool + len(_REPEATED_TOOL) :]
    for row_id in plan.leads:
        label = _label(html, row_id)
        lead = html.index(_LEAD, label.start() - len(_LEAD))
        opening = label[0].replace('"target-label continued"', '"target-label"')
        html = html[:lead] + opening + html[lead + len(_LEAD) :]
    for row_id, count in plan.continuations:
        label = _label(html, row_id)
        shown = label[0].replace('"target-label continued"', '"target-label continued shown"')
        html = html[: label.start()] + shown * count + html[label.end() :]
    return html


def _label(html: str, row_id: str) -> re.Match:
    """The row's hidden continuation label."""
    return _CONTINUED.search(html, html.index(f'<tr id="{row_id}"'))


def _last_step_over(html: str) -> tuple[str, str | None]:
    """Break before the last step (or result paragraph) of the table's last row;
    when that is the row's first step, the id of the row to move instead."""
    start = html.rindex('<tr id="measure-')
    row = html[start : html.index("</tr>", start)]
    row_id = row[len('<tr id="') : row.index('"', len('<tr id="'))]
    detail = ' class="measure detail"' in row
    marker = '<p class="line">' if detail else '<p class="step'
    at = row.rfind(marker)
    if at == -1:
        return html, None
    if not detail and row.find(marker) == at:
        return html, row_id
    at = start + at + len('<p class="line' if detail else marker)
    return html[:at] + " break-here" + html[at:], None


def _rows(box) -> Iterator[boxes.TableRowBox]:
    if isinstance(box, boxes.TableRowBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _rows(child)


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _has_content(cell) -> bool:
    return any(child.is_in_normal_flow() for child in cell.children)


def _classes(box) -> list[str]:
    return box.element.get("class", "").split() if box.element is not None else []


def read_layout(document) -> Layout:
    """Where each measure row of a rendered document lies."""
    rows: dict[str, RowLayout] = {}
    pages_with_rows, sign_offs_page = set(), None
    for number, page in enumerate(document.pages):
        first_on_page = True
        # WeasyPrint 70 keeps the laid-out boxes of a page here (pinned in
        # requirements.txt; reports/tests/test_paging.py fails if that changes).
        for box in _descendants(page._page_box):
            if box.element is not None and box.element.get("id") == SIGN_OFFS:
                sign_offs_page = number
        for row in _rows(page._page_box):
            row_id = row.element.get("id", "") if row.element is not None else ""
            if not _ROW_ID.match(row_id):
                continue  # the header row
            pages_with_rows.add(number)
            layout = rows.get(row_id)
            if layout is None:
                layout = rows[row_id] = RowLayout(
                    number, first_on_page, "detail" in _classes(row), number
                )
            first_on_page = False
            if any(_has_content(cell) for cell in row.children if cell.grid_x > 0):
                layout.last_content_page = number
            for box in _descendants(row):
                if "head" in _classes(box):
                    layout.head_pages.setdefault(box.element, set()).add(number)
    alone = sign_offs_page is not None and bool(rows) and sign_offs_page not in pages_with_rows
    return Layout(rows, alone)


def revise(plan: Plan, layout: Layout) -> Plan:
    page_starts = set(plan.page_starts)
    continuations, leads, tools = [], set(), set()
    for row_id, row in layout.rows.items():
        if row.at_page_top:
            (leads if row.is_detail else tools).add(row_id)
        if not row.head_whole and not row.at_page_top:
            page_starts.add(row_id)
        # A label for each page the row goes on to.
        if row.last_content_page > row.first_page:
            continuations.append((row_id, row.last_content_page - row.first_page))
    return Plan(
        frozenset(page_starts),
        tuple(continuations),
        frozenset(leads),
        frozenset(tools),
        plan.last_step_over or layout.sign_offs_alone,
    )


def render(html: str, layout_pass) -> object:
    """The document laid out by `layout_pass(html)` (a WeasyPrint render) until every
    page reads on its own (a revised plan that changes nothing in the HTML), or
    MAX_PASSES layouts."""
    plan, laid_out = Plan(), html
    document = layout_pass(html)
    for _ in range(MAX_PASSES - 1):
        plan = revise(plan, read_layout(document))
        revised = apply(html, plan)
        if revised == laid_out:
            break
        laid_out = revised
        document = layout_pass(revised)
    return document
