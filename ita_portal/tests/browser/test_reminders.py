"""A reminder arrives in a real SMTP server (aiosmtpd on 127.0.0.1) and its link opens
the measure's progress form for the signed-in staff member; the user menu turns their
reminders off."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ita_portal.tests.browser.test_journeys import log_in, person
from measures.models import Measure
from organizations.models import Membership
from reminders.models import ReminderPreference
from reminders.send_services import send_reminders
from reminders.tests.smtp import Mailbox, start
from testing.helpers import OFFICE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings, live_server):
    mailbox = Mailbox()
    controller = start(mailbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.ITA_SITE_URL = live_server.url
    yield mailbox
    controller.stop()


def test_the_reminders_link_opens_the_form_and_the_menu_turns_them_off(
    seed, smtp, live_server, new_context
):
    org = seed.organization
    staff = person(org, "somsri", "สมศรี รายงานผล", Membership.Role.STAFF, [OFFICE])
    staff.email = "somsri@example.go.th"
    staff.save()
    measure = Measure.objects.get(organization=org, order=2)

    send_reminders(today=date(2023, 9, 23))  # a week before the 12-month round ends

    (mail,) = smtp.to("somsri@example.go.th")
    body = smtp.text(mail)
    link = re.search(rf"{re.escape(live_server.url)}/measures/{measure.pk}/round/12/", body)
    assert link, body
    page = log_in(new_context(), staff)
    page.goto(link.group())
    expect(page.locator("#progress-form")).to_be_visible()
    expect(page.locator("main")).to_contain_text(measure.target_label)
    expect(page.locator("main")).to_contain_text("รอบ 12 เดือน")

    page.locator("nav.navbar").get_by_role("link", name="การแจ้งเตือน").click()
    page.get_by_label("รับอีเมลแจ้งเตือน").uncheck()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("alert")).to_have_text("บันทึกแล้ว: ไม่รับอีเมลแจ้งเตือน")
    assert ReminderPreference.objects.get(user=staff).enabled is False
