"""Writes of the paperwork app: the memo and the form of an approved version
(`generate_for_approval`, called by the approvals app), the record of a generation
that failed and the coordinator's retry of it (`retry`), and an agency's texts."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from analysis.models import PublishedAnalysis
from organizations import access
from organizations.access import Action, check, recorded_user
from organizations.models import Organization
from paperwork import render, selectors, subjects, texts
from paperwork.models import Paperwork, PaperworkFailure, PaperworkTemplate
from reports.models import PublishedReport

logger = logging.getLogger(__name__)

# What a failure record keeps of the Paperwork that was to be made.
RECORDED = (
    "title",
    "link",
    "requested_by_id",
    "requester_name",
    "requester_position",
    "requested_at",
    "approved_by_id",
    "approver_name",
    "approver_position",
    "approved_at",
    "note",
)
STORAGE_FAILED = "บันทึกไฟล์ PDF ลงที่เก็บไฟล์ของระบบไม่สำเร็จ (ที่เก็บไฟล์ไม่รับไฟล์)"
UNEXPECTED = "เกิดข้อผิดพลาดที่ระบบไม่คาดไว้ระหว่างจัดทำเอกสาร (รายละเอียดอยู่ในบันทึกของระบบ)"


class Failed(Exception):
    """The memo or the form could not be made; the message (Thai) says what failed."""


def generate_for_approval(
    *,
    report: PublishedReport | PublishedAnalysis,
    requested_by,
    requested_at: datetime,
    approved_by,
    approved_at: datetime,
    note: str = "",
    requester_position: str = "",
    approver_position: str = "",
) -> Paperwork:
    """The memo and the form of `report` (a published version: a round's report or
    an analysis), rendered with the
    agency's texts as they are now and stored beside the published PDFs with their
    SHA-256 and size. Idempotent: a version that has its paperwork gets that row
    back, unchanged (the paperwork says what was approved; it is never rewritten).

    The caller (approvals) has decided that the version is approved; this records
    it. Positions left empty are those of the round's sign-off block, else the
    person's role in the agency."""
    existing = selectors.paperwork_of(report)
    if existing is not None:
        return existing
    published = selectors.published_for_paperwork(report)
    subject = subjects.of_published(published)
    round_ = published.round if isinstance(published, PublishedReport) else None
    requester = subjects.Person(
        subjects.display_name(requested_by),
        requester_position or _position(requested_by, subject.organization, round_, True),
    )
    approver = subjects.Person(
        subjects.display_name(approved_by),
        approver_position or _position(approved_by, subject.organization, round_, False),
    )
    paperwork = Paperwork(
        organization=subject.organization,
        report=published if round_ is not None else None,
        analysis=published if round_ is None else None,
        title=subject.title,
        link=subject.link,
        requested_by=recorded_user(requested_by) if requested_by else None,
        requester_name=requester.name,
        requester_position=requester.position,
        requested_at=requested_at,
        approved_by=recorded_user(approved_by) if approved_by else None,
        approver_name=approver.name,
        approver_position=approver.position,
        approved_at=approved_at,
        note=" ".join(note.split()),
    )
    return _make(paperwork, subject)


def _make(paperwork: Paperwork, subject: subjects.Subject, by=None) -> Paperwork:
    """Render and store; a failure is recorded for the paperwork page, then raised
    (the caller logs it), and a success closes the version's failure record."""
    try:
        memo, form = _render(paperwork, subject)
        made = _store(paperwork, memo, form)
    except Exception as error:
        _record_failure(paperwork, error)
        raise
    PaperworkFailure.objects.filter(**_version_of(paperwork), resolved_at__isnull=True).update(
        resolved_at=timezone.now(), retried_by=recorded_user(by) if by else None
    )
    return made


def _version_of(paperwork: Paperwork) -> dict:
    if paperwork.report_id:
        return {"report_id": paperwork.report_id}
    return {"analysis_id": paperwork.analysis_id}


def _describe(error: Exception) -> str:
    if isinstance(error, Failed):
        return str(error)
    if isinstance(error, OSError):
        return STORAGE_FAILED
    return UNEXPECTED


def _record_failure(paperwork: Paperwork, error: Exception) -> None:
    """What failed and when, with what the paperwork was to print; in a savepoint of
    its own, so that a caller's transaction goes on whatever happens here."""
    recorded = {name: getattr(paperwork, name) for name in RECORDED}
    for name in ("requested_at", "approved_at"):
        recorded[name] = recorded[name].isoformat()
    try:
        with transaction.atomic():
            failure = (
                PaperworkFailure.objects.select_for_update()
                .filter(**_version_of(paperwork))
                .first()
            )
            if failure is None:
                failure = PaperworkFailure(
                    organization=paperwork.organization,
                    report=paperwork.report,
                    analysis=paperwork.analysis,
                    attempts=0,
                )
            failure.title = paperwork.title
            failure.recorded = recorded
            failure.error = _describe(error)
            failure.failed_at = timezone.now()
            failure.attempts += 1
            failure.resolved_at = None
            failure.save()
    except DatabaseError:
        logger.exception("the failure of paperwork for %s was not recorded", paperwork.title)


