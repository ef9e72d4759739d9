"""Render a report document to PDF with WeasyPrint, using only the shipped fonts.

reports.pdf.paging lays a report out several times, each time with a few more labels
and classes (2 to 5 layouts). What keeps that cheap (docs/benchmarks.md):

- a layout that reports.pdf.paging only reads is left unfinished: the page numbers,
  backgrounds and links are made for the last one only (`Layout.document`);
- a layout re-makes only the pages the changes since the layout before can reach
  (`_pages_to_remake`), and takes the other pages from it as they are. WeasyPrint
  makes each page from where the page before ended (its `page_maker`), so a page
  whose rows did not change, and that starts where it started before, comes out
  the same; WeasyPrint's own loop re-makes the pages after a re-made page for as
  long as they start elsewhere than before;
- when only some rows changed, only those are parsed, styled and made into boxes,
  and they take the place of the old ones in the box tree (`_build_changed`);
- the objects older than the render are left out of the collections between
  layouts (`_older_objects_frozen`).

All of it goes through WeasyPrint's functions below `HTML.render()`, as its
`Document._render` and `layout_document` call them (WeasyPrint 70, pinned in
requirements.txt). The PDF is the same, byte for byte, as WeasyPrint's own render
of the last HTML: reports/tests/test_paging.py compares them.
"""

import copy
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, DEFAULT_OPTIONS, HTML, Document
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import initialize_page_maker, layout_fixed_boxes
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import (
    make_all_pages,
    make_margin_boxes,
    set_page_type_computed_styles,
)
from weasyprint.layout.table import collapse_table_borders
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration

from reports.document import NOT_REPORTED, ReportDocument, draft_mark
from reports.pdf import paging

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report.css"
# WeasyPrint's own bound on layouts for page-based counters (layout_document).
_MAX_LOOPS = 8
# Where a measure row (or the rest or result row of one) starts in the HTML.
_ROW_START = re.compile(r'<tr id="(measure-[0-9]+(?:-rest|-result)?)"')
_ROW_ID = re.compile(r"^measure-[0-9]+(?:-rest|-result)?$")


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """WeasyPrint builds hundreds of thousands of boxes that live until the end
    of the render; the cyclic collector rescanning them costs about a tenth of
    the time (docs/benchmarks.md). Reference counting still frees the rest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def report_html(doc: ReportDocument, drafted_at: datetime | None = None) -> str:
    """The HTML that WeasyPrint lays out: with the stylesheet and the fonts, all that
    the PDF is made from (reports.pdf.drafts hashes it). A draft's (`drafted_at`: when
    it is made) says so on every page, with that time."""
    mark = draft_mark(drafted_at, doc.thai_digits) if drafted_at else ""
    return render_to_string(
        "reports/report_pdf.html", {"doc": doc, "not_reported": NOT_REPORTED, "draft_mark": mark}
    )


def render_pdf(doc: ReportDocument, drafted_at: datetime | None = None) -> bytes:
    return html_to_pdf(report_html(doc, drafted_at))


def html_to_pdf(html: str, layouts: "Layouts | None" = None) -> bytes:
    """The PDF of the report's HTML; `layouts` counts the layouts it took."""
    with _older_objects_frozen():
        layouts = layouts or Layouts()
        final = paging.render(html, layouts.lay_out)
        with _garbage_collection_paused():
            return final.document().write_pdf()


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """The objects that were there before the render (Django, the loaded modules)
    left out of the collections between layouts: each collection then looks at the
    layouts' boxes only (docs/benchmarks.md). Garbage is collected first: frozen, it
    would stay for the render, and a render's garbage is all cycles (boxes, styles).

    The first render of a process collects and freezes; the objects stay frozen for
    the life of the process (a worker child lives CELERY_WORKER_MAX_TASKS_PER_CHILD
    jobs): a full collection of Django's objects before every render cost a tenth of
    the seed's render (0.14 s). What a render leaves is younger than the freeze and is
    collected as usual; an object alive at the freeze that later dies is still freed
    by its reference count, unless it is in a cycle (a few objects, once)."""
    if not gc.get_freeze_count():
        # Nobody froze objects before (a server may, before forking).
        gc.collect()
        gc.freeze()
    yield


