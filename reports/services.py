"""Publishing: render once, store the bytes with their hash, never rewrite; publish
nothing new when nothing changed; withdraw a version with a reason."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from measures.models import Round
from organizations import access, changes
from organizations.access import Action, check, recorded_user
from organizations.models import Organization
from reports import signals
from reports.document_settings import FIELDS
from reports.models import PublishedPdfRecord, PublishedReport
from reports.pdf import drafts
from reports.pdf.render import html_to_pdf, report_html
from reports.selectors import published_pdf_key
from thai import conventions as thai

WITHDRAWAL_REASON_MAX_CHARS = 1000


def publish_round(
    *, round_: Round, user, recorded=None, authority: "Authority | None" = None
) -> PublishedReport:
    """Publish the round's report as a new version; the stable URL serves it next.

    When the report is what the newest version (not withdrawn) was made from, no
    version is made: that version is returned, with `is_new` False
    (`publication_message` says so). The content is compared by its SHA-256
    (reports.pdf.drafts.current: the report's HTML with the stylesheet, the fonts and
    the renderer), so an unchanged report is not even rendered again.

    A transaction of its own (durable: inside a caller's transaction the row could
    still be rolled back after this returns): the PDF file is written inside it and
    deleted again when it fails, so no file is left without its row. The round is
    locked for the render, so two coordinators publishing at once get versions n
    and n+1 (or, when nothing changed, the same version), and the PDF shows the
    progress as committed (saves wait, see progress.services).

    `recorded(report)` is called with a new version inside that transaction (the
    job records its outcome with the version: jobs.registry, rerun_safe).

    `authority` (from `authority_for`: the approval the version is published on)
    prints its sign-offs instead of the round's typed names, refuses content other
    than what was approved, and records itself with a new version (in that
    transaction, before `recorded`)."""
    check(user, round_.organization, Action.PUBLISH)
    if authority is not None:
        recorded = authority.wrap(recorded)

    def prepare() -> Subject:
        locked = (
            Round.objects.select_for_update(of=("self",))
            .select_related("organization", "fiscal_year")
            .get(pk=round_.pk)
        )
        draft = drafts.current(locked)
        return Subject(
            versions=locked.publications.all(),
            content_sha256=draft.sha256,
            # Approved content only, with its sign-offs (checked when it is rendered).
            html=lambda: authority.html(draft) if authority is not None else draft.html,
            new_row=lambda: PublishedReport(round=locked),
            changed=lambda: changes.changed(locked.organization_id, locked.fiscal_year_id),
        )

    return publish_pdf(prepare=prepare, user=user, recorded=recorded)


@dataclass
class Subject:
    """What publishing needs of a document, read once its subject is locked."""

    versions: QuerySet  # its published versions (PublishedPdfRecord rows)
    content_sha256: str  # of what its PDF is made from
    html: Callable[[], str]  # what the PDF is made from (no draft mark), when it changed
    new_row: Callable[[], PublishedPdfRecord]  # an unsaved row of it, subject set
    changed: Callable[[], None]  # tells the pages that follow it


def publish_pdf(*, prepare: Callable[[], Subject], user, recorded=None) -> PublishedPdfRecord:
    """Publish a document's PDF as its next version, or return its newest version
    (`is_new` False) when that was made from the same content. `prepare` locks the
    document's subject and reads it (in the transaction). See publish_round."""
    stored = None
    try:
        with transaction.atomic(durable=True):
            subject = prepare()
            newest = subject.versions.filter(withdrawn_at__isnull=True).order_by("-version").first()
            if newest is not None and newest.content_sha256 == subject.content_sha256:
                newest.is_new = False
                return newest
            # Rendered without the draft mark (a stored draft says "ฉบับร่าง" on
            # every page, so it is never what is published).
            pdf = html_to_pdf(subject.html())
            latest = subject.versions.order_by("-version").values_list("version", flat=True)
            row = subject.new_row()
            row.version = (latest.first() or 0) + 1
            row.sha256 = hashlib.sha256(pdf).hexdigest()
            row.content_sha256 = subject.content_sha256
            row.size = len(pdf)
            row.published_by = user
            _remove_unowned(row)
            row.pdf.save("report.pdf", ContentFile(pdf), save=False)
            stored = row.pdf
            row.save()
            subject.changed()
            if recorded is not None:
                row.is_new = True
                recorded(row)
    except BaseException:
        if stored:
            stored.storage.delete(stored.name)
        raise
    row.is_new = True
    return row


