"""An overseer in a real browser: from the home page to the roll-up across agencies, filtered
to one province and to agencies behind schedule, then down to one agency's dashboard,
its report and its published PDF; nothing on the way offers to change anything.
The agencies are the seed's and load_seed's demo agencies (demo.generate_agencies)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from demo.generate_agencies import demo_agencies
from demo.generated import publish_generated
from organizations.models import OverseerScope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ทดสอบ-overseer-2566"
BEHIND_AND_PUBLISHED = "เทศบาลเมืองวารินชำราบ"

# Each filter list's choices against the room inside its box (less the padding that holds
# the arrow), measured in the list's own font.
CHOICES_CUT = """() => {
  const cut = [];
  const ruler = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('#filters select')) {
    const style = getComputedStyle(select);
    ruler.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    for (const option of select.options) {
      const width = ruler.measureText(option.text).width;
      if (width > room + 0.5)
        cut.push(`${select.name}: "${option.text}" ${Math.round(width)} > ${room}`);
    }
  }
  return cut;
}"""


def filters_read_whole(page, width: int) -> None:
    """At a desktop's width every choice of every filter list shows whole in its box
    (issue 21: nine equal columns cut "ทุกจังหวัด" to "ทุกจั" at 1366 px)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.locator("#filters select").count() >= 7
    assert page.evaluate(CHOICES_CUT) == [], f"cut at {width} px"


def test_an_overseer_filters_to_a_province_and_reads_an_agency_behind_schedule(
    seed, media_root, live_server, new_context
):
    made = demo_agencies(2566)
    publish_generated(made.published)
    user = get_user_model().objects.create_user(
        username="nacc", password=PASSWORD, first_name="ผู้กำกับติดตาม", last_name="ส่วนกลาง"
    )
    OverseerScope.objects.create(user=user, whole_installation=True, office="สำนักงาน ป.ป.ช.")

    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("nacc")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    page.locator("#oversight-link").get_by_role("link", name="ดูภาพรวมหลายหน่วยงาน").click()
    expect(page).to_have_url(re.compile(r"/oversight/2566/12/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("ภาพรวมมาตรการ")
    agencies = page.locator("#agencies tbody tr.agency")
    expect(agencies).to_have_count(9)  # the seed agency and eight demo agencies
    for width in (1366, 1280):
        filters_read_whole(page, width)

    # One province, only those behind schedule.
    page.get_by_label("จังหวัด", exact=True).select_option(label="อุบลราชธานี")
    page.get_by_label("เฉพาะหน่วยงานที่มีมาตรการเลยกำหนด").check()
    page.get_by_role("button", name="แสดง").click()
    expect(page).to_have_url(re.compile(r"province=\d+.*behind=1"))
    expect(page.get_by_label("จังหวัด", exact=True)).to_have_value(re.compile(r"\d+"))
    rows = agencies.all()
    assert rows, "no agency behind schedule in อุบลราชธานี"
    for row in rows:
        expect(row.locator("td").nth(1)).to_contain_text("อุบลราชธานี")
        expect(row.locator("td").nth(4)).to_contain_text("มาตรการ")  # late measures
    expect(page.locator("#agencies")).not_to_contain_text("ศรีสะเกษ")
    expect(page.locator("#by-province tbody tr")).to_have_count(1)
    expect(page.locator("#by-province")).to_contain_text("อุบลราชธานี")
    # Read only: no form writes from here (the sign-out button aside).
    expect(page.locator("main form[method=post]")).to_have_count(0)

    row = page.locator("#agencies tbody tr.agency", has_text=BEHIND_AND_PUBLISHED)
    expect(row).to_contain_text("เผยแพร่แล้ว ฉบับที่ 1")
    pdf_href = row.get_by_role("link", name=re.compile("เผยแพร่แล้ว")).get_attribute("href")

    # Down to its dashboard: what is late.
    row.get_by_role("link", name=BEHIND_AND_PUBLISHED).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ภาพรวมมาตรการ")
    expect(page.locator("main")).to_contain_text(BEHIND_AND_PUBLISHED)
    expect(page.locator("#late")).to_contain_text("เลยกำหนด")
    expect(page.locator("#overdue tbody tr").first).to_be_visible()

    # Its full report, read only.
    page.get_by_role("link", name="ดูรายงานฉบับเต็ม").click()
    expect(page.locator("main")).to_contain_text(BEHIND_AND_PUBLISHED)
    expect(page.get_by_role("button", name="เผยแพร่รายงานฉบับนี้")).to_have_count(0)

    # Its published report, as the public gets it.
    response = page.request.get(live_server.url + pdf_href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