# --- The HTML in parts ---------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """The HTML cut before each measure row: what comes before the first row,
    each row (with what follows it up to the next), by row id."""

    head: str
    rows: tuple[tuple[str, str], ...]
    tail: str  # from the end of the table body on

    @classmethod
    def of(cls, html: str) -> "_Parts":
        starts = list(_ROW_START.finditer(html))
        if not starts:
            return cls(html, (), "")
        end = html.find("</tbody>", starts[-1].start())
        end = len(html) if end == -1 else end
        ends = [match.start() for match in starts[1:]] + [end]
        return cls(
            html[: starts[0].start()],
            tuple(
                (match.group(1), html[match.start() : row_end])
                for match, row_end in zip(starts, ends, strict=True)
            ),
            html[end:],
        )


def _row_ids(page_box) -> Iterator[str]:
    """The ids of the measure rows with a part on the page, the header row left out."""
    stack = [page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableRowBox):
            row_id = box.element.get("id", "") if box.element is not None else ""
            if row_id:
                yield row_id
        elif isinstance(box, boxes.ParentBox):
            stack.extend(box.children)


def _collapsed_borders(root_box) -> list:
    """The border grid of each table of the box tree, before layout."""
    grids, stack = [], [root_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableBox):
            grids.append(getattr(box, "collapsed_border_grid", None))
        elif isinstance(box, boxes.ParentBox):
            stack.extend(reversed(box.children))
    return grids


# --- Layouts -------------------------------------------------------------------------


@dataclass
class Layout:
    """One layout of the report's HTML: its pages as WeasyPrint laid them out,
    before the margin boxes (page numbers) and backgrounds are added."""

    html: HTML  # what WeasyPrint parsed: the whole HTML, or the changed rows
    parts: _Parts  # the whole HTML
    borders: list  # the collapsed borders of each table, as WeasyPrint resolved them
    context: object  # weasyprint.layout.LayoutContext
    options: dict
    root_box: object  # the box tree before layout
    page_boxes: list
    row_pages: dict  # row id -> (first page, last page) it has a part on
    remade: int  # pages laid out anew, the others taken from the layout before

    def document(self) -> Document:
        """The finished WeasyPrint document: the end of WeasyPrint's layout_document
        and Document._render."""
        context, html, pages = self.context, self.html, self.page_boxes
        for page in pages:
            if context.style_for(page.page_type) is None:
                # A page taken from an earlier layout has its page type's styles there.
                set_page_type_computed_styles(page.page_type, html, context.style_for)
        _bookmarks_and_strings(context, pages)
        for number, page in enumerate(pages, start=1):
            root, footnote_area, note_area = page.children
            root.children = [
                *layout_fixed_boxes(context, pages[: number - 1], page),
                *root.children,
                *layout_fixed_boxes(context, pages[number:], page),
            ]
            context.current_page = number
            state = context.page_maker[number][3]
            children = [root]
            if footnote_area.children:
                children.append(footnote_area)
            if note_area.children:
                children.append(note_area)
            children.extend(make_margin_boxes(context, page, state))
            page.children = tuple(children)
            layout_backgrounds(page, context.get_image_from_uri)
        document = Document(
            [Page(page) for page in self.page_boxes],
            DocumentMetadata(**get_html_metadata(html)),
            html.url_fetcher,
            context.font_config,
            {},
            self.options["output_intent"],
        )
        document._html = html
        return document


def _bookmarks_and_strings(context, pages) -> None:
    """WeasyPrint's layout_document once the pages are made: one bookmark for each
    element, page-based counters in bookmarks, string-sets collected."""
    watched = {"": [], "::before": [], "::after": []}
    for number, page in enumerate(pages):
        counter_values = context.page_maker[number + 1][3][1]
        for child in page.descendants():
            if child.bookmark_label:
                tag = child.element_tag
                pseudo = next((p for p in ("::before", "::after") if tag.endswith(p)), "")
                if child.element in watched[pseudo]:
                    child.bookmark_label = ""
                else:
                    watched[pseudo].append(child.element)
            if child.missing_link:
                for (box, css_token), item in context.target_collector.counter_lookup_items.items():
                    if child.missing_link == box and css_token != "content":
                        if css_token == "bookmark-label" and not child.bookmark_label:
                            continue
                        item.parse_again(counter_values)
                        if css_token == "bookmark-label":
                            child.bookmark_label = box.bookmark_label
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for name, text in string_sets:
                    context.string_set[name][number + 1].append(text)


class Layouts:
    """The successive layouts of one report (`lay_out` is reports.pdf.paging's layout
    pass), sharing the fonts and the stylesheet."""

    def __init__(self):
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(filename=str(STYLESHEET), font_config=self.fonts, media_type="print")
        self.last: Layout | None = None
        self.count = 0
        self.made: list[int] = []  # the pages each layout laid out anew

    def lay_out(self, text: str) -> Layout:
        parts = _Parts.of(text)
        before, self.last, remake = self.last, None, None
        if before is not None and not _same_rows(before.parts, parts):
            before = None  # nothing to take from it
        if before is not None:
            remake = _pages_to_remake(before, parts)
            # The pages to re-make go now, with the garbage below.
            if remake is None:
                before.page_boxes = []
            for number in remake or ():
                before.page_boxes[number] = None
        if self.count:
            # What this layout does not take from the ones before is garbage by now,
            # and so is what WeasyPrint laid out and dropped (rows that went over to
            # the next page): it goes before this layout makes as much.
            gc.collect()
        self.count += 1
        with _garbage_collection_paused():
            self.last = self._lay_out(text, parts, before, remake)
        self.made.append(self.last.remade)
        return self.last

    def _build(self, text: str) -> tuple:
        """WeasyPrint's HTML, layout context and box tree (before layout) of `text`."""
        html = HTML(string=text, base_url=str(STYLESHEET.parent), media_type="print")
        options = {**DEFAULT_OPTIONS, "stylesheets": [self.stylesheet]}
        counter_style = CounterStyle()
        context = Document._build_layout_context(html, self.fonts, counter_style, {}, options)
        root_box = build_formatting_structure(
            html.etree_element,
            context.style_for,
            context.get_image_from_uri,
            html.base_url,
            context.target_collector,
            counter_style,
            context.footnotes,
        )
        return html, context, options, root_box

    def _lay_out(
        self, text: str, parts: _Parts, before: Layout | None, remake: set[int] | None
    ) -> Layout:
        changed = _changed_rows(before, parts) if before is not None else None
        if changed:
            html, context, options, root_box = self._build_changed(before, parts, changed)
        else:
            html, context, options, root_box = self._build(text)
        borders = _collapsed_borders(root_box)
        initialize_page_maker(context, root_box)
        pages = []
        if remake is not None and borders != before.borders:
            # A changed row's borders are the rows' around it too (WeasyPrint resolves
            # them for the whole table): the pages with those rows change as well.
            remake = None
        if remake is not None:
            # WeasyPrint re-makes a page whose page_maker entry says its content
            # changed, and the pages after it as long as they start elsewhere.
            pages = list(before.page_boxes)
            context.page_maker = [
                (*entry[:-1], {**entry[-1], "content_changed": number in remake})
                for number, entry in enumerate(copy.deepcopy(before.context.page_maker))
            ]
            context.style_for.initial_page_sizes.update(before.context.style_for.initial_page_sizes)
        remade, total = 0, 0
        for _ in range(_MAX_LOOPS):
            # WeasyPrint's layout_document, up to the pages made.
            before_total, kept = total, set(map(id, pages))
            pages = list(make_all_pages(context, root_box, html, pages))
            total = len(pages)
            remade += sum(id(page) not in kept for page in pages)
            changed = wanted = False
            for _, _, _, page_state, remake_state in context.page_maker:
                page_state[1]["pages"] = [total]
                changed = changed or remake_state["content_changed"]
                if remake_state["pages_wanted"]:
                    wanted = before_total != total
            if not changed and not wanted:
                break
        row_pages = {}
        for number, page in enumerate(pages):
            for row_id in _row_ids(page):
                first, _ = row_pages.get(row_id, (number, number))
                row_pages[row_id] = (first, number)
        return Layout(html, parts, borders, context, options, root_box, pages, row_pages, remade)

    def _build_changed(self, before: Layout, parts: _Parts, changed: list[int]) -> tuple:
        """`_build` of the HTML whose rows `changed` (indexes) differ from those of the
        layout before: only the changed rows are parsed, styled and made into boxes
        (in a document of their own, with the same head and tail), and they take the
        place of the old ones in the box tree of the layout before."""
        rows = [parts.rows[index] for index in changed]
        html, context, options, new_root = self._build(
            parts.head + "".join(row for _, row in rows) + parts.tail
        )
        table, old_rows = _measure_rows(before.root_box)
        _, new_rows = _measure_rows(new_root)
        for row_id, _ in rows:
            group, index = old_rows[row_id]
            new_group, new_index = new_rows[row_id]
            group.children[index] = new_group.children[new_index]
        if table.style["border_collapse"] == "collapse":
            # WeasyPrint's wrap_table: the borders the rows share, resolved again.
            vertical, horizontal = table.collapsed_border_grid
            table.collapsed_border_grid = collapse_table_borders(
                table, len(horizontal[0]), len(vertical)
            )
        return html, context, options, before.root_box


