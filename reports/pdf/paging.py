"""Page breaks that leave every page of the PDF readable on its own.

A measure is one table row, laid out as the published original lays it out:
six columns that run on independently. WeasyPrint splits a row that does not fit
at the foot of a page and repeats the header row on the next page, but it
cannot know that a reader of the next page needs the measure's tool and
indicator again, nor that a measure should not start with its first column
alone. So the PDF is laid out, looked at, and laid out again:

1. The first layout measures each row and its steps. A measure up to half a
   page is kept whole (`keep`): it goes to the next page when the rest of this
   one is too short. A longer one is cut in two rows that print as one (no
   border between them): its head, kept whole — the tool and indicator, the
   divisions, the monitoring lines, the deadline, the result, and its first
   steps, as many as the head's tallest other cell is high, so that the steps
   run on without a gap — and the rest of its steps (`rest`), which flow across
   pages. (A measure whose head is higher than a page, or that has nothing to
   cut, starts a page instead: a row that may not break but cannot fit makes
   WeasyPrint drop the header row of that page.)
2. The next layouts add, where a row continues on another page, its tool and
   indicator marked "(ต่อ)" at the top of its first column there (the hidden
   `.continued` label of reports/_document.html, once for each page it goes on
   to); the same label where the rest of a measure, or the full-width row of a
   long result (`detail`), opens a page; the tool of a measure printed without
   it (another measure of the indicator above, as in the original) when the
   measure opens a page; and make sure the signatures never stand alone on the
   last page (the rule of Thai official letters: the signature page carries
   text of the document).

Labels only ever get added while a row starts where it started before, so the
layouts settle: three for most reports, one for a report that needs none of it.
Where a label would open a page that the row's content does not reach (its last
lines fit the page before only because the label split the row there), the
block that ends last goes over to that page instead (`break-here`).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from weasyprint.formatting_structure import boxes

# Beyond this the last layout is kept as it is: each pass costs a full layout.
MAX_PASSES = 5
# A measure up to this share of a page's room under the header row is kept whole.
KEEP_WHOLE_SHARE = 0.5
# A head up to this share of the room is kept whole (the rest would not fit).
HEAD_SHARE = 0.92

_ROW_ID = re.compile(r"^measure-[0-9]+(-rest|-result)?$")
_CONTINUED = re.compile(r'<div class="target-label continued">.*?</div>', re.S)
# Where the first column of a rest or detail row starts; empty, it still lets the
# first continuation label break to the next page.
_LEAD = '<div class="lead"></div>'
# The tool line of a measure printed under another measure of the same indicator.
_REPEATED_TOOL = '<p class="line tool-line repeated">'
_STEP = '<p class="step'
# The cells of a row, by grid position (reports/_document.html).
_CELLS = {1: "divisions", 2: "steps", 3: "monitoring", 4: "deadline", 5: "result"}
_STEPS = 2
_DETAIL_CELL = "result-detail"
SIGN_OFFS = "sign-offs"


@dataclass(frozen=True)
class RowPlan:
    keep: bool = False  # kept whole on one page
    page_start: bool = False  # starts a new page
    split_at: int = 0  # the head keeps this many steps, the rest row has the others
    start: tuple = ()  # (page, y) where the row started when the labels were counted
    continuations: int = 0  # pages the row goes on to, each opening with a label
    opening_label: bool = False  # the label of a rest or detail row, or a tool, on top
    last_block_over: int | None = None  # cell whose last block goes to the next page


@dataclass(frozen=True)
class Plan:
    rows: tuple[tuple[str, RowPlan], ...] = ()  # by row id, in document order
    last_step_over: bool = False  # the last row's last step goes to the signatures' page


@dataclass
class RowLayout:
    first_page: int
    start_y: float
    at_page_top: bool  # no row of the table is above it on its first page
    last_content_page: int  # last page where a cell other than the first has content
    cell_pages: dict = field(default_factory=dict)  # grid x -> last page it has content on
    # grid x -> the height of its content on all pages together
    cell_heights: dict = field(default_factory=dict)
    step_heights: dict = field(default_factory=dict)  # step element -> its height, items too
    last_step: object = None  # the step element read last (its items follow it)
    padding: float = 0  # a cell's padding, top and bottom

    @property
    def height(self) -> float:
        """The row's height on one page tall enough for it."""
        return max(self.cell_heights.values(), default=0) + self.padding


@dataclass
class Layout:
    rows: dict[str, RowLayout]  # by row id, in document order
    sign_offs_alone: bool  # the signatures are on a page without a row
    room: float  # the height a page has for rows under the header row


# --- The plan into HTML --------------------------------------------------------------


