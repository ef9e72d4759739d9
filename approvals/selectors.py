"""Reads of approvals: whether an agency asks approval, who approves, what waits
for whom (the home page, and the reminders app: `waiting_for`), and the record of
each published version."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from approvals.models import ApprovalRequest, ApprovalSettings, Approver
from organizations.models import Membership, Organization
from thai import conventions as thai


def display_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def thai_moment(moment: datetime | None, thai_digits: bool = False) -> str:
    """ "6 ธันวาคม 2569 เวลา 14:05 น." in the portal's time zone ("" for None)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    text = f"{thai.format_thai_date(local.date())} เวลา {local:%H:%M} น."
    return thai.localize_digits(text, thai_digits)


def settings_of(organization: Organization) -> ApprovalSettings:
    """The agency's setting; the defaults (approval on, names printed) when it has
    none saved."""
    found = ApprovalSettings.objects.filter(organization=organization).first()
    return found or ApprovalSettings(organization=organization)


def has_approvers(organization: Organization) -> bool:
    """Someone on the portal may approve: an executive, or a named approver."""
    return (
        Membership.objects.filter(
            organization=organization, role=Membership.Role.EXECUTIVE
        ).exists()
        or Approver.objects.filter(organization=organization).exists()
    )


def approval_required(organization: Organization) -> bool:
    """Publishing waits for approval: the agency asks it (the default) and has
    someone on the portal who may give it. An agency without any approver account
    publishes on its coordinator's authority, recorded as such, until it adds one."""
    return settings_of(organization).required and has_approvers(organization)


def approvers(organization: Organization) -> list[dict]:
    """Everyone who may approve: the executives, then the named approvers."""
    people = [
        {"user": m.user, "position": "", "named": None}
        for m in Membership.objects.filter(
            organization=organization, role=Membership.Role.EXECUTIVE
        ).select_related("user")
    ]
    executives = {p["user"].pk for p in people}
    for named in Approver.objects.filter(organization=organization).select_related("user"):
        if named.user_id in executives:
            next(p for p in people if p["user"].pk == named.user_id)["named"] = named
        else:
            people.append({"user": named.user, "position": named.position, "named": named})
    return people


def _approved_organizations(user) -> Q:
    executive = Membership.objects.filter(user=user, role=Membership.Role.EXECUTIVE).values(
        "organization_id"
    )
    named = Approver.objects.filter(user=user, organization__memberships__user=user).values(
        "organization_id"
    )
    return Q(organization_id__in=executive) | Q(organization_id__in=named)


def waiting_for(user) -> QuerySet[ApprovalRequest]:
    """Requests waiting for this approver (oldest first), over every agency where
    they may approve; none for anyone else."""
    if not user.is_authenticated:
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.filter(
            _approved_organizations(user), state=ApprovalRequest.State.WAITING
        )
        .select_related(
            "organization", "round__fiscal_year", "document__fiscal_year", "requested_by"
        )
        .order_by("requested_at", "pk")
    )


def sent_from(organization: Organization) -> list[ApprovalRequest]:
    """What the agency asked and its coordinator still has to follow (the home page):
    requests waiting for the approver, and returned ones that no newer request of the
    same report or analysis has followed. One query."""
    newer = ApprovalRequest.objects.filter(
        Q(round=OuterRef("round"), round__isnull=False)
        | Q(document=OuterRef("document"), document__isnull=False),
        requested_at__gt=OuterRef("requested_at"),
    )
    return list(
        ApprovalRequest.objects.filter(
            organization=organization,
            state__in=[ApprovalRequest.State.WAITING, ApprovalRequest.State.RETURNED],
        )
        .filter(~Exists(newer))
        .select_related("round__fiscal_year", "document__fiscal_year")
        .order_by("requested_at", "pk")
    )


def waiting_in(user, organization: Organization) -> list[ApprovalRequest]:
    return list(waiting_for(user).filter(organization=organization))


def requests_of(round_) -> list[ApprovalRequest]:
    """The round's requests, newest first (the coordinator's page)."""
    return list(
        ApprovalRequest.objects.filter(round=round_)
        .exclude(authority=ApprovalRequest.Authority.OWN)
        .select_related("publication")
        .order_by("-requested_at", "-pk")[:20]
    )


def open_request(round_) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(round=round_, state__in=ApprovalRequest.OPEN).first()


def requests_of_document(document) -> list[ApprovalRequest]:
    """The analysis's requests, newest first (the coordinator's page)."""
    if document is None:
        return []
    return list(
        ApprovalRequest.objects.filter(document=document)
        .exclude(authority=ApprovalRequest.Authority.OWN)
        .select_related("analysis_publication", "document__fiscal_year")
        .order_by("-requested_at", "-pk")[:20]
    )


def open_request_of_document(document) -> ApprovalRequest | None:
    if document is None:
        return None
    return ApprovalRequest.objects.filter(document=document, state__in=ApprovalRequest.OPEN).first()


def record_line(record: ApprovalRequest) -> str:
    """What the public listing and the report page say of a version's authority."""
    asked = f"{record.requested_name}"
    if record.requested_position:
        asked += f" ({record.requested_position})"
    if record.authority == ApprovalRequest.Authority.OWN:
        return f"เผยแพร่โดยอำนาจของผู้ประสานงาน: {asked} เมื่อ {thai_moment(record.requested_at)}"
    approved = record.decided_name
    if record.decided_position:
        approved += f" ({record.decided_position})"
    return (
        f"ขออนุมัติโดย {asked} เมื่อ {thai_moment(record.requested_at)} · "
        f"อนุมัติโดย {approved} เมื่อ {thai_moment(record.decided_at)} · "
        f"SHA-256 ของเนื้อหาที่อนุมัติ {record.content_sha256}"
    )


def attach_records(publications: list, field: str = "publication") -> None:
    """Give each published version `.authority_line` (one query for all); `field`:
    the request's link to that kind of version (a report's, an analysis's)."""
    found = ApprovalRequest.objects.filter(**{f"{field}__in": [p.pk for p in publications]})
    by_publication = {getattr(r, f"{field}_id"): r for r in found}
    for publication in publications:
        record = by_publication.get(publication.pk)
        publication.authority_line = record_line(record) if record else ""
        publication.content_line = record.content_sha256 if record else ""