def _from_record(failure: PaperworkFailure) -> Paperwork:
    """The Paperwork the failed generation was to store, as the approval gave it."""
    recorded = dict(failure.recorded)
    for name in ("requested_at", "approved_at"):
        recorded[name] = datetime.fromisoformat(recorded[name])
    users = get_user_model().objects
    for name in ("requested_by_id", "approved_by_id"):
        if recorded[name] is not None and not users.filter(pk=recorded[name]).exists():
            recorded[name] = None  # removed since: the printed name is kept
    return Paperwork(
        organization=failure.organization,
        report=failure.report,
        analysis=failure.analysis,
        **recorded,
    )


@dataclass(frozen=True)
class Retried:
    failure: PaperworkFailure
    paperwork: Paperwork | None  # None: failed again (failure.error says why)
    made: bool  # False: it was there already (a second click)


def retry(*, user, organization: Organization, failure_id: int) -> Retried:
    """Make the memo and the form of a version whose generation failed, with what the
    approval recorded and the agency's texts as they are now. The failure's row is
    locked meanwhile: a second click waits, then finds them made (one pair of
    files). Raises PaperworkFailure.DoesNotExist for another agency's record."""
    check(user, organization, Action.PUBLISH)
    with transaction.atomic():
        failure = (
            PaperworkFailure.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=failure_id, organization=organization)
        )
        existing = selectors.paperwork_of(failure.published)
        if existing is not None:
            if failure.resolved_at is None:  # made by another way meanwhile
                failure.resolved_at = timezone.now()
                failure.save(update_fields=["resolved_at"])
            return Retried(failure, existing, made=False)
        paperwork = _from_record(failure)
        subject = subjects.of_published(selectors.published_for_paperwork(failure.published))
        try:
            made = _make(paperwork, subject, by=user)
        except Exception:
            logger.exception("paperwork retry %s failed", failure.pk)
            failure.refresh_from_db()
            return Retried(failure, None, made=False)
        failure.refresh_from_db()
        return Retried(failure, made, made=True)


def _render(paperwork: Paperwork, subject: subjects.Subject) -> tuple[bytes, bytes]:
    """The memo's and the form's PDFs, with the agency's texts as they are now."""
    values = subjects.values(
        subject,
        requester=subjects.Person(paperwork.requester_name, paperwork.requester_position),
        requested_at=paperwork.requested_at,
        approver=subjects.Person(paperwork.approver_name, paperwork.approver_position),
        approved_at=paperwork.approved_at,
        note=paperwork.note,
    )
    digits = subject.organization.thai_digits
    times = (
        subjects.time_of_day(paperwork.requested_at, digits),
        subjects.time_of_day(paperwork.approved_at, digits),
    )
    return tuple(_one_pdf(subject.organization, kind, values, times) for kind in texts.PARTS)


def _one_pdf(organization: Organization, kind: str, values: dict, times) -> bytes:
    label = texts.KIND_LABELS[kind]
    own = selectors.template_texts(organization, kind)[0]
    try:
        sheet = render.sheet(kind, own, values, times)
    except ValidationError as error:  # a text saved before a rule it breaks
        raise Failed(
            f"ข้อความในแม่แบบ{label}ใช้ไม่ได้: {_named_problems(kind, own, error)} "
            f"กรุณาแก้ไขแม่แบบ{label} แล้วกดจัดทำใหม่"
        ) from error
    try:
        return render.pdf(sheet)
    except Exception as error:
        raise Failed(f"จัดทำไฟล์ PDF ของ{label}ไม่สำเร็จ") from error


def _named_problems(kind: str, own: dict, error: ValidationError) -> str:
    """The problems with the part each is in ("ข้อความปิดท้าย: ไม่รู้จักช่องข้อมูล ...")."""
    try:
        texts.check(kind, own)
    except ValidationError as checked:
        return " ".join(checked.messages)
    return " ".join(error.messages)


