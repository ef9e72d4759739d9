"""What people see in a real browser: the reporting journey from the staff member's
first save to the executive's dashboard and the report, and the doors that stay shut.

The seed is the FY 2566 report of อบจ.อุบลราชธานี: its 6-month round is closed and
reported, its 12-month round is open with nothing reported yet. Measure 2 belongs to
สำนักปลัดองค์การบริหารส่วนจังหวัด only.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfWriter

from measures.models import Measure
from organizations.models import Membership
from progress.models import Progress, ReviewState
from testing.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ทดสอบ-browser-2566"
SAMNAK_PALAD = "สำนักปลัดองค์การบริหารส่วนจังหวัด"
SUPPLIES = "กองพัสดุและทรัพย์สิน"
TWELVE = "รอบ 12 เดือน"
RETURN_COMMENT = "กรุณาแนบลิงก์หน้าเว็บไซต์ที่เผยแพร่ผลการดำเนินการ"
WEB_EVIDENCE = "https://www.ubonpao.go.th/ita/o42"


def person(organization, username, full_name, role, divisions=()):
    """A member who signs in through the login page with PASSWORD."""
    first, _, last = full_name.partition(" ")
    return member(
        organization, role, username, divisions, first_name=first, last_name=last, password=PASSWORD
    )


def log_in(context: BrowserContext, user) -> Page:
    """Open the portal as the public does and log in through the login page."""
    page = context.new_page()
    page.goto("/")
    page.locator("main").get_by_role("link", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="เข้าสู่ระบบ")).to_be_visible()
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"สวัสดี {user.get_full_name()}")
    return page


def go_home(page: Page) -> None:
    page.locator("nav.navbar").get_by_role("link", name="หน้าหลัก").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("สวัสดี")


def flash(page: Page):
    return page.locator("main > .alert")


def make_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # one A4 page
    writer.add_metadata({"/Title": "หลักฐานมาตรการที่ 2"})
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_report_review_and_see_it_in_the_dashboard_and_the_report(
    seed, media_root, live_server, new_context, tmp_path
):
    org = seed.organization
    staff = person(org, "somchai", "สมชาย ใจดี", Membership.Role.STAFF, [SAMNAK_PALAD])
    coordinator = person(org, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)
    measure = Measure.objects.get(organization=org, order=2)
    title = f"2. {measure.target_label}"
    evidence = make_pdf(tmp_path / "รายงานผลมาตรการที่2.pdf")

    # The executive opens the 12-month round's dashboard: nothing reported yet.
    boss = log_in(new_context(), executive)
    boss.locator("tr", has_text=TWELVE).get_by_role("link", name="ภาพรวม").click()
    overall = boss.locator('section[aria-labelledby="overall-title"]')
    expect(overall.locator("svg text").first).to_have_text("0%")
    expect(boss.locator("#overall-count")).to_contain_text("0 จาก 8")

    # The staff member finds measure 2 on the home page and opens the form.
    me = log_in(new_context(), staff)
    row = me.locator("#my-measures tbody tr", has_text=title)
    expect(row).to_contain_text(TWELVE)
    expect(row).to_contain_text("ยังไม่ได้รายงาน")
    row.get_by_role("link", name="รายงานผล").click()
    expect(me.get_by_role("heading", level=1)).to_contain_text("รายงานผลการดำเนินการ")

    # "Done" without a date is refused, in Thai, next to the field.
    me.get_by_label("สถานะ").select_option(label="ดำเนินการแล้วเสร็จ")
    me.get_by_label("รายละเอียดผลการดำเนินการ").fill("เผยแพร่ประกาศเจตจำนงสุจริตบนเว็บไซต์แล้ว")
    me.get_by_role("button", name="บันทึกและส่งให้ผู้ประสานงานตรวจ").click()
    refusal = "กรุณาระบุวันที่แล้วเสร็จ เมื่อสถานะเป็นดำเนินการแล้วเสร็จ"
    expect(me.locator(".invalid-feedback", has_text=refusal)).to_be_visible()
    # ... and listed first, under the page's refusal, which takes the focus.
    summary = me.locator("main .alert-danger[role=alert]").first
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="วันที่แล้วเสร็จ")).to_be_visible()
    expect(me.get_by_label("รายละเอียดผลการดำเนินการ")).to_have_value(
        "เผยแพร่ประกาศเจตจำนงสุจริตบนเว็บไซต์แล้ว"
    )

    # With a Buddhist-era date and the evidence file, it is saved and submitted.
    me.get_by_label("วันที่แล้วเสร็จ", exact=True).fill("18 เม.ย. 2566")
    me.get_by_label("แนบไฟล์หลักฐาน").set_input_files(evidence)
    me.get_by_role("button", name="บันทึกและส่งให้ผู้ประสานงานตรวจ").click()
    expect(flash(me)).to_have_text("บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว")
    card = me.locator("#progress-12")
    expect(card).to_contain_text("ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566")
    expect(card).to_contain_text("ส่งให้ผู้ประสานงานตรวจแล้ว")
    expect(card.get_by_role("link", name=evidence.name)).to_be_visible()
    history = me.locator("section").filter(
        has=me.get_by_role("heading", name="ประวัติการแก้ไขผลการดำเนินการ")
    )
    expect(history.locator("tbody tr").first).to_contain_text("สมชาย ใจดี")

    # Home shows it waiting for review; the form stays shut meanwhile.
    go_home(me)
    expect(row).to_contain_text("ดำเนินการแล้วเสร็จ")
    expect(row).to_contain_text("ส่งให้ผู้ประสานงานตรวจแล้ว")
    expect(row.get_by_role("link", name="รายงานผล")).to_have_count(0)
    row.get_by_role("link", name="ดูผล").click()
    expect(me.get_by_role("heading", level=1)).to_contain_text("มาตรการที่ 2")

    # The coordinator finds it in the review queue, downloads the evidence, returns it.
    coord = log_in(new_context(), coordinator)
    queue = coord.locator("#review-queue")
    expect(queue).to_contain_text(f"มาตรการที่ 2 {measure.target_label}")
    expect(queue).to_contain_text(TWELVE)
    expect(queue).to_contain_text("สมชาย ใจดี")
    queue.get_by_role("link", name=re.compile("^มาตรการที่ 2 ")).click()
    with coord.expect_download() as download_info:
        coord.locator("#progress-12").get_by_role("link", name=evidence.name).click()
    download = download_info.value
    assert download.suggested_filename == evidence.name
    assert Path(download.path()).read_bytes() == evidence.read_bytes()
    review = coord.locator("#review-12")
    review.get_by_label("ความเห็นถึงผู้รายงาน").fill(RETURN_COMMENT)
    review.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    # Nothing else waits for review: the coordinator is back on the home page.
    expect(flash(coord)).to_have_text(
        "ส่งกลับให้ผู้รายงานแก้ไขแล้ว: มาตรการที่ 2 รอบ 12 เดือน ตรวจครบทุกรายการแล้ว"
    )
    expect(queue).to_have_text("ไม่มีรายการรอตรวจ")
    coord.goto(f"/measures/{measure.pk}/")
    expect(coord.locator("#progress-12")).to_contain_text(f"ความเห็นของผู้ประสานงาน: {RETURN_COMMENT}")
    expect(coord.locator("#review-12")).to_have_count(0)

    # The staff member sees the return and the comment, adds the link, resubmits.
    go_home(me)
    expect(row).to_contain_text("ส่งกลับให้แก้ไข")
    expect(row).to_contain_text(RETURN_COMMENT)
    row.get_by_role("link", name="แก้ไขและส่งใหม่").click()
    expect(me.get_by_text(f"ผู้ประสานงานส่งกลับให้แก้ไข: {RETURN_COMMENT}")).to_be_visible()
    expect(me.get_by_label("วันที่แล้วเสร็จ", exact=True)).to_have_value("18/04/2566")
    me.get_by_label("ลิงก์หลักฐาน").fill(WEB_EVIDENCE)
    me.get_by_role("button", name="บันทึกและส่งให้ผู้ประสานงานตรวจ").click()
    expect(flash(me)).to_have_text("บันทึกและส่งให้ผู้ประสานงานตรวจแล้ว")
    expect(me.locator("#progress-12").get_by_role("link", name=WEB_EVIDENCE)).to_be_visible()

    # The coordinator approves it; the queue empties.
    go_home(coord)
    queue.get_by_role("link", name=re.compile("^มาตรการที่ 2 ")).click()
    coord.locator("#review-12").get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(flash(coord)).to_have_text("อนุมัติแล้ว: มาตรการที่ 2 รอบ 12 เดือน ตรวจครบทุกรายการแล้ว")
    expect(queue).to_have_text("ไม่มีรายการรอตรวจ")
    coord.goto(f"/measures/{measure.pk}/")
    expect(coord.locator("#progress-12")).to_contain_text("ผู้ประสานงานอนุมัติแล้ว")
    go_home(me)
    expect(row).to_contain_text("ผู้ประสานงานอนุมัติแล้ว")

    # The executive's dashboard now counts one measure of eight done: 12.5% rounds
    # half up to 13% (oversight.dashboard.percent).
    boss.reload()
    expect(overall.locator("svg text").first).to_have_text("13%")
    expect(boss.locator("#overall-count")).to_contain_text("1 จาก 8")
    expect(boss.locator("#measures tbody tr", has_text=measure.target_label)).to_contain_text(
        "ดำเนินการแล้วเสร็จ"
    )
    # The full report prints the result line in the organization's digits (the seed's
    # body, like the original, in Arabic digits), and the evidence link beside it.
    boss.get_by_role("link", name="ดูรายงานฉบับเต็ม").click()
    expect(boss.locator(".report-sheet")).to_contain_text("ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566")
    expect(boss.locator(".report-sheet").get_by_role("link", name=WEB_EVIDENCE)).to_be_visible()

    progress = Progress.objects.get(measure=measure, round__kind=12)
    assert progress.review_state == ReviewState.APPROVED
    assert progress.evidence.count() == 2  # the file and the link


def test_read_only_and_other_divisions_are_kept_out(seed, live_server, new_context):
    org = seed.organization
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)
    other = person(org, "supplies", "สมศักดิ์ พัสดุ", Membership.Role.STAFF, [SUPPLIES])
    measure = Measure.objects.get(organization=org, order=2)
    measure_url = f"/measures/{measure.pk}/"
    form_url = f"{measure_url}round/12/"

    # The executive reads the measure but is offered no form, and typing its
    # address is refused.
    boss = log_in(new_context(), executive)
    boss.goto(measure_url)
    expect(boss.get_by_role("heading", level=1)).to_contain_text("มาตรการที่ 2")
    expect(boss.get_by_role("link", name=re.compile("^รายงานผล"))).to_have_count(0)
    response = boss.goto(form_url)
    assert response.status == 403
    expect(boss.locator("form#progress-form")).to_have_count(0)
    expect(boss.locator("main")).to_contain_text("บทบาทของคุณดูได้อย่างเดียว แก้ไขไม่ได้")

    # Staff of another division are not told measure 2 exists.
    them = log_in(new_context(), other)
    expect(them.locator("#my-measures")).not_to_contain_text(measure.target_label)
    response = them.goto(measure_url)
    assert response.status == 404
    expect(them.locator("main")).to_contain_text("ไม่พบหน้านี้")
    expect(them.locator("body")).not_to_contain_text(measure.target_label)
