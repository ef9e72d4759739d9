"""How approvals takes part in reports' publishing (reports.services.AUTHORITIES,
filled in ApprovalsConfig.ready): the publish button leads to the approval page
while the agency asks approval; the publication job publishes an approved request
(its content, the recorded names in the sign-off block) and refuses otherwise; a
version published without the step is recorded as the coordinator's own authority;
the pages listing versions say who asked and who approved."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals import selectors, services
from approvals.models import ApprovalRequest
from reports import services as reports_services
from reports.document import SignOff
from thai import conventions as thai

REPORTER, APPROVER = "ผู้รายงาน", "ผู้อนุมัติ"


def _date(moment, thai_digits: bool) -> str:
    return thai.format_thai_date(timezone.localdate(moment), thai_digits=thai_digits)


def sign_offs(approval: ApprovalRequest, round_) -> list[SignOff]:
    """The sign-off block of an approved version: the requester and the approver,
    their positions and dates, as recorded (the document's digits)."""
    digits = round_.organization.thai_digits
    return [
        SignOff(
            REPORTER,
            approval.requested_name,
            approval.requested_position,
            dated=f"เสนอขออนุมัติเมื่อ {_date(approval.requested_at, digits)}",
            recorded=True,
        ),
        SignOff(
            APPROVER,
            approval.decided_name,
            approval.decided_position,
            dated=f"อนุมัติให้เผยแพร่เมื่อ {_date(approval.decided_at, digits)}",
            recorded=True,
        ),
    ]


def own_sign_offs(user, round_) -> list[SignOff]:
    """Published on the coordinator's own authority: they are the reporter, on the
    day; the approver's lines stay as typed on the round (or dotted)."""
    digits = round_.organization.thai_digits
    return [
        SignOff(
            REPORTER,
            selectors.display_name(user),
            round_.reporter_position,
            dated=f"เผยแพร่เมื่อ {_date(timezone.now(), digits)}",
            recorded=True,
        ),
        SignOff(APPROVER, round_.approver_name, round_.approver_position),
    ]


class ApprovalAuthority:
    def approval_page(self, round_, user) -> str | None:
        if not selectors.approval_required(round_.organization):
            return None
        return reverse(
            "approvals:request",
            args=[round_.organization.slug, round_.fiscal_year.year, round_.kind],
        )

    def authority(self, round_, user, params: dict) -> reports_services.Authority:
        printed = selectors.settings_of(round_.organization).recorded_sign_off
        approval_id = (params or {}).get("approval")
        if approval_id is not None:
            approval = ApprovalRequest.objects.filter(pk=approval_id, round=round_).first()
            if approval is None or approval.state != ApprovalRequest.State.APPROVED:
                raise ValidationError("คำขออนุมัติของการเผยแพร่นี้ถูกยกเลิกหรือเผยแพร่ไปแล้ว")
            return reports_services.Authority(
                sign_offs=sign_offs(approval, round_) if printed else None,
                content_sha256=approval.content_sha256,
                recorded=lambda report: services.mark_published(approval, report),
            )
        if selectors.approval_required(round_.organization):
            raise ValidationError("หน่วยงานนี้เผยแพร่รายงานได้เมื่อผู้บริหารอนุมัติแล้ว กรุณาส่งขออนุมัติที่หน้ารายงาน")
        return reports_services.Authority(
            sign_offs=own_sign_offs(user, round_) if printed else None,
            recorded=lambda report: services.record_own_authority(
                report, user, round_.reporter_position
            ),
        )

    def annotate(self, publications: list) -> None:
        selectors.attach_records(publications)


def connect() -> None:
    if not any(isinstance(a, ApprovalAuthority) for a in reports_services.AUTHORITIES):
        reports_services.AUTHORITIES.append(ApprovalAuthority())