def _store(paperwork: Paperwork, memo: bytes, form: bytes) -> Paperwork:
    """Write the files and the row together, with their hashes and sizes: the files
    go again when the row is not written; a second generation of the same version at
    once gets the first's row."""
    paperwork.memo_sha256 = hashlib.sha256(memo).hexdigest()
    paperwork.memo_size = len(memo)
    paperwork.form_sha256 = hashlib.sha256(form).hexdigest()
    paperwork.form_size = len(form)
    stored = []
    try:
        with transaction.atomic():
            try:
                paperwork.memo_pdf.save("memo.pdf", ContentFile(memo), save=False)
                stored.append(paperwork.memo_pdf)
                paperwork.form_pdf.save("form.pdf", ContentFile(form), save=False)
                stored.append(paperwork.form_pdf)
            except Exception as refused:  # a disk's OSError, an object store's own errors
                raise Failed(STORAGE_FAILED) from refused
            paperwork.full_clean(exclude=["memo_pdf", "form_pdf", "report", "analysis"])
            paperwork.save()
    except IntegrityError:
        _delete(stored)
        return selectors.paperwork_of(paperwork.published)
    except BaseException:
        _delete(stored)
        raise
    return paperwork


def _delete(stored) -> None:
    for file in stored:
        file.storage.delete(file.name)


def _position(user, organization: Organization, round_, reporter: bool) -> str:
    """The position printed under a name: the round's sign-off block's when it names
    this person, else their role in the agency (the approver's with its name)."""
    name = subjects.display_name(user)
    if round_ is not None:
        position, named = (
            (round_.reporter_position, round_.reporter_name)
            if reporter
            else (round_.approver_position, round_.approver_name)
        )
        if position and named.strip() in ("", name):
            return position
    if user is None or recorded_user(user) is None:
        return ""  # nobody, or a command: no role in the agency
    role = subjects.role_label(user, organization)
    # "เรียน ผู้บริหาร" alone names nobody: the executive of which agency.
    return role if reporter or not role else f"{role}{organization.name}"


# --- The agency's texts -------------------------------------------------------------------

CHANGED_MEANWHILE = (
    "มีผู้แก้ไขแม่แบบนี้ไปแล้วระหว่างที่คุณแก้ไข ข้อความที่คุณพิมพ์ยังอยู่ในแบบฟอร์ม "
    "กรุณาเปิดหน้านี้ใหม่ในแท็บอื่นเพื่อดูฉบับล่าสุด แล้วบันทึกอีกครั้ง"
)


def _check_may_edit(user, organization: Organization) -> None:
    if not access.can_manage(user, organization.pk):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานแก้ไขแม่แบบบันทึกข้อความและแบบฟอร์มได้")


def _locked_template(
    organization: Organization, kind: str, revision: int
) -> PaperworkTemplate | None:
    """The agency's template of `kind`, locked, when the editor saw its newest
    revision (0: the defaults); otherwise a Thai refusal that loses nothing."""
    template = (
        PaperworkTemplate.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(organization=organization, kind=kind)
        .first()
    )
    current = template.revision if template else 0
    if revision != current:
        who = subjects.display_name(template.updated_by) if template else ""
        raise ValidationError(CHANGED_MEANWHILE + (f" (ผู้แก้ไขล่าสุด: {who})" if who else ""))
    return template


@transaction.atomic
def save_template(
    *, user, organization: Organization, kind: str, parts: dict, revision: int
) -> PaperworkTemplate:
    """Save the agency's texts of the memo or the form (texts.check: known
    placeholders only). `revision` is the one the editor started from."""
    _check_may_edit(user, organization)
    if kind not in texts.PARTS:
        raise ValidationError("ไม่รู้จักเอกสารนี้")
    parts = {part.name: parts.get(part.name, "") for part in texts.PARTS[kind]}
    texts.check(kind, parts)
    template = _locked_template(organization, kind, revision)
    if template is None:
        template = PaperworkTemplate(organization=organization, kind=kind, revision=1)
    else:
        template.revision += 1
    template.parts = parts
    template.updated_by = recorded_user(user)
    template.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as race:
        # Another editor's first save of this template committed in between.
        raise ValidationError(CHANGED_MEANWHILE) from race
    return template


@transaction.atomic
def reset_template(
    *, user, organization: Organization, kind: str, revision: int
) -> PaperworkTemplate | None:
    """Back to the shipped texts: the agency's own are emptied (an empty part list
    reads as the defaults), and the revision still counts on, so that an editor who
    started before the reset cannot save over it unawares."""
    _check_may_edit(user, organization)
    if kind not in texts.PARTS:
        raise ValidationError("ไม่รู้จักเอกสารนี้")
    template = _locked_template(organization, kind, revision)
    if template is None or not template.parts:
        return template
    template.parts = {}
    template.revision += 1
    template.updated_by = recorded_user(user)
    template.save()
    return template
