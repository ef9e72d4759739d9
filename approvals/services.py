"""Approval before publishing: send a round's report for approval, approve it (the
publication job starts), return it with a reason, cancel a request; the agency's
setting and its named approvers; and the records kept with each published version
(approvals.publishing hands them to reports)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from approvals.selectors import approval_required, display_name, thai_moment
from jobs import services as job_services
from jobs.models import Job
from measures.models import Round
from organizations import access
from organizations.access import Action, check
from organizations.models import Membership, Organization
from paperwork import services as paperwork_services
from reports.models import PublishedReport
from reports.pdf import drafts

logger = logging.getLogger(__name__)
State = ApprovalRequest.State
NOTE_MAX_CHARS = 2000
STALE = "รายงานมีการแก้ไขหลังจากที่ท่านเปิดหน้านี้ ฉบับที่ท่านเห็นไม่ใช่ฉบับปัจจุบัน กรุณาเปิดฉบับร่างล่าสุดแล้วส่งขออนุมัติอีกครั้ง"


def _text(value: str, field: str, label: str, limit: int = NOTE_MAX_CHARS) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: f"{label}มีอักขระ NUL ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้"})
    if len(value) > limit:
        raise ValidationError(
            {field: f"{label}ยาวได้ไม่เกิน {limit:,} ตัวอักษร (ที่พิมพ์มา {len(value):,} ตัวอักษร)"}
        )
    return value


def _open_request(round_: Round) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.filter(round=round_, state__in=ApprovalRequest.OPEN)
        .select_related("requested_by")
        .first()
    )


def refuse_second(open_: ApprovalRequest, *, what: str, page: str) -> None:
    """The Thai refusal of a request while one is open for the same document."""
    if open_.state == State.WAITING:
        raise ValidationError(
            f"{what}ส่งขออนุมัติไว้แล้วเมื่อ {thai_moment(open_.requested_at)} "
            f"โดย {open_.requested_name} และยังรอผู้อนุมัติอยู่ ถ้าต้องการส่งฉบับใหม่ ให้ยกเลิกคำขอเดิมก่อน"
        )
    raise ValidationError(
        f"{what}ได้รับอนุมัติแล้วเมื่อ {thai_moment(open_.decided_at)} "
        f"โดย {open_.decided_name} และกำลังเผยแพร่ ดูผลได้ที่{page}"
    )


def _refuse_second(open_: ApprovalRequest) -> None:
    refuse_second(open_, what="รายงานรอบนี้", page="หน้ารายงาน")


def save_request(*, user, position: str, refuse, open_request, **fields) -> ApprovalRequest:
    """A new request by `user`, checked and saved; one sent at the same moment for the
    same document (the one-open-request constraint; SQLite has no row lock) gets
    `refuse(open_request())`."""
    approval = ApprovalRequest(
        requested_by=user,
        requested_name=display_name(user),
        requested_position=position,
        requested_at=timezone.now(),
        **fields,
    )
    approval.full_clean()
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        refuse(open_request())
    return approval


def request_approval(
    *,
    round_: Round,
    user,
    content_sha256: str,
    note: str = "",
    position: str = "",
    approve_now: bool = False,
) -> ApprovalRequest:
    """Send the round's report as it stands (`content_sha256`: the draft the
    coordinator looked at) for approval. A coordinator who is also an approver may
    approve it in the same step (`approve_now`): the publication job starts."""
    check(user, round_.organization, Action.PUBLISH)
    if approve_now:
        access.check_approve_publication(user, round_.organization)
    note = _text(note, "note", "บันทึกถึงผู้อนุมัติ")
    position = _text(position, "position", "ตำแหน่ง", 255)
    with transaction.atomic():
        round_ = (
            Round.objects.select_for_update(of=("self",))
            .select_related("organization", "fiscal_year")
            .get(pk=round_.pk)
        )
        organization = round_.organization
        draft = _sendable(round_, content_sha256)
        approval = save_request(
            user=user,
            position=position,
            refuse=_refuse_second,
            open_request=lambda: _open_request(round_),
            organization=organization,
            target=ApprovalRequest.Target.REPORT,
            round=round_,
            content_sha256=draft.sha256,
            note=note,
        )
    if approve_now:
        approve(approval=approval, user=user, content_sha256=draft.sha256, position=position)
        approval.refresh_from_db()
    return approval


def _sendable(round_: Round, content_sha256: str) -> drafts.Draft:
    """The locked round's report as it stands, when it may be sent: the agency asks
    approval, nothing waits already, it is what the coordinator saw, and it differs
    from the version published."""
    if not approval_required(round_.organization):
        raise ValidationError("หน่วยงานนี้ไม่ใช้ขั้นตอนอนุมัติก่อนเผยแพร่ ผู้ประสานงานเผยแพร่ได้ทันทีที่หน้ารายงาน")
    open_ = _open_request(round_)
    if open_ is not None and open_.state == State.APPROVED and not _publishing(round_):
        # Approved, but its publication failed (the report changed since, say).
        _set_state(open_, State.APPROVED, State.CANCELLED)
        open_ = None
    if open_ is not None:
        _refuse_second(open_)
    draft = drafts.current(round_)
    if content_sha256 != draft.sha256:
        raise ValidationError(STALE)
    newest = round_.publications.filter(withdrawn_at__isnull=True).order_by("-version").first()
    if newest is not None and newest.content_sha256 == draft.sha256:
        raise ValidationError(
            f"รายงานไม่มีการเปลี่ยนแปลงจากฉบับที่ {newest.version} ที่เผยแพร่อยู่ "
            "จึงไม่ต้องขออนุมัติ ลิงก์สาธารณะยังแสดงฉบับนั้น"
        )
    return draft


def _publishing(round_: Round) -> bool:
    return job_services.active_job(kind=Job.Kind.PUBLISH, round_=round_) is not None


def _set_state(approval: ApprovalRequest, before: str, after: str, **fields) -> bool:
    """Move the request from `before` to `after` in one statement: of two tabs (or two
    approvers) deciding at once, one moves it, the other finds it decided."""
    moved = ApprovalRequest.objects.filter(pk=approval.pk, state=before).update(
        state=after, **fields
    )
    return bool(moved)


def _decided_message(approval: ApprovalRequest) -> str:
    approval.refresh_from_db()
    who, when = approval.decided_name, thai_moment(approval.decided_at)
    if approval.state in (State.APPROVED, State.PUBLISHED):
        return f"คำขอนี้ได้รับอนุมัติแล้วเมื่อ {when} โดย {who} ไม่ต้องอนุมัติซ้ำ"
    if approval.state == State.RETURNED:
        return f"คำขอนี้ส่งกลับให้แก้ไขแล้วเมื่อ {when} โดย {who} ด้วยเหตุผล “{approval.reason}”"
    return "ผู้ประสานงานยกเลิกคำขอนี้แล้ว จึงพิจารณาไม่ได้"


def approve(
    *, approval: ApprovalRequest, user, content_sha256: str, position: str = ""
) -> tuple[ApprovalRequest, Job]:
    """Approve what was read (`content_sha256`: the version the approver opened) and
    start its publication as a job, on the requester's behalf (they publish; the job
    records the approval with the version). Refused when the report changed since it
    was sent: the approver must approve what they read."""
    if approval.target == ApprovalRequest.Target.ANALYSIS:
        from approvals import analysis_services  # it builds on this module

        return analysis_services.approve(
            approval=approval, user=user, content_sha256=content_sha256, position=position
        )
    access.check_approve_publication(user, approval.organization)
    position = _text(position, "position", "ตำแหน่ง", 255)
    with transaction.atomic():
        round_ = (
            Round.objects.select_for_update(of=("self",))
            .select_related("organization", "fiscal_year")
            .get(pk=approval.round_id)
        )
        approval.refresh_from_db()
        if approval.state != State.WAITING:
            raise ValidationError(_decided_message(approval))
        if content_sha256 != approval.content_sha256:
            raise ValidationError("ฉบับที่ท่านเปิดอ่านไม่ใช่ฉบับที่ส่งขออนุมัติ กรุณาเปิดหน้าคำขออีกครั้งแล้วอ่านฉบับร่าง")
        if drafts.current(round_).sha256 != approval.content_sha256:
            raise ValidationError(
                "รายงานมีการแก้ไขหลังจากส่งขออนุมัติเมื่อ "
                f"{thai_moment(approval.requested_at)} ฉบับปัจจุบันจึงไม่ใช่ฉบับที่ท่านอ่าน "
                "และอนุมัติไม่ได้ กรุณาส่งกลับ หรือให้ผู้ประสานงานส่งขออนุมัติฉบับใหม่"
            )
        fields = {
            "decided_by": user,
            "decided_name": display_name(user),
            "decided_position": position,
            "decided_at": timezone.now(),
        }
        if not _set_state(approval, State.WAITING, State.APPROVED, **fields):
            raise ValidationError(_decided_message(approval))
        approval.refresh_from_db()
        job, _ = job_services.start(
            kind=Job.Kind.PUBLISH,
            organization=round_.organization,
            round_=round_,
            user=approval.requested_by,
            params={"approval": approval.pk},
        )
    return approval, job


@transaction.atomic
def return_request(*, approval: ApprovalRequest, user, reason: str) -> ApprovalRequest:
    """Return the request to the coordinator with a reason (required)."""
    access.check_approve_publication(user, approval.organization)
    reason = _text(reason, "reason", "เหตุผล")
    if not reason:
        raise ValidationError({"reason": "กรุณาระบุเหตุผลที่ส่งกลับ ผู้ประสานงานจะเห็นเหตุผลนี้เพื่อแก้ไขรายงาน"})
    fields = {
        "decided_by": user,
        "decided_name": display_name(user),
        "decided_at": timezone.now(),
        "reason": reason,
    }
    if not _set_state(approval, State.WAITING, State.RETURNED, **fields):
        raise ValidationError(_decided_message(approval))
    approval.refresh_from_db()
    return approval


@transaction.atomic
def cancel_request(*, approval: ApprovalRequest, user) -> ApprovalRequest:
    """The coordinator takes back a request still waiting (to send a corrected one)."""
    check(user, approval.organization, Action.PUBLISH)
    if not _set_state(approval, State.WAITING, State.CANCELLED):
        raise ValidationError(_decided_message(approval))
    approval.refresh_from_db()
    return approval


def mark_published(approval: ApprovalRequest, report: PublishedReport) -> None:
    """Inside the publication's transaction: the approved request became `report`."""
    moved = ApprovalRequest.objects.filter(pk=approval.pk, state=State.APPROVED).update(
        state=State.PUBLISHED, publication=report
    )
    if not moved:
        raise ValidationError("คำขออนุมัตินี้ถูกยกเลิกระหว่างเผยแพร่ จึงไม่ได้เผยแพร่")
    transaction.on_commit(lambda: _paperwork(approval.pk, report))


