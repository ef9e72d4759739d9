"""Reading a rendered PDF back the way a reader's copy-and-paste would."""

import re
from io import BytesIO

from pypdf import PdfReader


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


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text in the order it is drawn (pypdf)."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def pdftotext_raw(pdf: bytes) -> str:
    """The text as poppler's `pdftotext -raw` reads it (content order)."""
    import subprocess

    done = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()
