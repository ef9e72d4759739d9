"""Writes of the analysis: the coordinator's texts (a form opened on an older text
is refused, nothing overwritten), publishing with versions (reports.services'
machinery: SHA-256, no new version for unchanged content, stable link) and
withdrawing a version with a reason."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from analysis.document import NO_MEASURE, NOT_WRITTEN, AnalysisView, build_view
from analysis.models import TEXT_MAX_CHARS, AnalysisDocument, PublishedAnalysis, WeakPointNote
from analysis.selectors import build_analysis
from catalogue.models import FiscalYear
from organizations.access import Action, check, recorded_user
from organizations.models import Organization
from reports.document import draft_mark
from reports.pdf.drafts import content_sha256
from reports.pdf.render import STYLESHEET
from reports.services import (
    Authority,
    Subject,
    mark_withdrawn,
    publish_pdf,
    withdrawal_reason,
)


class StaleNoteError(Exception):
    """Someone saved this weak point's text after the form was opened."""

    def __init__(self, current: WeakPointNote):
        self.current = current
        super().__init__("stale analysis note")


def analysis_html(view: AnalysisView, drafted_at=None) -> str:
    """What the PDF is made from; a draft's (`drafted_at`) says so on every page."""
    mark = draft_mark(drafted_at, view.thai_digits) if drafted_at else ""
    context = {
        "doc": view,
        "draft_mark": mark,
        "not_written": NOT_WRITTEN,
        "no_measure": NO_MEASURE,
        "stylesheet": _stylesheet(),
    }
    return render_to_string("analysis/pdf.html", context)


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    """static/css/analysis.css, written into the PDF's HTML (and so into its hash)."""
    return mark_safe(STYLESHEET.with_name("analysis.css").read_text())  # noqa: S308 (ours)


def document_for(*, organization: Organization, fiscal_year: FiscalYear, user) -> AnalysisDocument:
    """The agency's analysis of the year, made when first needed; its coordinator's."""
    check(user, organization, Action.PUBLISH)
    document, _ = AnalysisDocument.objects.get_or_create(
        organization=organization, fiscal_year=fiscal_year
    )
    return document


