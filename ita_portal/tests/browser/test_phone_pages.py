"""The coordinator's, the executive's and the overseer's pages on a 375 px phone (issue 21,
"Phones"): no page is wider than the screen, the rounds' links and buttons wrap under the
round with their Thai words whole, the roll-up's published column is on screen, and the
dashboard's late-measures and not-reported cards show every row (no scrolling box that
cuts its last row).

The seed: the 12-month round of 2566 is open with nothing reported, so every measure is
late and every division has not reported.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from demo.generate_agencies import demo_agencies
from demo.generated import publish_generated
from ita_portal.tests.browser.test_daily_use import PHONE, fits, on_a_phone
from ita_portal.tests.browser.test_journeys import PASSWORD, TWELVE, log_in, person
from organizations.models import Membership, OverseerScope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set ITA_SHOTS=/some/dir to keep a screenshot of each page for a person to look at.
SHOTS = os.environ.get("ITA_SHOTS")


def shot(page: Page, name: str, *parts: str) -> None:
    """The whole page, and each part (a selector) on its own."""
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
        for part in parts:
            page.locator(part).screenshot(path=str(Path(SHOTS) / f"{name}{part}.png"))


def one_line(page: Page, locator) -> None:
    """The label is on one line: its box, less padding and border, is no taller than
    its line height."""
    box = locator.bounding_box()
    line, frame = locator.evaluate(
        """(el) => { const s = getComputedStyle(el);
            return [parseFloat(s.lineHeight), ['paddingTop', 'paddingBottom', 'borderTopWidth',
                'borderBottomWidth'].reduce((sum, side) => sum + parseFloat(s[side]), 0)]; }"""
    )
    line += frame
    assert box["height"] <= line + 1, (
        f"{locator.inner_text()!r} is {box['height']} px tall, one line is {line} px"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"{locator.inner_text()!r} is off screen: {box}"
    )


def on_screen_without_sideways_scrolling(page: Page, locator) -> None:
    """Scrolled to vertically only (as a thumb does), the element is wholly on screen:
    nothing such as a sideways-scrolling table keeps it to the right of the screen."""
    locator.evaluate(
        "(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 100)"
    )
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"{locator.inner_text()!r} is off screen: {box}"
    )
    expect(locator).to_be_in_viewport(ratio=1)


def rounds_links_whole(page: Page) -> None:
    row = page.locator("tr", has_text=TWELVE).first
    for name in ("ภาพรวม", "รายงาน"):
        one_line(page, row.get_by_role("link", name=name, exact=True))


def no_inner_scroll(page: Page, selector: str) -> None:
    """The list's last row is shown: no box between it and the card cuts it."""
    cut = page.evaluate(
        """(selector) => {
            const last = document.querySelector(selector);
            const card = last.closest('.card');
            const cut = [];
            for (let el = last.parentElement; el !== card; el = el.parentElement) {
                const scrolls = getComputedStyle(el).overflowY !== 'visible';
                if (scrolls && el.scrollHeight > el.clientHeight + 1)
                    cut.push(`${el.tagName}.${el.className} ${el.scrollHeight}>${el.clientHeight}`);
            }
            return cut;
        }""",
        selector,
    )
    assert not cut, f"{selector} is cut by a scrolling box: {cut}"
    last = page.locator(selector)
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()


def test_the_coordinator_and_the_executive_on_a_phone(seed, media_root, new_context):
    org = seed.organization
    coordinator = person(org, "somying", "สมหญิง ตรวจงาน", Membership.Role.COORDINATOR)
    executive = person(org, "nayok", "ประเสริฐ บริหาร", Membership.Role.EXECUTIVE)

    page = on_a_phone(log_in(new_context(), coordinator))
    shot(page, "coordinator-home")
    fits(page)
    rounds_links_whole(page)
    close = page.locator("tr", has_text=TWELVE).first.get_by_role("button", name="ปิดรอบ")
    one_line(page, close)

    boss = on_a_phone(log_in(new_context(), executive))
    shot(boss, "executive-home")
    fits(boss)
    rounds_links_whole(boss)

    boss.locator("tr", has_text=TWELVE).first.get_by_role("link", name="ภาพรวม").click()
    expect(boss.get_by_role("heading", level=1)).to_contain_text("ภาพรวมมาตรการ")
    shot(boss, "executive-dashboard", "#late", "#not-reported")
    fits(boss)
    expect(boss.locator("#overdue tbody tr")).to_have_count(8)
    no_inner_scroll(boss, "#overdue tbody tr:last-child")
    expect(boss.locator("#not-reported .not-reported-division").first).to_be_visible()
    no_inner_scroll(boss, "#not-reported .not-reported-division:last-child")


def test_the_overseer_sees_the_published_column_on_a_phone(seed, media_root, new_context):
    made = demo_agencies(2566)
    publish_generated(made.published)
    user = get_user_model().objects.create_user(
        username="nacc", password=PASSWORD, first_name="ผู้กำกับ", last_name="ติดตาม"
    )
    OverseerScope.objects.create(user=user, whole_installation=True, office="สำนักงาน ป.ป.ช.")

    page = on_a_phone(log_in(new_context(), user))
    fits(page)
    page.locator("#oversight-link").get_by_role("link", name="ดูภาพรวมหลายหน่วยงาน").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ภาพรวมมาตรการ")
    shot(page, "overseer-rollup", "#agencies", "#by-kind")
    fits(page)
    header = page.locator("#agencies thead").get_by_role("link", name="รายงานรอบนี้")
    on_screen_without_sideways_scrolling(page, header)
    published = page.locator("#agencies tbody tr.agency", has_text="เผยแพร่แล้ว ฉบับที่ 1")
    on_screen_without_sideways_scrolling(
        page, published.first.get_by_role("link", name="เผยแพร่แล้ว ฉบับที่ 1")
    )
