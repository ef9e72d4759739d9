"""Thai compound words kept whole at line ends (issue 21).

Pango, under WeasyPrint and in the browser, breaks Thai lines where libthai's (or
ICU's) dictionary finds word boundaries, and the dictionary splits the domain's
compounds: a report line ending "หน่วย" and the next starting "งาน". `keep_words`
wraps each compound of COMPOUNDS in `<span class="kw">` (report.css: white-space:
nowrap) so the line breaks before or after it instead. The text itself is not
changed: nothing is inserted (no U+2060 word joiners), so the PDF's text layer reads
exactly what was typed."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The common compounds of the ITA domain that the dictionary splits, longest first
# (a word is never wrapped inside a longer one's span: the longer is matched first).
# Short ones only: a span cannot wrap, so it must fit the narrowest column.
COMPOUNDS = sorted(
    {
        "ผู้รับผิดชอบ",
        "ผู้บังคับบัญชา",
        "ปฏิบัติหน้าที่",
        "ประชาสัมพันธ์",
        "ผู้ประสานงาน",
        "ส่วนราชการ",
        "ปฏิบัติงาน",
        "ประสิทธิภาพ",
        "ผลประโยชน์",
        "เจ้าหน้าที่",
        "ให้บริการ",
        "ดำเนินการ",
        "หน่วยงาน",
        "ผู้บริหาร",
        "งบประมาณ",
        "เว็บไซต์",
        "บุคลากร",
    },
    key=lambda word: (-len(word), word),
)
# Marks and vowels that belong to the letter before them, and vowels written before
# their consonant: a compound found next to one is part of another word.
_FOLLOWS = "\u0e30-\u0e3a\u0e45\u0e47-\u0e4e"
_LEADS = "\u0e40-\u0e44"
_COMPOUND = re.compile(f"(?<![{_LEADS}])(?:{'|'.join(map(re.escape, COMPOUNDS))})(?![{_FOLLOWS}])")


def keep_words(text) -> SafeString:
    """`text` HTML-escaped, its compounds wrapped so that no line breaks inside them."""
    escaped = escape(text)
    return mark_safe(_COMPOUND.sub(r'<span class="kw">\g<0></span>', escaped))