def _measure_rows(root_box) -> tuple[object, dict]:
    """The table of the measure rows in a box tree before layout, and where each
    measure row is in it: row id -> (row group, index)."""
    stack = [root_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableBox):
            where = {
                row.element.get("id"): (group, index)
                for group in box.children
                for index, row in enumerate(group.children)
                if row.element is not None and _ROW_ID.match(row.element.get("id", ""))
            }
            if where:
                return box, where
        elif isinstance(box, boxes.ParentBox):
            stack.extend(box.children)
    return None, {}


def _same_rows(before: _Parts, parts: _Parts) -> bool:
    """The same rows, in the same order, under the same head and over the same tail."""
    return (
        parts.head == before.head
        and parts.tail == before.tail
        and [row_id for row_id, _ in parts.rows] == [row_id for row_id, _ in before.rows]
    )


def _changed_rows(before: Layout, parts: _Parts) -> list[int] | None:
    """The indexes of the rows that differ from the layout before's, when nothing
    else does; None otherwise."""
    if not _same_rows(before.parts, parts):
        return None
    table, where = _measure_rows(before.root_box)
    if table is None or set(where) != {row_id for row_id, _ in parts.rows}:
        return None
    return [
        index
        for index, ((_, row), (_, row_before)) in enumerate(
            zip(parts.rows, before.parts.rows, strict=True)
        )
        if row != row_before
    ]


def _pages_to_remake(before: Layout, parts: _Parts) -> set[int] | None:
    """The pages of `before` that the HTML's changes since it can reach; None
    when the whole document is to be laid out again.

    A changed row can reach the pages it has a part on, and the page where the row
    above it ends (WeasyPrint tries the row there first)."""
    ids = [row_id for row_id, _ in parts.rows]
    if not _same_rows(before.parts, parts):
        return None
    if not all(row_id in before.row_pages for row_id in ids):
        return None
    remake = set()
    for index, ((_, row), (_, row_before)) in enumerate(
        zip(parts.rows, before.parts.rows, strict=True)
    ):
        if row == row_before:
            continue
        if index == 0:
            return None
        remake.update(
            range(before.row_pages[ids[index - 1]][1], before.row_pages[ids[index]][1] + 1)
        )
    return remake