def _paperwork(approval_id: int, report) -> None:
    """The memo and the form of the approved version (paperwork), once it is
    published. A failure is logged and leaves the publication and the decision as
    they are: `paperwork.services.generate_for_approval` may be called again for it."""
    approval = ApprovalRequest.objects.select_related("requested_by", "decided_by").get(
        pk=approval_id
    )
    try:
        paperwork_services.generate_for_approval(
            report=report,
            requested_by=approval.requested_by,
            requested_at=approval.requested_at,
            approved_by=approval.decided_by,
            approved_at=approval.decided_at,
            note=approval.note,
            requester_position=approval.requested_position,
            approver_position=approval.decided_position,
        )
    except Exception:
        logger.exception("paperwork of approval %s (version %s) failed", approval_id, report.pk)


def record_own_authority(report: PublishedReport, user, position: str = "") -> ApprovalRequest:
    """Inside the publication's transaction: a version published without the approval
    step (the agency turned it off) is recorded as the coordinator's own authority."""
    now = timezone.now()
    return ApprovalRequest.objects.create(
        organization_id=report.round.organization_id,
        round=report.round,
        state=State.PUBLISHED,
        authority=ApprovalRequest.Authority.OWN,
        content_sha256=report.content_sha256,
        requested_by=user,
        requested_name=display_name(user),
        requested_position=position,
        requested_at=now,
        publication=report,
    )


