"""The executive dashboard's "ผลการประเมินปีก่อน": last year's scores beside this
year's measures, matched by tool and indicator number across the years' catalogues;
a weak indicator no measure answers and measures answering no weak indicator are
pointed out; the page costs the same number of queries for 8 measures as for 80."""

import pytest
from django.urls import reverse

from demo.generate import generate_measures
from measures.models import Measure
from organizations.access import SYSTEM
from organizations.models import Membership
from oversight.tests.test_dashboard import DASHBOARD_QUERIES
from results.services import import_results
from results.tests.conftest import HEADER, UBON_ROW, csv_bytes
from testing.factories import member
from testing.pages import element_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive_client(client, org):
    client.force_login(member(org, Membership.Role.EXECUTIVE, "executive"))
    return client


def dashboard_url(round_) -> str:
    return reverse("oversight:dashboard", args=["ubon-pao", round_.fiscal_year.year, round_.kind])


@pytest.fixture
def scored(fy2565):
    """อบจ.อุบลราชธานี's 2565 result: weak on IIT 3, EIT 6 and OIT 10."""
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes([HEADER, UBON_ROW]))


def test_last_years_weak_points_beside_this_years_measures(executive_client, six, scored):
    page = executive_client.get(dashboard_url(six))
    assert element_text(page, "previous-total") == (
        "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2565: คะแนนรวม 84.32 ระดับ B · ค่าเป้าหมาย 85.00 "
        "· จุดอ่อน 3 ตัวชี้วัด"
    )
    rows = element_text(page, "previous-indicators")
    assert "IIT 1. การปฏิบัติหน้าที่ 90.50 มาตรการที่ 7" in rows
    assert "IIT 3. การใช้อำนาจ 80.25 ต่ำกว่าเป้าหมาย ยังไม่มีมาตรการตอบจุดอ่อนนี้" in rows
    assert "EIT 6. คุณภาพการดำเนินงาน 70.00 ต่ำกว่าเป้าหมาย ยังไม่มีมาตรการตอบจุดอ่อนนี้" in rows
    assert "OIT 10. การป้องกันการทุจริต 60.75 ต่ำกว่าเป้าหมาย มาตรการที่ 1 , มาตรการที่ 2" in rows
    assert "IIT 4. การใช้ทรัพย์สินของราชการ 95.00 มาตรการที่ 4" in rows
    assert element_text(page, "previous-unanswered") == (
        "จุดอ่อนที่ยังไม่มีมาตรการ: IIT ตัวชี้วัดที่ 3 การใช้อำนาจ, EIT ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน"
    )
    assert element_text(page, "previous-off-weak") == (
        "มาตรการที่ไม่ได้ตอบจุดอ่อนของปีก่อน: มาตรการที่ 3 (IIT ตัวชี้วัดที่ 2), "
        "มาตรการที่ 4 (IIT ตัวชี้วัดที่ 4), มาตรการที่ 5 (IIT ตัวชี้วัดที่ 5), "
        "มาตรการที่ 6 (EIT ตัวชี้วัดที่ 7), มาตรการที่ 7 (IIT ตัวชี้วัดที่ 1), "
        "มาตรการที่ 8 (EIT ตัวชี้วัดที่ 8)"
    )


def test_the_agencys_own_target_decides_what_is_weak(
    executive_client, coordinator_client, six, scored, fy2565
):
    from results.models import ITAResult

    result = ITAResult.objects.get()
    data = {f"score_{s.indicator_id}": str(s.score) for s in result.scores.all()}
    data |= {"total": "84.32", "target": "95", "grade": ""}
    coordinator_client.post(reverse("results:form", args=["ubon-pao", 2565]), data)
    page = executive_client.get(dashboard_url(six))
    assert "ค่าเป้าหมาย 95.00 · จุดอ่อน 8 ตัวชี้วัด" in element_text(page, "previous-total")


def test_without_last_years_result_the_section_says_so(executive_client, six):
    page = executive_client.get(dashboard_url(six))
    assert element_text(page, "previous-total") == (
        "ยังไม่มีผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2565 ในระบบ ผู้ประสานงานบันทึกได้ที่หน้าผลการประเมิน ITA"
    )


def test_the_section_costs_one_query_for_8_measures_as_for_80(
    executive_client, six, scored, django_assert_num_queries
):
    # The dashboard's own queries and one for last year's scores (with their
    # result, indicator and tool).
    page_url = dashboard_url(six)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = executive_client.get(page_url)
    assert "มาตรการที่ 1 , มาตรการที่ 2" in element_text(page, "previous-indicators")
    generate_measures(six, 72)
    assert Measure.objects.count() == 80
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = executive_client.get(page_url)
    assert "มาตรการที่ 80" in element_text(page, "previous-indicators")
