"""Reading a rendered PDF back the way a reader's copy-and-paste would."""

import re
from io import BytesIO

from pypdf import PdfReader

from measures import thai


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Whitespace removed: Thai wraps inside words, so line breaks land anywhere."""
    return re.sub(r"\s+", "", text)


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def in_document_digits(text: str, thai_digits: bool = True) -> str:
    return thai.localize_digits(text, thai_digits)
