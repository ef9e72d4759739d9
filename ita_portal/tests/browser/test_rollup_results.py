"""An overseer in a real browser filters the roll-up to the agencies weak on one
indicator in last year's assessment (issue 19), sees how many are weak on each, and
opens one agency's results over the years."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from catalogue.models import FiscalYear
from catalogue.services import load_catalogue, read_catalogue, shipped_file
from organizations.access import SYSTEM
from organizations.models import OrganizationKind, OverseerScope
from organizations.services import province
from results.services import import_results
from results.tests.conftest import HEADER, UBON, UBON_ROW, csv_bytes
from testing.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ทดสอบ-overseer-2565"
WEAK_ON_3 = ["90.00", "90.00", "80.00", *["90.00"] * 7]


def test_an_overseer_filters_agencies_weak_on_one_indicator(seed, live_server, new_context):
    ubon = province("อุบลราชธานี")
    OrganizationFactory(
        slug="sao-weak", name="อบต.อ่อนข้อสาม", province=ubon, kind=OrganizationKind.SAO
    )
    OrganizationFactory(
        slug="sao-strong", name="อบต.ผ่านทุกข้อ", province=ubon, kind=OrganizationKind.SAO
    )
    load_catalogue({**read_catalogue(shipped_file(2566)), "fiscal_year": 2565}, user=SYSTEM)
    rows = [UBON_ROW, ["sao-weak", *WEAK_ON_3, "89.00"], ["sao-strong", *["95.00"] * 10, "95.00"]]
    import_results(
        user=SYSTEM,
        fiscal_year=FiscalYear.objects.get(year=2565),
        content=csv_bytes([HEADER, *rows]),
    )
    user = get_user_model().objects.create_user(username="nacc", password=PASSWORD)
    OverseerScope.objects.create(user=user, whole_installation=True)

    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("nacc")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto("/oversight/2566/6/")
    agencies = page.locator("#agencies tbody tr.agency")
    expect(agencies).to_have_count(3)
    weak = page.locator("#weak-by-indicator tbody tr", has_text="ตัวชี้วัดที่ 3 ")
    expect(weak).to_contain_text("2")  # อบจ. and the weak อบต., of 3
    expect(page.locator("svg.chart-weak")).to_be_visible()

    page.get_by_label("ผลการประเมินปีก่อน").select_option(label="ต่ำกว่าเป้าหมายในตัวชี้วัดที่ 3 การใช้อำนาจ")
    page.get_by_role("button", name="แสดง").click()
    expect(page).to_have_url(re.compile(r"weak=3"))
    expect(agencies).to_have_count(2)
    expect(page.locator("#agencies")).to_contain_text(UBON)
    expect(page.locator("#agencies")).to_contain_text("อบต.อ่อนข้อสาม")
    expect(page.locator("#agencies")).not_to_contain_text("อบต.ผ่านทุกข้อ")
    row = agencies.filter(has_text="อบต.อ่อนข้อสาม")
    expect(row.locator("td.assessed")).to_contain_text("ต่ำกว่าเป้าหมาย: ตัวชี้วัดที่ 3")

    # Down to its results over the years.
    row.locator("td.assessed").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("อบต.อ่อนข้อสาม")
    expect(page.locator("#result-trend")).to_contain_text("พ.ศ. 2565")
    expect(page.locator("#result-trend td.text-danger")).to_have_text(["80.00 ▼"])
