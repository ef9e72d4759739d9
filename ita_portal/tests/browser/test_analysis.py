"""A coordinator goes from last year's scores to a published analysis: the 2565
result entered in the results form (Thai digits for one score), the analysis of
2566 from the home page, the text of a weak point saved, published, and the public
link serving the PDF with that text."""

import pytest
from playwright.sync_api import expect

from ita_portal.tests.browser.test_journeys import go_home, log_in, person
from organizations.models import Membership
from results.tests.conftest import UBON_SCORES, fy2565  # noqa: F401
from testing.pdftext import pdf_text, squash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_last_years_scores_to_a_published_analysis(
    seed,
    fy2565,  # noqa: F811  (the results app's fixture, imported above)
    live_server,
    new_context,
    media_root,  # noqa: F811
):
    org = seed.organization
    coordinator = person(org, "somchai", "สมชาย ประสานงาน", Membership.Role.COORDINATOR)
    page = log_in(new_context(), coordinator)

    page.get_by_role("link", name="ผลการประเมิน ITA").click()
    page.locator("#result-years tr", has_text="พ.ศ. 2565").get_by_role("link").click()
    for field, score in zip(
        page.locator("#result-form tbody.tool input").all(), UBON_SCORES, strict=True
    ):
        field.fill(score)
    page.locator("#result-form tbody.tool input").nth(5).fill("๗๐.๐๐")  # EIT 6 in Thai digits
    page.get_by_label("คะแนนรวม").fill("84.32")
    page.get_by_role("button", name="บันทึกผลการประเมิน").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "บันทึกผลการประเมิน ITA ปีงบประมาณ 2565 แล้ว"
    )

    go_home(page)
    page.get_by_role("link", name="การวิเคราะห์ผลการประเมิน ปีงบประมาณ 2566").click()
    expect(page.locator(".ita-analysis .summary")).to_have_text(
        "คะแนนรวม 84.32 ระดับ B ค่าเป้าหมายของหน่วยงาน 85.00 คะแนน"
    )
    weak = page.locator("#weak-EIT-6")
    expect(weak).to_contain_text("ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (EIT) คะแนน 70.00")
    expect(weak).to_contain_text("ยังไม่มีมาตรการของปีนี้ที่ตอบตัวชี้วัดนี้")

    form = page.locator("#note-EIT-6")
    form.get_by_label("สิ่งที่พบ").fill("ผู้รับบริการรอนานและไม่ทราบขั้นตอน")
    form.get_by_label("ข้อเสนอแนะ").fill("ประกาศขั้นตอนและระยะเวลาการให้บริการ")
    form.get_by_role("button", name="บันทึกข้อความของตัวชี้วัดนี้").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "บันทึกข้อความวิเคราะห์ของตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (EIT) แล้ว"
    )
    expect(weak).to_contain_text("สิ่งที่พบ ผู้รับบริการรอนานและไม่ทราบขั้นตอน")

    page.get_by_role("link", name="เผยแพร่การวิเคราะห์ฉบับนี้").click()
    expect(page.locator("#publish-what")).to_contain_text("จะเผยแพร่เป็นฉบับที่ 1")
    page.get_by_role("button", name="ยืนยันเผยแพร่ฉบับที่ 1").click()
    expect(page.locator("#publish-job")).to_contain_text("เผยแพร่การวิเคราะห์ฉบับที่ 1 แล้ว")
    expect(page.locator("#draft-mark")).to_have_count(0)

    link = page.locator("#public-link")
    expect(link).to_have_text(f"{live_server.url}/p/{org.slug}/2566/analysis.pdf")
    answer = page.request.get(link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = squash(pdf_text(answer.body()))
    assert squash("ผู้รับบริการรอนานและไม่ทราบขั้นตอน") in text and "ฉบับร่าง" not in text
