"""Page breaks that leave every page of the PDF readable on its own, decided while
WeasyPrint lays the report out, in its one layout.

A measure is one table row, laid out as the published original lays it out: six
columns that run on independently, and a long measure fills the page before it
continues on the next one. WeasyPrint repeats the header row on every page and
closes the table at every page foot (the empty footer row of reports/_document.html);
what it cannot know is what a reader of the next page needs. So, while it lays out
each cell of a measure row (`_cell_layout`, in place of WeasyPrint's
`block_container_layout` for table cells, only inside `paged()`):

- the first column shows one of the labels the template gives it: the tool and
  indicator (`head`); on each page a row continues on, the same marked "(ต่อ)"
  (`continued`); on the page that a measure printed without its tool (another
  measure of the indicator above, as in the original) opens, its tool too
  (`opening`); and the "(ต่อ)" label where the full-width row of a long result
  (`detail`) opens a page;
- a row that starts below another (or the table's first, below the intro) and does
  not fit goes to the next page whole, rather than break there, when what would stay
  is stranded: a column that has text shows none of it, the first step is not begun
  (a step up to `whole_chars` is kept whole; a longer one shows two lines at least),
  the tool and indicator are cut, or a long result's row would leave only its
  heading. The table's first row may so leave the intro alone on its page;
- the signatures never stand alone on the last page (the rule of Thai official
  letters: the signature page carries text of the document): the table's last row is
  tried first (`_leaves_room_for_sign_offs`), and when it would end on a page where
  the signatures, under it, do not fit, it is laid out short of them by their height
  (worked out from their styles), so that its last lines go over to their page.

Should the signatures still stand alone (their height worked out wrong: a name
that wraps), the report is laid out once more with their height as laid out
(reports.pdf.render.lay_out).

WeasyPrint 70 is pinned (requirements.txt): `_cell_layout` and `_table_layout`
stand in for its functions of those names in weasyprint.layout.block, with their
arguments, and do what they do outside `paged()`.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block
from weasyprint.layout.percent import resolve_percentages
from weasyprint.text.line_break import strut

_ROW_ID = re.compile(r"^measure-[0-9]+(-result)?$")
SIGN_OFFS = "sign-offs"
# Inside paged(): the report's signatures (an element, or None where it has none)
# and their height when it is known.
_PAGED = ContextVar("report_paging", default=False)
_weasyprint_cell_layout = block.block_container_layout
_weasyprint_table_layout = block.table_layout


@contextmanager
def paged(root, sign_offs_height: float | None = None) -> Iterator[None]:
    """The report whose parsed HTML is `root` (WeasyPrint's `etree_element`), laid
    out in this block, gets its labels and breaks; the signatures' height is worked
    out from their styles unless given (`sign_offs_height`, in CSS px)."""
    token = _PAGED.set((root.find(f".//div[@id='{SIGN_OFFS}']"), sign_offs_height))
    try:
        yield
    finally:
        _PAGED.reset(token)


def _classes(box) -> set[str]:
    return set(box.element.get("class", "").split()) if box.element is not None else set()


def _in_flow(box) -> bool:
    return any(child.is_in_normal_flow() for child in box.children)


class _RowState:
    """A measure row being laid out on one page: its cells so far."""

    def __init__(self, row_id: str, resumed: bool, opens_page: bool):
        self.row_id = row_id
        self.resumed = resumed  # it continues from the page before
        self.opens_page = opens_page  # the first row under the header on its page
        self.table_resumes = False  # the table continues from the page before
        self.table_at_top = False  # nothing above the table on this page
        self.laid_out = []  # (cell as given to WeasyPrint, laid-out cell, resume_at)
        self.decided = False  # its last cell is laid out
        self.room_for_sign_offs = True  # or the row is laid out leaving them room


def _table_layout(context, table, bottom_space, skip_stack, containing_block, page_is_empty, *args):
    paging = _PAGED.get()
    if paging is not False:
        sign_offs, sign_offs_height = paging
        if not hasattr(context, "report_rows"):
            rows = [row for row in table.element.iter("tr") if _ROW_ID.match(row.get("id", ""))]
            # Each cell's row, by element: ElementTree elements know no parent.
            context.report_rows = {cell: row for row in rows for cell in row}
            context.report_last_row = rows[-1] if rows else None
            if sign_offs_height is None and sign_offs is not None:
                sign_offs_height = _sign_offs_height(context, sign_offs)
            context.report_sign_offs = sign_offs_height or 0
        context.report_table = table
        context.report_table_resumes = skip_stack is not None
        # Nothing above the table on this page: its first row cannot go to the next.
        context.report_table_at_top = page_is_empty or skip_stack is not None
        context.report_page_opener, context.report_opener_skips = _page_opener(table, skip_stack)
    return _weasyprint_table_layout(
        context, table, bottom_space, skip_stack, containing_block, page_is_empty, *args
    )


def _sign_offs_height(context, element) -> float:
    """The signatures' height, from their styles: one line for each paragraph."""

    def lines(paragraph) -> float:
        style = context.style_for(paragraph)
        return strut(style)[0] + style["margin_top"].value + style["margin_bottom"].value

    style = context.style_for(element)
    columns = [sum(lines(paragraph) for paragraph in column.iter("p")) for column in element]
    return style["margin_top"].value + max(columns, default=0)


def _page_opener(table, skip_stack) -> tuple:
    """The element of the first row the table lays out on this page (where it
    resumes, or its first), and where each of its cells resumes (WeasyPrint's skip
    stacks), if it resumes."""
    if not skip_stack:
        body = [group for group in table.children if not (group.is_header or group.is_footer)]
        rows = body[0].children if body else []
        return (rows[0].element if rows else None), None
    ((group_index, group_skip),) = skip_stack.items()
    rows = table.children[group_index].children
    ((row_index, cell_skips),) = group_skip.items() if group_skip else ((0, None),)
    return (rows[row_index].element if row_index < len(rows) else None), cell_skips


def _cell_layout(context, box, bottom_space, skip_stack, *args, **kwargs):
    row = None
    if _PAGED.get() is not False and isinstance(box, boxes.TableCellBox):
        row = getattr(context, "report_rows", {}).get(box.element)
    if row is None:
        return _weasyprint_cell_layout(context, box, bottom_space, skip_stack, *args, **kwargs)
    cells = list(row)
    index = cells.index(box.element)
    state = getattr(context, "report_row", None)
    if index == 0 and box.children:
        state = context.report_row = _RowState(
            row.get("id"), skip_stack is not None, row is context.report_page_opener
        )
        state.table_resumes = context.report_table_resumes
        state.table_at_top = context.report_table_at_top
    elif (
        state is None
        or state.decided
        or state.row_id != row.get("id")
        or (not box.children and index < len(cells) - 1)
    ):
        # WeasyPrint's empty stand-in for a cell that did not fit, or for a row given
        # up below: nothing to decide on.
        return _weasyprint_cell_layout(context, box, bottom_space, skip_stack, *args, **kwargs)
    if index == 0 and row is context.report_last_row:
        state.room_for_sign_offs = _leaves_room_for_sign_offs(
            context,
            box.copy_with_children(_labels(box)[_label(_labels(box), state)]),
            bottom_space,
        )
    if not state.room_for_sign_offs:
        # The last row ends on this page, where the signatures would not fit under
        # it: its last lines go over to their page, so they never stand alone.
        bottom_space += context.report_sign_offs
    if index == 0:
        result = _first_cell_layout(context, box, bottom_space, state, *args, **kwargs)
    else:
        result = _weasyprint_cell_layout(context, box, bottom_space, skip_stack, *args, **kwargs)
    state.laid_out.append((box, result[0], result[1]))
    if index < len(cells) - 1:
        return result
    state.decided = True
    if _stranded(state):
        # Nothing of the row stays on this page: WeasyPrint gives up a row whose
        # cells are all empty, and lays it out on the next page.
        for _, laid_out, _ in state.laid_out[:-1]:
            if laid_out is not None:
                laid_out.empty = True
        return None, None, {"break": "any", "page": None}, [], False, None
    return result


def _leaves_room_for_sign_offs(context, first_cell, bottom_space) -> bool:
    """The table's last row (its first cell laid out by WeasyPrint next, with its
    label) either goes on to the next page or leaves the signatures room under it:
    its cells tried here as WeasyPrint's table layout places them."""
    table = context.report_table
    row_box = _row_box(table, context.report_last_row)
    skips = context.report_opener_skips if context.report_page_opener is row_box.element else None
    bottom = first_cell.position_y
    for cell in row_box.children:
        if cell.element is first_cell.element:
            trial, skip = first_cell, None
        else:
            trial, skip = _placed_like(cell, first_cell, table), None
            if skips is not None:
                skip = skips.get(cell.grid_x, {len(cell.children): None})
        laid_out, resume_at, *_ = _weasyprint_cell_layout(
            context,
            trial,
            bottom_space,
            skip,
            page_is_empty=False,
            absolute_boxes=[],
            fixed_boxes=[],
            adjoining_margins=None,
            first_letter_style=None,
            first_line_style=None,
            discard=False,
            max_lines=None,
        )
        if laid_out is None or resume_at:
            return True  # the row goes on to the next page: the signatures with it
        bottom = max(bottom, laid_out.position_y + laid_out.border_height())
    return not context.overflows_page(bottom_space + context.report_sign_offs, bottom)


def _row_box(table, element):
    return next(row for group in table.children for row in group.children if row.element is element)


def _placed_like(cell, first_cell, table):
    """A copy of `cell` placed in its column beside `first_cell`, as WeasyPrint's
    table layout (group_layout) places each cell of a row."""
    cell = cell.copy_with_children(cell.children)
    resolve_percentages(cell, containing_block=table)
    cell.position_x = table.column_positions[cell.grid_x]
    cell.position_y = first_cell.position_y
    cell.margin_top = cell.margin_left = cell.width = 0
    padding_and_borders = cell.border_width()
    cell.width = sum(table.column_widths[cell.grid_x :][: cell.colspan]) - padding_and_borders
    cell.computed_height, cell.height = cell.height, "auto"
    return cell


def _labels(cell) -> dict:
    """The first column's labels (the template's `head` or `lead`, `continued`,
    `opening`, `short`), each as a list of the one box."""
    return {name: [child] for child in cell.children for name in _classes(child)}


def _label(labels: dict, state: _RowState) -> str:
    """Which of the first column's labels this page shows."""
    if state.resumed:
        return "continued"
    if state.opens_page and state.table_resumes and "opening" in labels:
        return "opening"
    if state.opens_page and state.table_resumes and state.row_id.endswith("-result"):
        return "continued"
    return "head" if "head" in labels else "lead"


def _first_cell_layout(context, cell, bottom_space, state: _RowState, *args, **kwargs):
    """The first column, showing the label this page needs. A "(ต่อ)" label taller
    than half the page's room (a long indicator) gives way to the short one (the
    tool and "(ต่อ)"); and a label on a page the row continues on is cut at the page
    foot rather than continued, which would open the next page with it again, and so
    on without end."""
    labels = _labels(cell)
    name = _label(labels, state)

    def laid_out(name: str):
        box = cell.copy_with_children(labels.get(name, []))
        return _weasyprint_cell_layout(context, box, bottom_space, None, *args, **kwargs)

    result = laid_out(name)
    if name == "continued" and "short" in labels:
        room = context.page_bottom - bottom_space - cell.position_y
        if result[0] is None or result[1] is not None or result[0].height > room / 2:
            result = laid_out("short")
    if state.resumed and result[1] is not None:
        result = (result[0], None, *result[2:])
    return result


def _stranded(state: _RowState) -> bool:
    """The row starts below other content on this page (another row, or the intro
    above the table) and what would stay of it here does not read on its own. (At
    the top of a page it stays: on the next it would be at the top again.)"""
    if state.resumed or (state.opens_page and state.table_at_top):
        return False
    if all(laid_out is not None and not resume_at for _, laid_out, resume_at in state.laid_out):
        return False  # the whole row fits
    for cell, laid_out, resume_at in state.laid_out:
        if _in_flow(cell) and (laid_out is None or not _in_flow(laid_out)):
            return True  # a column with text shows none of it
        if not resume_at:
            continue
        (first_left, inside), *_ = resume_at.items()
        classes = _classes(cell)
        if "target" in classes:
            return True  # the tool and indicator are cut
        if "steps" in classes and first_left == 0 and not inside:
            return True  # the first step is not begun (a step kept whole, or too short)
        if "result-detail" in classes and (first_left == 0 or (first_left == 1 and not inside)):
            return True  # a long result's heading alone
    return False


block.block_container_layout = _cell_layout
block.table_layout = _table_layout


# --- The signatures' company -----------------------------------------------------------


def _descendants(box) -> Iterator:
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", ()))


def sign_offs_alone(document) -> float | None:
    """The signatures' height (CSS px) where they are on a page that has no row of
    the table; None where they are not."""
    rows_pages, sign_offs, sign_offs_page = set(), None, None
    for number, page in enumerate(document.pages):
        for box in _descendants(page._page_box):
            element_id = box.element.get("id", "") if box.element is not None else ""
            if element_id == SIGN_OFFS and sign_offs is None:
                sign_offs, sign_offs_page = box, number
            elif isinstance(box, boxes.TableRowBox) and _ROW_ID.match(element_id):
                rows_pages.add(number)
    if sign_offs is None or not rows_pages or sign_offs_page in rows_pages:
        return None
    return sign_offs.margin_height()
