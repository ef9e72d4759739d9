"""How approvals takes part in the analysis's publishing (analysis.services.AUTHORITIES,
filled in ApprovalsConfig.ready), as approvals.publishing does for round reports:
the publish button leads to the approval page while the agency asks approval; the
publishing job publishes an approved request's content and refuses otherwise; a
version published without the step is recorded as the coordinator's own authority;
the pages listing versions say who asked and who approved. The analysis's PDF has
no sign-off block: the names are on the listing and in the paperwork."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import services as analysis_services
from approvals import analysis_services as services
from approvals import selectors
from approvals.models import ApprovalRequest
from reports.services import Authority


class AnalysisApprovalAuthority:
    def approval_page(self, organization, fiscal_year, user) -> str | None:
        if not selectors.approval_required(organization):
            return None
        return reverse("approvals:analysis_request", args=[organization.slug, fiscal_year.year])

    def authority(self, document, user, params: dict) -> Authority:
        approval_id = (params or {}).get("approval")
        if approval_id is not None:
            approval = ApprovalRequest.objects.filter(pk=approval_id, document=document).first()
            if approval is None or approval.state != ApprovalRequest.State.APPROVED:
                raise ValidationError("คำขออนุมัติของการเผยแพร่นี้ถูกยกเลิกหรือเผยแพร่ไปแล้ว")
            return Authority(
                content_sha256=approval.content_sha256,
                recorded=lambda publication: services.mark_published(approval, publication),
            )
        if selectors.approval_required(document.organization):
            raise ValidationError(
                "หน่วยงานนี้เผยแพร่การวิเคราะห์ได้เมื่อผู้บริหารอนุมัติแล้ว กรุณาส่งขออนุมัติที่หน้าการวิเคราะห์"
            )
        return Authority(
            recorded=lambda publication: services.record_own_authority(publication, user)
        )

    def annotate(self, versions: list) -> None:
        selectors.attach_records(versions, field="analysis_publication")


def connect() -> None:
    if not any(isinstance(a, AnalysisApprovalAuthority) for a in analysis_services.AUTHORITIES):
        analysis_services.AUTHORITIES.append(AnalysisApprovalAuthority())
