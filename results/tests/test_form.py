"""The coordinator's form of a year's result: Thai digits accepted, a score of 120
refused naming its field, what was typed kept; who may open it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from organizations.models import Membership, OverseerScope
from results.models import ITAResult
from results.scores import catalogue_indicators
from testing.factories import OrganizationFactory, UserFactory, member
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

THAI_SCORES = ["๙๐.๕๐", "๘๘", "๘๐.๒๕", "๙๕", "๘๖.๑๐", "๗๐", "๙๑", "๘๙", "๙๙", "๖๐.๗๕"]


def url(year=2565, slug="ubon-pao") -> str:
    return reverse("results:form", args=[slug, year])


def form_post(fy, scores, total="๘๔.๓๒", target="๘๕", grade="") -> dict:
    data = {"total": total, "target": target, "grade": grade}
    for indicator, score in zip(catalogue_indicators(fy), scores, strict=True):
        data[f"score_{indicator.pk}"] = score
    return data


def test_the_form_lists_the_ten_indicators_by_tool(coordinator_client, fy2565):
    response = coordinator_client.get(url())
    assert response.status_code == 200
    assert element_text(response, "tool-IIT").startswith("IIT")
    text = visible_text(response)
    assert "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2565" in text
    for label in (
        "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่",
        "ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน",
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต",
    ):
        assert label in text
    assert 'name="target" id="id_target" value="85.00"' in response.content.decode()


def test_thai_digits_are_saved_and_the_weak_indicators_shown(
    coordinator_client, coordinator, fy2565
):
    response = coordinator_client.post(url(), form_post(fy2565, THAI_SCORES), follow=True)
    assert "บันทึกผลการประเมิน ITA ปีงบประมาณ 2565 แล้ว" in visible_text(response)
    result = ITAResult.objects.get()
    assert (result.total, result.grade, result.grade_derived) == (Decimal("84.32"), "B", True)
    assert result.entered_by == coordinator and result.source == ITAResult.Source.FORM
    assert sorted(str(s.score) for s in result.scores.all())[:3] == ["60.75", "70.00", "80.25"]
    assert element_text(response, "weak") == (
        "ตัวชี้วัดที่ต่ำกว่าค่าเป้าหมาย 85.00 คะแนน: "
        "IIT ตัวชี้วัดที่ 3 การใช้อำนาจ: 80.25 "
        "EIT ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน: 70.00 "
        "OIT ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 60.75"
    )
    assert "บันทึกผลการประเมินในแบบฟอร์ม" in element_text(response, "history")
    assert result.weak_numbers == ",3,6,10,"  # what the roll-up counts and filters on


def test_120_is_refused_naming_the_field_and_what_was_typed_is_kept(coordinator_client, fy2565):
    scores = list(THAI_SCORES)
    scores[2] = "120"
    scores[5] = "๗o"  # a letter o for a zero
    response = coordinator_client.post(url(), form_post(fy2565, scores, total="101"))
    assert response.status_code == 400
    text = visible_text(response, status=400)
    assert "ยังไม่ได้บันทึก กรุณาแก้ไขตามที่แจ้งด้านล่าง" in text
    assert "ตัวชี้วัดที่ 3 การใช้อำนาจ: คะแนน 120 อยู่นอกช่วง 0 ถึง 100" in text
    assert "ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน: “๗o” ไม่ใช่ตัวเลข กรุณากรอกคะแนนเช่น 85.25 หรือ ๘๕.๒๕" in text
    assert "คะแนนรวม: คะแนน 101 อยู่นอกช่วง 0 ถึง 100" in text
    html = response.content.decode()
    for typed in ("120", "๗o", "๙๐.๕๐", "101"):
        assert f'value="{typed}"' in html
    assert ITAResult.objects.count() == 0


def test_a_blank_score_and_three_decimals_are_named(coordinator_client, fy2565):
    scores = list(THAI_SCORES)
    scores[0], scores[9] = "", "85.255"
    text = visible_text(coordinator_client.post(url(), form_post(fy2565, scores)), status=400)
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่: กรุณากรอกคะแนน" in text
    assert "ตัวชี้วัดที่ 10 การป้องกันการทุจริต: คะแนน 85.255 มีทศนิยมเกิน 2 ตำแหน่ง" in text


def test_the_coordinator_sets_the_target_and_corrects_a_score(coordinator_client, fy2565):
    coordinator_client.post(url(), form_post(fy2565, THAI_SCORES))
    scores = list(THAI_SCORES)
    scores[0] = "89.99"
    coordinator_client.post(url(), form_post(fy2565, scores, target="90", grade="A"))
    result = ITAResult.objects.get()
    assert (result.target, result.grade, result.grade_derived) == (Decimal("90.00"), "A", False)
    assert result.history.count() == 2
    # Under the new target 90: 1 (89.99), 2 (88), 3, 5 (86.10), 6, 8 (89) and 10.
    assert result.weak_numbers == ",1,2,3,5,6,8,10,"
    page = coordinator_client.get(url())
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่: 89.99" in element_text(page, "weak")


def test_the_years_page_links_each_year(coordinator_client, fy2565):
    coordinator_client.post(url(), form_post(fy2565, THAI_SCORES))
    page = coordinator_client.get(reverse("results:index", args=["ubon-pao"]))
    rows = element_text(page, "result-years")
    assert "พ.ศ. 2565 84.32 B" in rows
    assert "พ.ศ. 2566 ยังไม่ได้บันทึก บันทึกผลการประเมิน" in rows


def test_the_coordinators_home_links_to_the_results(coordinator_client, fy2565):
    home = coordinator_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("results:index", args=["ubon-pao"])}"' in home


# --- Who may enter results ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.EXECUTIVE])
def test_staff_and_executives_may_not_enter(client, org, fy2565, role):
    client.force_login(member(org, role, "reader"))
    for page in (url(), reverse("results:index", args=["ubon-pao"])):
        assert client.get(page).status_code == 403
    assert client.post(url(), form_post(fy2565, THAI_SCORES)).status_code == 403
    assert ITAResult.objects.count() == 0


def test_outsiders_get_404(client, fy2565, seed):
    other = OrganizationFactory()
    client.force_login(member(other, Membership.Role.COORDINATOR, "coord-other"))
    assert client.get(url()).status_code == 404
    assert client.post(url(), form_post(fy2565, THAI_SCORES)).status_code == 404
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url()).status_code == 404
    assert ITAResult.objects.count() == 0


def test_an_overseer_reads_but_does_not_enter(client, fy2565):
    overseer = UserFactory(username="national")
    OverseerScope.objects.create(user=overseer, whole_installation=True)
    client.force_login(overseer)
    assert client.post(url(), form_post(fy2565, THAI_SCORES)).status_code == 403


def test_a_superuser_enters_an_agencys_result(client, fy2565):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    client.post(url(), form_post(fy2565, THAI_SCORES))
    assert ITAResult.objects.get().total == Decimal("84.32")


def test_a_year_unknown_is_404(coordinator_client, seed):
    assert coordinator_client.get(url(2501)).status_code == 404
