"""The memo and the form as PDFs, with WeasyPrint as the reports render (the shipped
Sarabun, nothing else): the HTML comes from the project's templates and the
agency's texts (texts.fill, escaped by the template), and the only files the
render may read are the shipped fonts (`FontsOnly`): no address is ever fetched."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from paperwork import texts

STATIC = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC / "css" / "paperwork.css"
FONTS = (STATIC / "fonts").resolve()


class FontsOnly(URLFetcher):
    """Fetches the shipped fonts (files in static/fonts) and refuses every other
    address: a link in a text is printed, never followed."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.parent == FONTS and path.suffix == ".ttf":
                return URLFetcherResponse(url, path.read_bytes())
        raise ValueError(f"ไม่ดึงข้อมูลจากที่อยู่นี้: {url}")


@dataclass(frozen=True)
class Sheet:
    """One document ready to lay out: its texts filled in, and the values around them."""

    kind: str
    parts: dict  # part name -> its text, or a list of paragraphs for a long part
    values: dict  # texts.PLACEHOLDERS' values
    approved_time: str  # "14.05"
    requested_time: str


def sheet(kind: str, template_texts: dict, values: dict, times: tuple[str, str]) -> Sheet:
    parts = {}
    for part in texts.PARTS[kind]:
        filled = texts.fill(template_texts.get(part.name, part.default), values)
        parts[part.name] = texts.paragraphs(filled) if part.long else " ".join(filled.split())
    return Sheet(kind, parts, values, requested_time=times[0], approved_time=times[1])


def html(doc: Sheet) -> str:
    return render_to_string(f"paperwork/{doc.kind}_pdf.html", {"doc": doc})


def pdf(doc: Sheet) -> bytes:
    fetcher = FontsOnly()
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    page = HTML(string=html(doc), base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return page.write_pdf(stylesheets=[stylesheet], font_config=fonts)
