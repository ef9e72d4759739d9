"""The whole way: the coordinator sends the seed's 6-month report for approval with a
note, the executive approves it, the job publishes it, and the version's memo and
form carry the note, the names, the positions and the public link (approvals calls
paperwork.services.generate_for_approval once the publication is committed)."""

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from organizations.models import Membership
from paperwork.models import Paperwork
from testing.factories import member
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_an_approved_report_comes_with_its_memo_and_form(
    client, six, django_capture_on_commit_callbacks
):
    org = six.organization
    coordinator = member(
        org, Membership.Role.COORDINATOR, "coord", first_name="สมหญิง", last_name="ตรวจงาน"
    )
    executive = member(org, Membership.Role.EXECUTIVE, "boss", first_name="สมชาย", last_name="ใจดี")
    where = [org.slug, 2566, 6]
    client.force_login(coordinator)
    url = reverse("approvals:request", args=where)
    sha = client.get(url).context["content_sha256"]
    client.post(
        url,
        {
            "content_sha256": sha,
            "note": "ตามหนังสือสั่งการ ที่ อบ 0023/ว 45",
            "position": "นักวิเคราะห์นโยบายและแผน",
        },
    )
    approval = ApprovalRequest.objects.get()
    client.force_login(executive)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("approvals:detail", args=[approval.pk]),
            {
                "action": "approve",
                "content_sha256": sha,
                "position": "นายกองค์การบริหารส่วนจังหวัดอุบลราชธานี",
            },
        )
    paperwork = Paperwork.objects.get()
    assert paperwork.report.round == six
    with paperwork.memo_pdf.open("rb") as f:
        memo = squash(pdf_text(f.read()))
    for expected in (
        "เรียนนายกองค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "ตามหนังสือสั่งการที่อบ0023/ว45",
        "(สมหญิงตรวจงาน)นักวิเคราะห์นโยบายและแผน",
        "(สมชายใจดี)นายกองค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "/p/ubon-pao/2566/6/v1.pdf",
    ):
        assert expected in memo, expected

    client.force_login(coordinator)
    page = client.get(reverse("reports:page", args=where))
    assert reverse("paperwork:index", args=[org.slug]) in page.content.decode()
