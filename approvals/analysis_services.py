"""Approval before publishing an analysis (app analysis): send the analysis as it
stands for approval, approve it (its publishing job starts), and the records kept
with each published version. Returning and cancelling a request are the same for
every document (approvals.services)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from analysis import jobs as analysis_jobs
from analysis import services as analysis_services
from analysis.models import AnalysisDocument, PublishedAnalysis
from approvals import services
from approvals.models import ApprovalRequest
from approvals.selectors import approval_required, display_name, thai_moment
from catalogue.models import FiscalYear
from jobs import services as job_services
from jobs.models import Job
from organizations import access
from organizations.access import Action, check
from organizations.models import Organization

State = ApprovalRequest.State
STALE = (
    "การวิเคราะห์มีการแก้ไขหลังจากที่ท่านเปิดหน้านี้ ฉบับที่ท่านเห็นไม่ใช่ฉบับปัจจุบัน กรุณาเปิดฉบับร่างล่าสุดแล้วส่งขออนุมัติอีกครั้ง"
)


def open_request(document: AnalysisDocument) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.filter(document=document, state__in=ApprovalRequest.OPEN)
        .select_related("requested_by")
        .first()
    )


def _refuse_second(open_: ApprovalRequest) -> None:
    services.refuse_second(open_, what="การวิเคราะห์นี้", page="หน้าการวิเคราะห์")


def _publishing(document: AnalysisDocument) -> bool:
    jobs = Job.objects.filter(
        kind=analysis_jobs.KIND,
        organization=document.organization,
        fiscal_year=document.fiscal_year,
        state__in=Job.ACTIVE,
    )
    return any(not job.is_stale for job in jobs)


def _sendable(document: AnalysisDocument, content_sha256: str) -> str:
    """The locked analysis's current content hash, when it may be sent."""
    if not approval_required(document.organization):
        raise ValidationError("หน่วยงานนี้ไม่ใช้ขั้นตอนอนุมัติก่อนเผยแพร่ ผู้ประสานงานเผยแพร่ได้ทันทีที่หน้าการวิเคราะห์")
    open_ = open_request(document)
    if open_ is not None and open_.state == State.APPROVED and not _publishing(document):
        # Approved, but its publication failed (the analysis changed since, say).
        services._set_state(open_, State.APPROVED, State.CANCELLED)
        open_ = None
    if open_ is not None:
        _refuse_second(open_)
    current = analysis_services.current_sha256(document)
    if content_sha256 != current:
        raise ValidationError(STALE)
    newest = document.publications.filter(withdrawn_at__isnull=True).order_by("-version").first()
    if newest is not None and newest.content_sha256 == current:
        raise ValidationError(
            f"การวิเคราะห์ไม่มีการเปลี่ยนแปลงจากฉบับที่ {newest.version} ที่เผยแพร่อยู่ "
            "จึงไม่ต้องขออนุมัติ ลิงก์สาธารณะยังแสดงฉบับนั้น"
        )
    return current


def _locked(document_id: int) -> AnalysisDocument:
    return (
        AnalysisDocument.objects.select_for_update(of=("self",))
        .select_related("organization", "fiscal_year")
        .get(pk=document_id)
    )


def request_approval(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    user,
    content_sha256: str,
    note: str = "",
    position: str = "",
    approve_now: bool = False,
) -> ApprovalRequest:
    """Send the analysis as it stands (`content_sha256`: what the coordinator looked
    at) for approval; a coordinator who is also an approver may approve it in the
    same step (`approve_now`): the publishing job starts."""
    check(user, organization, Action.PUBLISH)
    if approve_now:
        access.check_approve_publication(user, organization)
    note = services._text(note, "note", "บันทึกถึงผู้อนุมัติ")
    position = services._text(position, "position", "ตำแหน่ง", 255)
    document = analysis_services.document_for(
        organization=organization, fiscal_year=fiscal_year, user=user
    )
    with transaction.atomic():
        document = _locked(document.pk)
        current = _sendable(document, content_sha256)
        approval = services.save_request(
            user=user,
            position=position,
            refuse=_refuse_second,
            open_request=lambda: open_request(document),
            organization=organization,
            target=ApprovalRequest.Target.ANALYSIS,
            document=document,
            content_sha256=current,
            note=note,
        )
    if approve_now:
        approve(approval=approval, user=user, content_sha256=current, position=position)
        approval.refresh_from_db()
    return approval


def approve(
    *, approval: ApprovalRequest, user, content_sha256: str, position: str = ""
) -> tuple[ApprovalRequest, Job]:
    """Approve the analysis that was read and start its publishing job on the
    requester's behalf; refused when the analysis changed since it was sent."""
    access.check_approve_publication(user, approval.organization)
    position = services._text(position, "position", "ตำแหน่ง", 255)
    with transaction.atomic():
        document = _locked(approval.document_id)
        approval.refresh_from_db()
        if approval.state != State.WAITING:
            raise ValidationError(services._decided_message(approval))
        if content_sha256 != approval.content_sha256:
            raise ValidationError("ฉบับที่ท่านเปิดอ่านไม่ใช่ฉบับที่ส่งขออนุมัติ กรุณาเปิดหน้าคำขออีกครั้งแล้วอ่านฉบับร่าง")
        if analysis_services.current_sha256(document) != approval.content_sha256:
            raise ValidationError(
                "การวิเคราะห์มีการแก้ไขหลังจากส่งขออนุมัติเมื่อ "
                f"{thai_moment(approval.requested_at)} ฉบับปัจจุบันจึงไม่ใช่ฉบับที่ท่านอ่าน "
                "และอนุมัติไม่ได้ กรุณาส่งกลับ หรือให้ผู้ประสานงานส่งขออนุมัติฉบับใหม่"
            )
        fields = {
            "decided_by": user,
            "decided_name": display_name(user),
            "decided_position": position,
            "decided_at": timezone.now(),
        }
        if not services._set_state(approval, State.WAITING, State.APPROVED, **fields):
            raise ValidationError(services._decided_message(approval))
        approval.refresh_from_db()
        job, _ = job_services.start(
            kind=analysis_jobs.KIND,
            organization=document.organization,
            fiscal_year=document.fiscal_year,
            user=approval.requested_by,
            params={"document": document.pk, "approval": approval.pk},
        )
    return approval, job


def mark_published(approval: ApprovalRequest, publication: PublishedAnalysis) -> None:
    """Inside the publication's transaction: the approved request became it."""
    moved = ApprovalRequest.objects.filter(pk=approval.pk, state=State.APPROVED).update(
        state=State.PUBLISHED, analysis_publication=publication
    )
    if not moved:
        raise ValidationError("คำขออนุมัตินี้ถูกยกเลิกระหว่างเผยแพร่ จึงไม่ได้เผยแพร่")
    transaction.on_commit(lambda: services._paperwork(approval.pk, publication))


def record_own_authority(publication: PublishedAnalysis, user, position: str = "") -> None:
    """Inside the publication's transaction: published without the approval step
    (the agency turned it off), on the coordinator's own authority."""
    ApprovalRequest.objects.create(
        organization_id=publication.document.organization_id,
        target=ApprovalRequest.Target.ANALYSIS,
        document=publication.document,
        state=State.PUBLISHED,
        authority=ApprovalRequest.Authority.OWN,
        content_sha256=publication.content_sha256,
        requested_by=user,
        requested_name=display_name(user),
        requested_position=position,
        requested_at=timezone.now(),
        analysis_publication=publication,
    )