def _clean_text(name: str, label: str, text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationError({name: f"{label}มีอักขระ NUL ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้"})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError(
            {name: f"{label}ยาวได้ไม่เกิน {TEXT_MAX_CHARS:,} ตัวอักษร (ที่พิมพ์มา {len(text):,} ตัวอักษร)"}
        )
    return text


@transaction.atomic
def save_note(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    user,
    key: tuple[str, str],
    found: str,
    proposed: str,
    seen_version: int,
) -> WeakPointNote:
    """Save the coordinator's text on a weak indicator (tool code, number) of the
    analysis. `seen_version` is the text's version the form was opened on (0: none
    yet); another save since raises StaleNoteError with the current text."""
    check(user, organization, Action.PUBLISH)
    found = _clean_text("found", "สิ่งที่พบ", found)
    proposed = _clean_text("proposed", "ข้อเสนอแนะ", proposed)
    if build_analysis(organization, fiscal_year).weak_point(key) is None:
        raise ValidationError(
            "ตัวชี้วัดนี้ไม่ใช่จุดอ่อนของผลการประเมินที่ใช้วิเคราะห์ (อาจมีการแก้ไขคะแนน) กรุณาโหลดหน้าใหม่"
        )
    document = document_for(organization=organization, fiscal_year=fiscal_year, user=user)
    AnalysisDocument.objects.select_for_update().filter(pk=document.pk).first()
    note = WeakPointNote.objects.filter(
        document=document, tool_code=key[0], indicator_number=key[1]
    ).first()
    if (note.version if note else 0) != seen_version:
        if note is not None and (note.found, note.proposed) == (found, proposed):
            return note  # the same text saved twice (a double click, another tab)
        raise StaleNoteError(note)
    if note is None:
        note = WeakPointNote(
            document=document, tool_code=key[0], indicator_number=key[1], version=0
        )
    note.found, note.proposed = found, proposed
    note.version += 1
    note.updated_by = recorded_user(user)
    note.full_clean()
    note.save()
    return note


# Filled by an app above in its ready() (approvals.analysis_publishing), as
# reports.services.AUTHORITIES is for rounds: objects with
# approval_page(organization, fiscal_year, user) -> the address where publishing
# this analysis asks for approval first, or None; authority(document, user, params)
# -> reports.services.Authority (raising ValidationError in Thai when it may not be
# published); annotate(versions) -> gives each version `authority_line`.
AUTHORITIES: list = []


def approval_page(organization: Organization, fiscal_year: FiscalYear, user) -> str | None:
    return next(
        (p for a in AUTHORITIES if (p := a.approval_page(organization, fiscal_year, user))), None
    )


def authority_for(document: AnalysisDocument, user, params: dict | None = None):
    """The authority a publishing job publishes the analysis on (None: no app decides)."""
    return AUTHORITIES[0].authority(document, user, params or {}) if AUTHORITIES else None


def annotate_versions(versions: list) -> list:
    """The published versions, each with `authority_line` ("" when none is recorded)."""
    for version in versions:
        version.authority_line = ""
    for decider in AUTHORITIES:
        decider.annotate(versions)
    return versions


def current_html(document: AnalysisDocument) -> str:
    """What the analysis's PDF is made from as it stands (no draft mark)."""
    return analysis_html(build_view(build_analysis(document.organization, document.fiscal_year)))


def current_sha256(document: AnalysisDocument) -> str:
    """The SHA-256 of the analysis's content as it stands (what approval is asked of)."""
    return content_sha256(current_html(document))


CHANGED_SINCE_APPROVAL = (
    "การวิเคราะห์มีการแก้ไขหลังจากผู้อนุมัติอนุมัติ ฉบับปัจจุบันจึงไม่ใช่ฉบับที่อนุมัติ และไม่ได้เผยแพร่ กรุณาส่งขออนุมัติฉบับใหม่"
)


def publish_analysis(
    *, document: AnalysisDocument, user, recorded=None, authority: Authority | None = None
) -> PublishedAnalysis:
    """Publish the analysis as a new version; the stable link serves it next. The
    contract of reports.services.publish_round: unchanged content makes no new
    version (the newest is returned, `is_new` False); `recorded(publication)` is
    called with a new version inside its transaction. `authority` (from
    `authority_for`) refuses content other than what was approved and records
    itself with a new version (before `recorded`)."""
    check(user, document.organization, Action.PUBLISH)
    if authority is not None:
        recorded = authority.wrap(recorded)

    def prepare() -> Subject:
        locked = (
            AnalysisDocument.objects.select_for_update(of=("self",))
            .select_related("organization", "fiscal_year")
            .get(pk=document.pk)
        )
        html = current_html(locked)
        sha256 = content_sha256(html)
        if authority is not None and authority.content_sha256 not in ("", sha256):
            raise ValidationError(CHANGED_SINCE_APPROVAL)
        return Subject(
            versions=locked.publications.all(),
            content_sha256=sha256,
            html=lambda: html,
            new_row=lambda: PublishedAnalysis(document=locked),
            changed=lambda: None,
        )

    return publish_pdf(prepare=prepare, user=user, recorded=recorded)


@transaction.atomic
def withdraw_analysis(*, publication: PublishedAnalysis, user, reason: str) -> PublishedAnalysis:
    """Withdraw a published version with a reason: it stays listed as withdrawn; the
    stable link serves the newest version not withdrawn (or none)."""
    check(user, publication.document.organization, Action.PUBLISH)
    reason = withdrawal_reason(reason)
    publication = PublishedAnalysis.objects.select_for_update().get(pk=publication.pk)
    mark_withdrawn(publication, user=user, reason=reason, what="การวิเคราะห์")
    return publication
