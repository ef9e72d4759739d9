"""Accessibility (issue 21): axe-core (axe-playwright-python, which bundles it) on every
page each role opens in a day, at desktop and phone widths: no serious or critical
violation of WCAG 2 A/AA. Contrast is checked too, on the rendered colours."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from ita_portal.tests.browser.test_daily_use import PHONE
from ita_portal.tests.browser.test_journeys import SAMNAK_PALAD, log_in, person
from measures.models import Measure
from organizations.models import Membership, OverseerScope

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # What is measured is the rendered page, the same from either database: CI runs it
    # on SQLite only (the suite runs twice).
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the pages' HTML and CSS do not depend on the database",
    ),
]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()
DESKTOP = {"width": 1366, "height": 900}


def violations(page) -> list[str]:
    found = AXE.run(page, options=WCAG).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def pages_of(seed) -> dict[str, list[str]]:
    org = seed.organization
    measure = Measure.objects.get(organization=org, fiscal_year__year=2566, order=1)
    year = measure.fiscal_year.year
    return {
        "coordinator": [
            "/",
            reverse("progress:detail", args=[measure.pk]),
            reverse("progress:progress", args=[measure.pk, 12]),
            reverse("oversight:dashboard", args=[org.slug, year, 12]),
            reverse("reports:page", args=[org.slug, year, 6]),
            reverse("reports:document_settings", args=[org.slug]),
            reverse("approvals:request", args=[org.slug, year, 6]),
            reverse("approvals:settings", args=[org.slug]),
            reverse("analysis:page", args=[org.slug, year]),
            reverse("oit:edit", args=[org.slug, year]),
            reverse("paperwork:index", args=[org.slug]),
            reverse("paperwork:template", args=[org.slug, "memo"]),
            reverse("results:form", args=[org.slug, year]),
            reverse("reminders:preferences"),
            "/admin/",
            reverse("admin:measures_measure_changelist"),
            reverse("admin:measures_measure_change", args=[measure.pk]),
        ],
        "staff": ["/", reverse("progress:progress", args=[measure.pk, 12])],
        "executive": ["/", reverse("oversight:dashboard", args=[org.slug, year, 12])],
        "overseer": ["/", reverse("oversight:oversight", args=[year, 12])],
        "public": [
            "/",
            reverse("reports:public_index", args=[org.slug]),
            reverse("oit:public", args=[org.slug, year]),
            "/accounts/login/",
        ],
    }


def test_no_serious_accessibility_violations(seed, live_server, new_context):
    org = seed.organization
    people = {
        "coordinator": person(org, "coord", "สมศรี ประสาน", Membership.Role.COORDINATOR),
        "staff": person(org, "staff", "สมชาย ทำงาน", Membership.Role.STAFF, [SAMNAK_PALAD]),
        "executive": person(org, "boss", "สมปอง บริหาร", Membership.Role.EXECUTIVE),
    }
    overseer = person(org, "watch", "สมหวัง กำกับ", Membership.Role.STAFF)
    Membership.objects.filter(user=overseer).delete()
    OverseerScope.objects.create(user=overseer, whole_installation=True, office="สำนักงาน ป.ป.ช.")
    people["overseer"] = overseer
    found = []
    for role, urls in pages_of(seed).items():
        # axe-core adds style elements of its own as it measures; the pages' own
        # policy is test_csp's (and every other browser test's) to watch.
        context = new_context(bypass_csp=True)
        page = context.new_page() if role == "public" else log_in(context, people[role])
        for url in urls:
            page.set_viewport_size(DESKTOP)
            page.goto(url)
            found += [f"{role} {v}" for v in violations(page)]
            if not url.startswith("/admin/"):  # Django's admin is not laid out for phones
                page.set_viewport_size(PHONE)
                found += [f"{role} (375 px) {v}" for v in violations(page)]
        context.close()
    assert not found, "\n".join(found)


def test_a_refused_form_lists_its_errors_first_and_takes_focus(seed, live_server, new_context):
    org = seed.organization
    coordinator = person(org, "coord", "สมศรี ประสาน", Membership.Role.COORDINATOR)
    page = log_in(new_context(), coordinator)
    page.goto(reverse("results:form", args=[org.slug, 2566]))
    first_score = page.locator("#result-form input.score, #result-form td input").first
    first_score.fill("120")
    page.locator("#result-form").get_by_role("button").last.click()
    alert = page.locator("main .alert-danger[role=alert]").first
    expect(alert).to_be_focused()
    link = alert.get_by_role("link").first
    expect(link).to_contain_text("ตัวชี้วัดที่ 1")
    expect(alert).to_contain_text("120")
    link.click()
    expect(first_score).to_be_focused()
    assert first_score.input_value() == "120"  # what was typed is kept
