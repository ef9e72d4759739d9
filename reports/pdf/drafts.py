"""Draft PDFs of a round's report, kept by what they are made from.

A PDF is made from the HTML of reports/report_pdf.html, the stylesheet, the fonts and
the WeasyPrint that lays them out. The SHA-256 of all of that names the stored file
(`drafts/<agency>/<year>/round<6|12>/<sha256>.pdf` in the default storage: local disk
or the bucket), so an unchanged report is rendered once and then served from storage,
and any change to it (a result, a step, the agency's digits, the template) makes a new
name. Hashing costs building the document and its HTML, a small part of a render
(docs/benchmarks.md); the render itself runs as a job (jobs/tasks.py).

Every page of a draft PDF says "ฉบับร่าง" with the time the stored file was made
(reports.pdf.render.report_html). That time is left out of the hash (`Draft.html` is
the report without it, what a publication is made from): in the hash, each request
would name a new file and render again. Downloads of an unchanged report get the same
stored draft, with the time it was first made.
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache

import weasyprint
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

from measures.models import Round
from reports.document import ReportDocument, build_document
from reports.pdf.render import STYLESHEET, html_to_pdf, report_html

logger = logging.getLogger(__name__)

# Raise when reports/pdf.py changes how it renders (options, extra stylesheets): the
# drafts made before are then made again.
# 2: reports.pdf.paging lays the PDF out in passes; 3: the draft mark; 4: one layout,
# long measures fill their pages, compounds' edges break (reports.pdf.thai_breaks)
RENDERING = "4"
FONTS = STYLESHEET.parent.parent / "fonts"
# How much of a stored draft's end is read to see it is whole.
TAIL = 1024


@lru_cache(maxsize=1)
def _assets_digest() -> bytes:
    """The stylesheet, the fonts and the renderer; read once per process (they change
    only with a release, which restarts it)."""
    digest = hashlib.sha256(f"rendering {RENDERING}; weasyprint {weasyprint.__version__}".encode())
    for path in [STYLESHEET, *sorted(FONTS.glob("*.ttf"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


@dataclass(frozen=True)
class Draft:
    doc: ReportDocument
    html: str  # the report without the draft mark: what a publication is made from
    sha256: str  # of what the PDF is made from, the draft mark's time left out
    name: str  # of the PDF in the default storage


def folder(round_: Round) -> str:
    return f"drafts/{round_.organization.slug}/{round_.fiscal_year.year}/round{round_.kind}"


def current(round_: Round) -> Draft:
    """The round's report as it stands, and the name its PDF has (or will have)."""
    doc = build_document(round_)
    html = report_html(doc)
    sha256 = content_sha256(html)
    return Draft(doc, html, sha256, f"{folder(round_)}/{sha256}.pdf")


def content_sha256(html: str) -> str:
    """The SHA-256 of what a PDF of this HTML is made from: the HTML, the stylesheet,
    the fonts and the renderer."""
    return hashlib.sha256(_assets_digest() + html.encode()).hexdigest()


def filename(round_: Round) -> str:
    """The name a downloaded draft gets (ReportDocument.filename)."""
    return f"ita-{round_.organization.slug}-{round_.fiscal_year.year}-round{round_.kind}.pdf"


def open_stored(draft: Draft) -> File | None:
    """The stored PDF of this draft, open for reading, or None if it is not made yet."""
    return open_name(draft.name)


def open_name(name: str) -> File | None:
    """The stored draft `name`, open for reading, or None when it is not there or not
    whole (a render killed while its file was written leaves the start of a PDF)."""
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        return None
    except OSError:
        # A storage that cannot be read: the job that is started next says so in Thai.
        logger.warning("draft %s could not be read from the storage", name, exc_info=True)
        return None
    if not _whole(stored):
        stored.close()
        logger.warning("draft %s is not a whole PDF; made again", name)
        return None
    return stored


def _whole(stored: File) -> bool:
    """Whether the file ends as every PDF the renderer writes does (%%EOF)."""
    size = stored.size
    stored.seek(max(0, size - TAIL))
    whole = b"%%EOF" in stored.read()
    stored.seek(0)
    return whole


def make(round_: Round) -> Draft:
    """Render and store the round's draft PDF unless the same one is stored already
    (whole); drafts of the round's earlier states are removed. The draft job that
    calls it records the file as its result (Job.result_file): `manage.py sweep_files`
    removes drafts no finished job made."""
    draft = current(round_)
    stored = open_name(draft.name)
    if stored is not None:
        stored.close()
    else:
        pdf = html_to_pdf(report_html(draft.doc, drafted_at=timezone.now()))
        default_storage.delete(draft.name)  # what a killed render left, if anything
        saved = default_storage.save(draft.name, ContentFile(pdf))
        if saved != draft.name:  # another render stored the same draft first
            default_storage.delete(saved)
    _remove_others(round_, keep=draft.name)
    return draft


def _remove_others(round_: Round, keep: str) -> None:
    where = folder(round_)
    try:
        _, files = default_storage.listdir(where)
    except FileNotFoundError:
        return
    for name in files:
        if f"{where}/{name}" != keep:
            default_storage.delete(f"{where}/{name}")