@transaction.atomic
def save_settings(
    *, user, organization: Organization, required: bool, recorded_sign_off: bool
) -> ApprovalSettings:
    """The coordinator turns the approval step and the recorded sign-off on or off."""
    if not access.can_manage(user, organization.pk):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานเปลี่ยนการตั้งค่าการอนุมัติได้")
    row, _ = ApprovalSettings.objects.select_for_update().get_or_create(organization=organization)
    row.required = required
    row.recorded_sign_off = recorded_sign_off
    row.updated_by = access.recorded_user(user)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def name_approver(*, user, organization: Organization, member, position: str = "") -> Approver:
    """Name a member (a coordinator or an executive) as an approver of the agency."""
    if not access.can_manage(user, organization.pk):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานระบุผู้อนุมัติได้")
    role = (
        Membership.objects.filter(user=member, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or not access.may_be_named_approver(role):
        raise ValidationError(
            {"member": "ผู้อนุมัติต้องเป็นผู้ประสานงานหรือผู้บริหารของหน่วยงาน (ผู้ที่เปิดอ่านฉบับร่างได้)"}
        )
    position = _text(position, "position", "ตำแหน่ง", 255)
    if Approver.objects.filter(organization=organization, user=member).exists():
        raise ValidationError({"member": f"{display_name(member)} เป็นผู้อนุมัติของหน่วยงานอยู่แล้ว"})
    return Approver.objects.create(
        organization=organization,
        user=member,
        position=position,
        named_by=access.recorded_user(user),
    )


@transaction.atomic
def remove_approver(*, user, approver: Approver) -> None:
    if not access.can_manage(user, approver.organization_id):
        raise PermissionDenied("เฉพาะผู้ประสานงาน ITA ของหน่วยงานเปลี่ยนผู้อนุมัติได้")
    Approver.objects.filter(pk=approver.pk).delete()
