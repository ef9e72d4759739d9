"""Sub-items of a step written as text, one per line, as people type them in
Word or Excel: "- …", "(1) …", "1) …", "ก. …"; an indented line is one level
deeper. Used by the admin's step editor and by spreadsheet import/export."""

import re
from dataclasses import dataclass

_DIGIT = "0-9๐-๙"
ITEM_MARKER = re.compile(
    rf"^(?P<marker>[-–•]|\([{_DIGIT}]{{1,3}}\)|[{_DIGIT}]{{1,3}}\)|[ก-ฮ][.)])\s*(?P<text>\S.*)$"
)


class ItemTextError(ValueError):
    """A line that cannot be read as a sub-item; the message is Thai."""


@dataclass(frozen=True)
class ItemLine:
    depth: int
    marker: str
    text: str


def _collapse(text: str) -> str:
    return " ".join(text.split())


def parse_item_lines(text: str) -> list[ItemLine]:
    """Read sub-items; a line without a marker continues the item above it."""
    items: list[ItemLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        depth = 2 if raw.startswith(("\t", "  ")) else 1
        match = ITEM_MARKER.match(line)
        if match:
            items.append(ItemLine(depth, match["marker"], _collapse(match["text"])))
        elif items:
            last = items[-1]
            items[-1] = ItemLine(last.depth, last.marker, _collapse(f"{last.text} {line}"))
        else:
            raise ItemTextError(
                f"บรรทัดที่ {number} “{line}” ไม่ได้ขึ้นต้นด้วยเครื่องหมายหัวข้อย่อย เช่น - หรือ (1) หรือ 1)"
            )
    return items


def format_item_lines(items) -> str:
    """The inverse of parse_item_lines, for anything with depth/marker/text."""
    return "\n".join(f"{'  ' if item.depth > 1 else ''}{item.marker} {item.text}" for item in items)