def apply(html: str, plan: Plan) -> str:
    """The report's HTML with the plan's rows, classes and labels."""
    rows = dict(plan.rows)
    for row_id, row in rows.items():
        if row.split_at:
            html = _split(html, row_id, row.split_at)
    if plan.last_step_over:
        html, moved_row = _last_step_over(html, rows)
        if moved_row:
            rows[moved_row] = replace(rows.get(moved_row, RowPlan()), page_start=True)
    for row_id, row in rows.items():
        classes = " keep" * row.keep + " page-start" * row.page_start
        if classes:
            html = html.replace(
                f'<tr id="{row_id}" class="measure', f'<tr id="{row_id}" class="measure{classes}'
            )
        if row.last_block_over is not None:
            html = _last_block_over(html, row_id, row.last_block_over)
        if row.opening_label:
            html = _opening_label(html, row_id)
        if row.continuations:
            label = _label(html, row_id)
            shown = label[0].replace('"target-label continued"', '"target-label continued shown"')
            html = html[: label.start()] + shown * row.continuations + html[label.end() :]
    return html


def _row_span(html: str, row_id: str) -> tuple[int, int]:
    start = html.index(f'<tr id="{row_id}"')
    return start, html.index("</tr>", start)


def _label(html: str, row_id: str) -> re.Match:
    """The row's hidden continuation label."""
    return _CONTINUED.search(html, _row_span(html, row_id)[0])


def _split(html: str, row_id: str, keep_steps: int) -> str:
    """The measure's row cut after its first `keep_steps` steps; the other steps go
    to a rest row under it that prints as part of it."""
    start, end = _row_span(html, row_id)
    cell = html.index('<td class="steps">', start, end) + len('<td class="steps">')
    cell_end = html.index("</td>", cell)
    steps = [m.start() for m in re.finditer(re.escape(_STEP), html[cell:cell_end])]
    if keep_steps >= len(steps):
        return html
    cut = cell + steps[keep_steps]
    label = _label(html, row_id)[0]
    rest = (
        f'</tr>\n<tr id="{row_id}-rest" class="measure rest">'
        f'<td class="target">{_LEAD}{label}</td><td class="divisions"></td>'
        f'<td class="steps">{html[cut:cell_end]}</td><td class="monitoring"></td>'
        '<td class="deadline"></td><td class="result"></td>'
    )
    html = html[:cut] + html[cell_end:end] + rest + html[end:]
    mark = f'<tr id="{row_id}" class="measure'
    return html.replace(mark, f"{mark} split", 1)


def _opening_label(html: str, row_id: str) -> str:
    """A measure's tool line, or the label of a rest or detail row, at its top."""
    start, end = _row_span(html, row_id)
    tool = html.find(_REPEATED_TOOL, start, end)
    if tool != -1:
        return html[:tool] + '<p class="line tool-line">' + html[tool + len(_REPEATED_TOOL) :]
    lead = html.find(_LEAD, start, end)
    if lead == -1:
        return html
    opening = _label(html, row_id)[0].replace('"target-label continued"', '"target-label"')
    return html[:lead] + opening + html[lead + len(_LEAD) :]


def _break_before(html: str, at: int) -> str:
    """`html` with a page break before the block whose `<p class="` starts at `at`."""
    at += len('<p class="')
    return html[:at] + "break-here " + html[at:]


def _last_block_over(html: str, row_id: str, grid_x: int) -> str:
    start, end = _row_span(html, row_id)
    name = _DETAIL_CELL if row_id.endswith("-result") else _CELLS[grid_x]
    cell = html.find(f'<td class="{name}"', start, end)
    if cell == -1:
        return html
    block = html.rfind('<p class="', cell, html.index("</td>", cell))
    return html if block == -1 else _break_before(html, block)


def _last_step_over(html: str, rows: dict) -> tuple[str, str | None]:
    """Break before the last step (or result paragraph) of the table's last row;
    the id of the row to move instead when it is kept whole or has one step."""
    start = html.rindex('<tr id="measure-')
    row = html[start : html.index("</tr>", start)]
    row_id = row[len('<tr id="') : row.index('"', len('<tr id="'))]
    marker = '<p class="line">' if row_id.endswith("-result") else _STEP
    at = row.rfind(marker)
    if at == -1:
        return html, None
    if marker == _STEP and (rows.get(row_id, RowPlan()).keep or row.find(marker) == at):
        return html, row_id
    return _break_before(html, start + at), None


# --- The layout read back ------------------------------------------------------------


def _rows(box) -> Iterator[boxes.TableRowBox]:
    """The table's rows, header rows included, its empty footer row left out."""
    if isinstance(box, boxes.TableRowBox):
        yield box
        return
    if isinstance(box, boxes.TableRowGroupBox) and box.is_footer:
        return
    for child in getattr(box, "children", ()):
        yield from _rows(child)


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _in_flow(cell) -> list:
    return [child for child in cell.children if child.is_in_normal_flow()]


def _classes(box) -> list[str]:
    return box.element.get("class", "").split() if box.element is not None else []


