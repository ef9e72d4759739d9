"""Reminders to approvers: a version sent for approval (app approvals) waits for
them. Each approver of the agency (approvals.selectors.waiting_for: its executives
and named approvers) is reminded the day it was sent, then every
ITA_REMINDER_LATE_EVERY_DAYS days while it waits. Numbers and dates follow the
agency's digit setting; the requester's name stays as typed."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalRequest
from approvals.selectors import waiting_for
from reminders.models import Kind
from reminders.selectors import Item, Notice, absolute, day, number, reminded_people, round_label


def _item(request: ApprovalRequest, today: date) -> Item:
    digits = request.organization.thai_digits
    sent_on = timezone.localdate(request.requested_at)
    waited = max((today - sent_on).days, 0)
    title = request.get_target_display()
    if request.round is not None:
        title += f" {round_label(request.round, digits)}"
    note = f"ขออนุมัติเมื่อ {day(sent_on, digits)} โดย {request.requested_name}"
    if waited:
        note += f" รออนุมัติมาแล้ว {number(waited, digits)} วัน"
    week = waited // settings.ITA_REMINDER_LATE_EVERY_DAYS
    url = absolute(reverse("approvals:detail", args=[request.pk]))
    return Item(f"approval:{request.pk}:w{week}", title, url, note)


def approval_notices(today: date) -> list[Notice]:
    """One notice per approver and agency with versions waiting for them."""
    organizations = set(
        ApprovalRequest.objects.filter(state=ApprovalRequest.State.WAITING).values_list(
            "organization_id", flat=True
        )
    )
    found = []
    for organization_id, members in reminded_people(organizations).items():
        for membership in members:
            waiting = list(
                waiting_for(membership.user)
                .filter(organization_id=organization_id)
                .select_related("round__fiscal_year")
            )
            if waiting:
                notice = Notice(membership.user, Kind.APPROVAL_WAITING, waiting[0].organization)
                notice.items = [_item(r, today) for r in waiting]
                found.append(notice)
    return found
