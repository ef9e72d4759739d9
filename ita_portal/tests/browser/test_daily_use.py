"""Daily use in a real browser: a measure of every division (one result, a part per
division), counts that take only approved results as done, and a staff member's day
on a 375 px phone screen without sideways scrolling.

The seed: measure 4 belongs to "ทุกส่วนราชการ"; measure 2 to สำนักปลัดองค์การบริหาร
ส่วนจังหวัด only; the 12-month round is open with nothing reported yet.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from ita_portal.tests.browser.test_journeys import (
    SAMNAK_PALAD,
    TWELVE,
    flash,
    log_in,
    person,
)
from measures.models import Measure
from organizations.models import Membership
from progress.models import Progress, ReviewState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINANCE = "กองคลัง"
PHONE = {"width": 375, "height": 800}


def fits(page: Page, width: int = PHONE["width"]) -> None:
    """Nothing on the page is wider than the screen: no sideways scrolling."""
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5
                && getComputedStyle(el).position !== 'fixed')
            .filter((el) => !el.closest('.collapse:not(.show), .dropdown-menu:not(.show)'))
            .slice(0, 5).map((el) => el.tagName + '.' + el.className + ' ' +
                Math.round(el.getBoundingClientRect().right))""",
        width,
    )
    assert scroll <= width, f"{page.url} is {scroll} px wide: {wider}"


def on_a_phone(page: Page) -> Page:
    """The page at a phone's width (the contexts are made desktop-sized: conftest)."""
    page.set_viewport_size(PHONE)
    page.reload()
    return page


def test_a_shared_measure_and_counts_that_wait_for_approval(seed, media_root, new_context):
    org = seed.organization
    palad = person(org, "somchai", "สมชาย ใจดี", Membership.Role.STAFF, [SAMNAK_PALAD])
    finance = person(org, "somsri", "สมศรี การเงิน", Membership.Role.STAFF, [FINANCE])
    coordinator = person(org, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)
    every = Measure.objects.get(organization=org, order=4)
    title = f"4. {every.target_label}"

    # สำนักปลัด reports the measure of every division as done and sends it.
    me = log_in(new_context(), palad)
    row = me.locator("#my-measures tbody tr", has_text=title)
    row.get_by_role("link", name="รายงานผล").click()
    me.get_by_label("สถานะ").select_option(label="ดำเนินการแล้วเสร็จ")
    me.get_by_label("วันที่แล้วเสร็จ", exact=True).fill("18/04/2566")
    me.get_by_label("รายละเอียดผลการดำเนินการ").fill("ทุกส่วนราชการประชุมชี้แจงแล้ว")
    me.get_by_role("button", name="บันทึกและส่งให้ผู้ประสานงานตรวจ").click()
    expect(flash(me)).to_have_text("บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว")

    # The executive: sent but not reviewed counts as "รอตรวจ", not as done.
    boss = log_in(new_context(), executive)
    boss.locator("tr", has_text=TWELVE).get_by_role("link", name="ภาพรวม").click()
    overall = boss.locator('section[aria-labelledby="overall-title"]')
    expect(overall.locator("svg text").first).to_have_text("0%")
    expect(boss.locator("#overall-count")).to_contain_text("0 จาก 8")
    expect(boss.locator("#overall-count")).to_contain_text("รอตรวจ 1")
    measures = boss.locator("#measures tbody tr", has_text=every.target_label)
    expect(measures).to_contain_text("รอตรวจ")
    expect(measures).to_contain_text("แจ้งว่าดำเนินการแล้วเสร็จ")

    # กองคลัง can only look at the result, and adds its own part.
    them = log_in(new_context(), finance)
    theirs = them.locator("#my-measures tbody tr", has_text=title)
    expect(theirs.get_by_role("link", name="รายงานผล")).to_have_count(0)
    theirs.get_by_role("link", name="ดูผลและเพิ่มส่วนของส่วนราชการ").click()
    expect(them.locator("#progress-12")).to_contain_text("ทุกส่วนราชการประชุมชี้แจงแล้ว")
    expect(
        them.locator("#actions").get_by_role("link", name=re.compile("^รายงานผล"))
    ).to_have_count(0)
    them.get_by_role("link", name=f"เพิ่มส่วนของ{FINANCE} ({TWELVE})").click()
    them.get_by_label("สิ่งที่ส่วนราชการดำเนินการ").fill("กองคลังชี้แจงเจ้าหน้าที่การเงิน 12 คน")
    them.get_by_label("ลิงก์หลักฐาน").fill("https://www.ubonpao.go.th/finance/ita")
    them.get_by_role("button", name=f"บันทึกส่วนของ{FINANCE}").click()
    expect(flash(them)).to_have_text(f"บันทึกส่วนของ{FINANCE}แล้ว")
    part = them.locator("#progress-12 .division-part", has_text=FINANCE)
    expect(part).to_contain_text("กองคลังชี้แจงเจ้าหน้าที่การเงิน 12 คน")
    expect(part.get_by_role("link", name="https://www.ubonpao.go.th/finance/ita")).to_be_visible()

    # The coordinator reviews with every division's part on the card, and approves.
    coord = log_in(new_context(), coordinator)
    coord.locator("#review-queue").get_by_role("link", name=re.compile("^มาตรการที่ 4 ")).click()
    card = coord.locator("#progress-12")
    expect(card.locator(".division-part", has_text=FINANCE)).to_contain_text(
        "กองคลังชี้แจงเจ้าหน้าที่การเงิน 12 คน"
    )
    expect(card.locator(".division-part", has_text="กองพัสดุและทรัพย์สิน")).to_contain_text(
        "ยังไม่ได้เพิ่มส่วนของตน"
    )
    expect(card).to_contain_text(f"ผู้รายงาน: {SAMNAK_PALAD}")
    coord.locator("#review-12").get_by_role("button", name="อนุมัติ", exact=True).click()
    # The queue is empty after it: the coordinator is taken home and told so.
    expect(flash(coord)).to_have_text("อนุมัติแล้ว: มาตรการที่ 4 รอบ 12 เดือน ตรวจครบทุกรายการแล้ว")
    expect(coord.locator("tr", has_text="รอบ 12 เดือน ปีงบประมาณ")).to_contain_text(
        "1 จาก 8 มาตรการ (13%)"
    )

    # Approved: now it counts as done.
    boss.reload()
    expect(overall.locator("svg text").first).to_have_text("13%")
    expect(boss.locator("#overall-count")).to_contain_text("1 จาก 8")
    expect(boss.locator("#overall-count")).not_to_contain_text("รอตรวจ")
    progress = Progress.objects.get(measure=every, round__kind=12)
    assert progress.review_state == ReviewState.APPROVED
    assert progress.reporter_division.name == SAMNAK_PALAD
    assert progress.parts.get().division.name == FINANCE