def read_layout(document) -> Layout:
    """Where each measure row of a laid-out document lies, and how tall it is."""
    rows: dict[str, RowLayout] = {}
    pages_with_rows, sign_offs_page, room = set(), None, None
    for number, page_box in enumerate(document.page_boxes):
        first_on_page = True
        for box in _descendants(page_box):
            if box.element is not None and box.element.get("id") == SIGN_OFFS:
                sign_offs_page = number
        for row in _rows(page_box):
            row_id = row.element.get("id", "") if row.element is not None else ""
            if not _ROW_ID.match(row_id):
                # The header row: what is under it is the page's room for rows.
                below = page_box.content_box_y() + page_box.height - row.position_y - row.height
                room = below if room is None else min(room, below)
                continue
            pages_with_rows.add(number)
            layout = rows.get(row_id)
            if layout is None:
                layout = rows[row_id] = RowLayout(
                    number, round(row.position_y, 2), first_on_page, number
                )
            first_on_page = False
            for cell in row.children:
                content = _in_flow(cell)
                if cell.grid_x > 0 and content:
                    layout.last_content_page = number
                    layout.cell_pages[cell.grid_x] = number
                layout.padding = cell.padding_top * 2
                layout.cell_heights[cell.grid_x] = layout.cell_heights.get(cell.grid_x, 0) + sum(
                    child.margin_height() for child in content
                )
                if cell.grid_x == _STEPS:
                    for child in content:
                        if "step" in _classes(child):
                            layout.last_step = child.element
                        if layout.last_step is not None:
                            layout.step_heights[layout.last_step] = (
                                layout.step_heights.get(layout.last_step, 0) + child.margin_height()
                            )
    alone = sign_offs_page is not None and bool(rows) and sign_offs_page not in pages_with_rows
    return Layout(rows, alone, room or 0)


# --- The plan from the layout --------------------------------------------------------


def _first_plan(row_id: str, row: RowLayout, room: float) -> RowPlan:
    """How to lay out a measure, from its heights in the first layout."""
    if row_id.endswith("-result"):
        return RowPlan(keep=row.height <= room * HEAD_SHARE)
    if row.last_content_page == row.first_page and row.height <= room * KEEP_WHOLE_SHARE:
        return RowPlan(keep=True)
    others = max((height for x, height in row.cell_heights.items() if x != _STEPS), default=0)
    head, kept = 0.0, 0
    for height in row.step_heights.values():
        if head >= others:
            break
        head += height
        kept += 1
    if kept < len(row.step_heights) and max(head, others) + row.padding <= room * HEAD_SHARE:
        return RowPlan(keep=True, split_at=max(kept, 1))
    if row.height <= room * HEAD_SHARE:
        return RowPlan(keep=True)
    return RowPlan(page_start=True)


def classify(layout: Layout) -> Plan:
    return Plan(
        tuple(
            (row_id, _first_plan(row_id, row, layout.room)) for row_id, row in layout.rows.items()
        )
    )


def _revise_row(before: RowPlan, row: RowLayout) -> RowPlan:
    start = (row.first_page, row.start_y)
    if before.start != start:
        # A new start: labels counted for the old one tell nothing.
        before = RowPlan(before.keep, before.page_start, before.split_at, start)
    continuations = row.last_content_page - row.first_page
    last_block_over = before.last_block_over
    if continuations < before.continuations and last_block_over is None:
        # The last label would open a page without content: send the block that
        # ends last to it.
        last = max(row.cell_pages.values(), default=row.first_page)
        last_block_over = min(x for x, page in row.cell_pages.items() if page == last)
    return replace(
        before,
        continuations=max(continuations, before.continuations),
        opening_label=before.opening_label or row.at_page_top,
        last_block_over=last_block_over,
    )


def revise(plan: Plan, layout: Layout) -> Plan:
    before = dict(plan.rows)
    return Plan(
        tuple(
            (row_id, _revise_row(before.get(row_id, RowPlan()), row))
            for row_id, row in layout.rows.items()
        ),
        plan.last_step_over or layout.sign_offs_alone,
    )


def _whole_already(html: str, layout: Layout) -> bool:
    """The first layout needs nothing: no row breaks across pages, no row that
    opens a page lacks its tool, and the signatures have company."""
    if layout.sign_offs_alone:
        return False
    if any(row.last_content_page > row.first_page for row in layout.rows.values()):
        return False
    return apply(html, revise(Plan(), layout)) == html


def render(html: str, layout_pass) -> object:
    """The document laid out by `layout_pass(html)` (reports.pdf.Layouts.lay_out: its
    `page_boxes` are WeasyPrint's laid-out pages) until every page reads on its own
    (a revised plan that changes nothing in the HTML), or MAX_PASSES layouts."""
    document = layout_pass(html)
    layout = read_layout(document)
    if _whole_already(html, layout):
        return document
    plan = classify(layout)
    laid_out = apply(html, plan)
    for _ in range(MAX_PASSES - 1):
        # Its boxes go before the next layout makes as many (but for the pages the
        # layout pass takes from it).
        del document
        document = layout_pass(laid_out)
        plan = revise(plan, read_layout(document))
        revised = apply(html, plan)
        if revised == laid_out:
            break
        laid_out = revised
    return document
