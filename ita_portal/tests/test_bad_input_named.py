"""The bad input that answered 500 in the attack pass of issue 17 (item 7), each as
the person who sent it: each now answers the Thai refusal (400) or the page with a
Thai message, and stores nothing. test_bad_input walks every URL and form the same
way; these say what each answer reads."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from catalogue.models import Indicator
from measures.models import Measure
from reports.models import PublishedReport
from reports.services import publish_round
from testing.forms import form_data
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

NUL = "ก\x00ข"
REFUSED = "ข้อมูลที่ส่งมามีอักขระ NUL (รหัส 0) ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้"
TOO_LARGE = "ที่อยู่หรือข้อมูลที่ส่งมามีตัวเลขใหญ่เกินกว่าที่ระบบรับได้"
HUGE = "99999999999999999999"


@pytest.fixture
def root_client(client, seed):
    client.force_login(get_user_model().objects.create_superuser("root", "", "pass-1234"))
    return client


@pytest.mark.parametrize("province", ["²", HUGE])
def test_the_roll_up_names_a_province_it_cannot_read(root_client, province):
    url = reverse("oversight:oversight", args=[2566, 12])
    page = visible_text(root_client.get(url, {"province": province}))
    assert "ไม่พบจังหวัดนี้ในขอบเขตที่คุณกำกับติดตาม" in page
    export = root_client.get(url + "export.csv", {"province": province})
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("province", ["²", HUGE])
def test_the_public_directory_names_a_province_it_cannot_read(client, seed, province):
    page = visible_text(client.get("/", {"province": province}))
    assert "ไม่พบจังหวัดที่เลือก" in page


def test_a_job_number_that_is_no_number_is_not_followed(coordinator_client, org, media_root):
    url = reverse("reports:page", args=[org.slug, 2566, 6])
    assert "รายงาน" in visible_text(coordinator_client.get(url, {"job": "²"}))
    assert "รายงาน" in visible_text(coordinator_client.get(url, {"job": HUGE}))
    pdf = coordinator_client.get(url + "pdf/", {"job": "²"})
    assert pdf.status_code in (200, 202)


@pytest.mark.parametrize(
    "url",
    [
        "/?q=" + NUL,
        "/admin/measures/measure/?tool=" + NUL,
        "/admin/progress/progress/?status__exact=" + NUL,
        "/admin/progress/progress/?review_state__exact=" + NUL,
        "/admin/jobs/job/?kind__exact=" + NUL,
        "/admin/jobs/job/?state__exact=" + NUL,
        "/admin/catalogue/indicator/?tool__code__exact=" + NUL,
        "/admin/organizations/organization/?kind=" + NUL,
        "/admin/organizations/organization/?origin=" + NUL,
        "/admin/organizations/overseerscope/?organization_kind=" + NUL,
        "/admin/autocomplete/?app_label=measures&model_name=measure&field_name=indicator&term="
        + NUL,
    ],
)
def test_a_nul_in_the_address_is_refused_in_thai(root_client, url):
    response = root_client.get(url)
    assert response.status_code == 400
    assert REFUSED in visible_text(response, status=400)


def test_a_nul_in_a_cookie_is_refused_before_the_session_is_looked_up(client, seed):
    response = client.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abcdefgh\x00ij")
    assert REFUSED in visible_text(response, status=400)


@pytest.fixture
def published(org, coordinator, media_root):
    return publish_round(round_=org.rounds.get(kind=6), user=coordinator)


def _withdraw(client, org, report, reason):
    url = reverse("reports:withdraw", args=[org.slug, 2566, 6, report.version])
    return client.post(url, {"reason": reason})


def test_a_withdrawal_reason_with_a_nul_is_refused_and_nothing_stored(
    coordinator_client, org, published
):
    response = _withdraw(coordinator_client, org, published, "พิมพ์ผิด" + NUL)
    assert "(ช่อง reason)" in visible_text(response, status=400)
    published.refresh_from_db()
    assert published.withdrawn_at is None and published.withdrawal_reason == ""


def test_the_withdrawal_form_itself_refuses_a_nul(coordinator_client, org, published):
    """Without the request's refusal (operations.request_input), the form says it."""
    middleware = [m for m in settings.MIDDLEWARE if "BadInputMiddleware" not in m]
    with override_settings(MIDDLEWARE=middleware):
        response = _withdraw(coordinator_client, org, published, "พิมพ์ผิด" + NUL)
    page = visible_text(response, status=400)
    assert "เหตุผลมีอักขระ NUL ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้" in page
    assert "พิมพ์ผิดกข" in page  # what was typed is kept, without the NUL
    assert b"\x00" not in response.content
    assert PublishedReport.objects.get(pk=published.pk).withdrawn_at is None


def test_an_admin_lookup_past_any_id_is_no_500(root_client):
    """The admin takes any field's lookup from its address; on SQLite a number past
    its integers overflows (the Thai refusal), PostgreSQL finds no row."""
    response = root_client.get("/admin/measures/measure/", {"fiscal_year": HUGE})
    if response.status_code == 400:
        assert TOO_LARGE in visible_text(response, status=400)
    else:
        assert response.status_code == 200
    year = root_client.get("/admin/axes/accessattempt/", {"attempt_time__year": HUGE})
    assert TOO_LARGE in visible_text(year, status=400)


def test_an_autocomplete_field_sent_back_with_no_id_says_so(root_client, org):
    measure = Measure.objects.filter(organization=org).first()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = form_data(root_client.get(url).content.decode(), form_id="measure_form")
    for value in ("²", "ก" * 300):
        response = root_client.post(url, {**data, "indicator": value})
        assert response.status_code == 200
        assert "เลือกตัวเลือกที่ถูกต้อง" in visible_text(response)
    measure.refresh_from_db()
    assert Indicator.objects.filter(pk=measure.indicator_id).exists()
