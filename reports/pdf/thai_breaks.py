"""Lines that may break between a kept-whole Thai compound and the text around it.

thai.words wraps the domain's compounds in `<span class="kw">` (white-space:
nowrap) so that no line breaks inside them. Between two inline boxes WeasyPrint 70
asks Pango whether a line may break from the last letter of one and the first
letter of the next alone (`can_break_text` in weasyprint.layout.inline), and
libthai finds no word boundary in two Thai letters out of their words. So a line
could not break before or after a compound either, and ran out of its column
("เจ้าหน้าที่ผู้รับผิดชอบรายงาน" over the deadline column). A compound is a whole
word: a line may break at its edges, unless the letter after it is a mark or a
vowel that belongs to the letter before, or the letter before it a vowel written
before its consonant (thai.words does not wrap a compound there either).
"""

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

THAI = range(0x0E01, 0x0E5C)
FOLLOWING = {chr(code) for code in (0x0E30, *range(0x0E31, 0x0E3B), 0x0E45, *range(0x0E47, 0x0E4F))}
LEADING = {chr(code) for code in range(0x0E40, 0x0E45)}

_weasyprint_can_break_text = inline.can_break_text


def can_break_between_boxes(text: str, lang) -> bool:
    if (
        len(text) == 2
        and all(ord(letter) in THAI for letter in text)
        and text[0] not in LEADING
        and text[1] not in FOLLOWING
    ):
        return True
    return _weasyprint_can_break_text(text, lang)


def can_break_inside(box) -> bool:
    """WeasyPrint's own, which asks about a box's whole text (not the edges of two)."""
    wraps = box.style["white_space"] in ("normal", "pre-wrap", "pre-line")
    if isinstance(box, boxes.AtomicInlineLevelBox) or not wraps:
        return False
    if isinstance(box, boxes.TextBox):
        return _weasyprint_can_break_text(box.text, box.style["lang"])
    if isinstance(box, boxes.ParentBox):
        return any(can_break_inside(child) for child in box.children)
    return False


inline.can_break_text = can_break_between_boxes
inline.can_break_inside = can_break_inside