@dataclass(frozen=True)
class Authority:
    """On whose authority a version is published, as the app that decides it says
    (approvals, through AUTHORITIES): the sign-offs its PDF prints instead of the
    round's typed names (None: as typed), the content that was approved ("": any;
    other content is refused), and what is recorded with a new version."""

    sign_offs: list | None = None
    content_sha256: str = ""
    recorded: Callable | None = None

    def html(self, draft: drafts.Draft) -> str:
        """What the version is made from: the draft's content, checked against what
        was approved, with the recorded sign-offs."""
        if self.content_sha256 and self.content_sha256 != draft.sha256:
            raise ValidationError(
                "รายงานมีการแก้ไขหลังจากผู้อนุมัติอนุมัติ ฉบับปัจจุบันจึงไม่ใช่ฉบับที่อนุมัติ "
                "และไม่ได้เผยแพร่ กรุณาส่งขออนุมัติฉบับใหม่"
            )
        if self.sign_offs is None:
            return draft.html
        return report_html(replace(draft.doc, sign_offs=self.sign_offs))

    def wrap(self, recorded):
        def both(report) -> None:
            if self.recorded is not None:
                self.recorded(report)
            if recorded is not None:
                recorded(report)

        return both


# Filled by an app above in its ready() (approvals.publishing): objects with
# approval_page(round_, user) -> the address where publishing this round asks for
# approval first, or None; authority(round_, user, params) -> Authority, raising
# PermissionDenied or ValidationError (in Thai) when the round may not be published;
# annotate(versions) -> gives each published version `authority_line` (who asked, who
# approved, when).
AUTHORITIES: list = []


def approval_page(round_: Round, user) -> str | None:
    return next((page for a in AUTHORITIES if (page := a.approval_page(round_, user))), None)


def authority_for(round_: Round, user, params: dict | None = None) -> Authority | None:
    """The authority a publication job publishes the round on (None: no app decides)."""
    return AUTHORITIES[0].authority(round_, user, params or {}) if AUTHORITIES else None


def annotate_versions(versions: list) -> list:
    """The published versions, each with `authority_line` ("" when none is recorded)."""
    for version in versions:
        version.authority_line = ""
    for decider in AUTHORITIES:
        decider.annotate(versions)
    return versions


def _remove_unowned(report: PublishedPdfRecord) -> None:
    """A file of this version already stored was left by a publication of it that was
    killed before its commit: no row owns it (the version does not exist, and the
    subject is locked), so it goes. Without row locks (SQLite) it is left to
    `manage.py sweep_files`."""
    if not connection.features.has_select_for_update:
        return
    name = report.pdf.field.generate_filename(report, "report.pdf")
    folder, _, own = name.rpartition("/")
    storage = report.pdf.storage
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    version = own[: own.index("-v") + len(f"-v{report.version}-")]  # "round6-v2-"
    for stored in files:
        if stored.startswith(version):
            storage.delete(f"{folder}/{stored}")


def publication_message(report: PublishedReport) -> str:
    """What came of publishing, in the words the report page shows."""
    if getattr(report, "is_new", True):
        return f"เผยแพร่รายงานฉบับที่ {report.version} แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้"
    return (
        f"ไม่มีการเปลี่ยนแปลงจากฉบับที่ {report.version} "
        f"(เผยแพร่เมื่อ {thai.format_thai_date(timezone.localdate(report.published_at))}) "
        "จึงไม่ได้สร้างฉบับใหม่ ลิงก์สาธารณะยังแสดงฉบับที่ "
        f"{report.version}"
    )