def test_a_staff_members_day_on_a_375_px_screen(seed, media_root, new_context):
    org = seed.organization
    staff = person(org, "somchai", "สมชาย ใจดี", Membership.Role.STAFF, [SAMNAK_PALAD])
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)
    measure = Measure.objects.get(organization=org, order=2)
    title = f"2. {measure.target_label}"

    me = on_a_phone(log_in(new_context(), staff))
    fits(me)
    row = me.locator("#my-measures tbody tr", has_text=title)
    expect(row).to_contain_text("30 ก.ย. 2566 (วันสิ้นสุดรอบ)")
    row.get_by_role("link", name="รายงานผล").click()
    expect(me.get_by_role("heading", level=1)).to_contain_text("รายงานผลการดำเนินการ")
    fits(me)

    step_one = measure.steps.get(number=1)
    me.get_by_label("สถานะ").select_option(label="อยู่ระหว่างดำเนินการ")
    me.get_by_label("รายละเอียดผลการดำเนินการ").fill("เผยแพร่ประกาศบนเว็บไซต์ของหน่วยงานแล้ว")
    me.locator(f"#id_step_{step_one.pk}").check()
    me.get_by_label("วันที่ขั้นตอนที่ 1 แล้วเสร็จ").fill("30/03/2566")
    me.get_by_label("ลิงก์หลักฐาน").fill(
        "https://www.ubonpao.go.th/ita/o42/ประกาศเจตจำนงสุจริตของผู้บริหารท้องถิ่นประจำปีงบประมาณ2566"
    )
    fits(me)
    me.get_by_role("button", name="บันทึก", exact=True).click()
    expect(flash(me)).to_have_text("บันทึกผลการดำเนินการแล้ว")
    fits(me)  # the measure page, with its history table

    history = me.locator("#history")
    expect(history).to_contain_text("ทำเครื่องหมายขั้นตอนที่ 1 ว่าดำเนินการแล้ว (วันที่ 30 มี.ค. 2566)")
    expect(history).to_contain_text("เพิ่มหลักฐานลิงก์ https://www.ubonpao.go.th/ita/o42/")
    expect(me.locator("#progress-12 .step-marks")).to_contain_text("ขั้นตอนที่ 1 · 30 มี.ค. 2566")
    expect(me.locator("#due")).to_contain_text("รอบ 12 เดือน: 30 ก.ย. 2566 (วันสิ้นสุดรอบ)")

    # The executive's dashboard on the same screen: the division chart's names are
    # whole, wrapped rather than cut.
    boss = on_a_phone(log_in(new_context(), executive))
    boss.locator("tr", has_text=TWELVE).get_by_role("link", name="ภาพรวม").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text("ภาพรวมมาตรการ")
    fits(boss)
    names = boss.locator(".chart-divisions .division-name")
    expect(names).to_have_count(7)
    expect(names.first).to_have_text("กองการเจ้าหน้าที่")
    for name in names.all():
        assert name.evaluate("el => el.scrollWidth <= el.clientWidth")
