"""After approving or returning a result the coordinator goes on to the next result
of the agency waiting for review (the home page's queue: oldest update first), and
home when none is left, instead of staying on the measure just reviewed."""

import re

import pytest
from django.urls import reverse

from progress.models import Progress, ReviewState
from testing.forms import form_data
from testing.helpers import measure, report

pytestmark = pytest.mark.django_db


def alerts(response) -> list[str]:
    """The messages the page shows."""
    return re.findall(r'role="alert">([^<]*)</div>', response.content.decode())


def decide(client, m, decision, comment=""):
    page = client.get(reverse("progress:detail", args=[m.pk])).content.decode()
    data = {**form_data(page, form_id="review-12"), "decision": decision, "comment": comment}
    return client.post(reverse("progress:review", args=[m.pk, 12]), data, follow=True)


@pytest.fixture
def two_waiting(client, org, staff):
    """Measures 2 and 4 sent for review, 2 first (4 is every division's)."""
    first, second = measure(org, 2), measure(org, 4)
    client.force_login(staff)
    for m in (first, second):
        sent = report(client, m, status="done", completed_on="31/03/2566", action="submit")
        assert sent.status_code == 302
    assert Progress.objects.filter(review_state=ReviewState.SUBMITTED).count() == 2
    return first, second


def test_approving_goes_on_to_the_next_result_then_home(client, coordinator, two_waiting):
    first, second = two_waiting
    client.force_login(coordinator)

    response = decide(client, first, "approve")

    assert response.redirect_chain[-1][0] == (
        reverse("progress:detail", args=[second.pk]) + "#review-12"
    )
    assert alerts(response) == ["อนุมัติแล้ว: มาตรการที่ 2 รอบ 12 เดือน ต่อไป: มาตรการที่ 4 รอบ 12 เดือน"]
    assert 'id="review-12"' in response.content.decode()  # the next one's review form

    response = decide(client, second, "approve")

    assert response.redirect_chain[-1][0] == reverse("home")
    assert alerts(response) == ["อนุมัติแล้ว: มาตรการที่ 4 รอบ 12 เดือน ตรวจครบทุกรายการแล้ว"]
    assert "ไม่มีรายการรอตรวจ" in response.content.decode()  # the queue on the home page
    assert set(Progress.objects.values_list("review_state", flat=True)) == {ReviewState.APPROVED}


def test_returning_goes_on_to_the_next_result(client, coordinator, two_waiting):
    first, second = two_waiting
    client.force_login(coordinator)

    response = decide(client, first, "return", comment="กรุณาแนบลิงก์หลักฐาน")

    assert response.redirect_chain[-1][0] == (
        reverse("progress:detail", args=[second.pk]) + "#review-12"
    )
    assert alerts(response) == [
        "ส่งกลับให้ผู้รายงานแก้ไขแล้ว: มาตรการที่ 2 รอบ 12 เดือน ต่อไป: มาตรการที่ 4 รอบ 12 เดือน"
    ]
    assert Progress.objects.get(measure=first, round__kind=12).review_state == ReviewState.RETURNED


def test_a_refused_decision_stays_on_the_measure(client, coordinator, two_waiting):
    """Returning without saying what to fix is refused: the coordinator stays on the
    measure to write it, not sent on to the next."""
    first, _ = two_waiting
    client.force_login(coordinator)

    response = decide(client, first, "return")

    assert response.redirect_chain[-1][0] == reverse("progress:detail", args=[first.pk])
    assert Progress.objects.get(measure=first, round__kind=12).review_state == ReviewState.SUBMITTED