@transaction.atomic
def withdraw_publication(*, report: PublishedReport, user, reason: str) -> PublishedReport:
    """Withdraw a published version: it stays listed on the public page as withdrawn,
    with the reason, and its file is kept for the record; the stable link serves the
    newest version that is not withdrawn (or none)."""
    round_ = report.round
    check(user, round_.organization, Action.PUBLISH)
    reason = withdrawal_reason(reason)
    report = PublishedReport.objects.select_for_update().select_related("round").get(pk=report.pk)
    mark_withdrawn(report, user=user, reason=reason, what="รายงาน")
    changes.changed(round_.organization_id, round_.fiscal_year_id)
    return report


def withdrawal_reason(reason: str) -> str:
    """The reason as it is kept (spaces collapsed); a ValidationError on "reason"
    when it is empty or too long."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "กรุณาระบุเหตุผลที่ถอนการเผยแพร่ ผู้อ่านจะเห็นเหตุผลนี้"})
    if len(reason) > WITHDRAWAL_REASON_MAX_CHARS:
        raise ValidationError(
            {
                "reason": f"เหตุผลยาวได้ไม่เกิน {WITHDRAWAL_REASON_MAX_CHARS:,} ตัวอักษร "
                f"(ที่พิมพ์มา {len(reason):,} ตัวอักษร)"
            }
        )
    return reason


def mark_withdrawn(row: PublishedPdfRecord, *, user, reason: str, what: str) -> None:
    """Withdraw a locked published version (`what` names the document in Thai)."""
    if row.withdrawn:
        raise ValidationError(
            f"{what}ฉบับที่ {row.version} ถอนการเผยแพร่แล้วเมื่อ "
            f"{thai.format_thai_date(timezone.localdate(row.withdrawn_at))}"
        )
    row.withdrawn_at = timezone.now()
    row.withdrawn_by = recorded_user(user)
    row.withdrawal_reason = reason
    row.full_clean(exclude=["pdf"])
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])


@transaction.atomic
def save_document_settings(
    *,
    user,
    organization: Organization,
    cover_thai_digits: bool,
    thai_digits: bool,
    show_evidence_links: bool,
) -> Organization:
    """Change the organization's document settings; its coordinator (or a superuser)
    may. The next draft and the next publication follow them; published versions
    stay as they were published."""
    if not access.can_manage(user, organization.pk):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานเปลี่ยนการตั้งค่าเอกสารได้")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.cover_thai_digits = cover_thai_digits
    organization.thai_digits = thai_digits
    organization.show_evidence_links = show_evidence_links
    organization.full_clean()
    organization.save(update_fields=FIELDS)
    return organization


@transaction.atomic
def record_stand_in_publications(
    *, user, publications: list, pdf: str, sha256: str, size: int, published_by
) -> int:
    """Version 1 of many rounds' reports at once, all served by one stored stand-in
    PDF (`pdf`), published at the given times: demo and generated agencies, whose
    thousands of real renders would take hours (demo.generated). Only commands and the
    installation's administrators may. Like every publication, the public links'
    cached answers are forgotten and the roll-up's rows follow. `publications` is
    [(round, published_at)]."""
    if not access.can_administer_installation(user):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่สร้างรายงานแทนได้")
    rows = [
        PublishedReport(
            round=round_,
            version=1,
            pdf=pdf,
            sha256=sha256,
            size=size,
            published_by=published_by,
            published_at=when,
        )
        for round_, when in publications
    ]
    with changes.collecting():
        PublishedReport.objects.bulk_create(rows, batch_size=2000)
        for round_, _ in publications:
            changes.changed(round_.organization_id, round_.fiscal_year_id)
    keys = [
        key
        for round_, _ in publications
        for key in (
            published_pdf_key(round_.organization.slug, round_.fiscal_year.year, round_.kind),
            published_pdf_key(round_.organization.slug, round_.fiscal_year.year, round_.kind, 1),
        )
    ]
    signals.forget(keys)
    transaction.on_commit(lambda: signals.forget(keys))
    return len(rows)
