"""Turning one's own reminders off and on: the page in the user menu."""

import pytest
from django.urls import reverse

from reminders.models import ReminderPreference

pytestmark = pytest.mark.django_db
URL = reverse("reminders:preferences")


def test_the_user_menu_leads_to_the_page_which_says_where_mail_goes(client, staff):
    staff.email = "somchai@example.go.th"
    staff.save()
    client.force_login(staff)

    home = client.get(reverse("home")).content.decode()
    assert f'href="{URL}">การแจ้งเตือน</a>' in home
    page = client.get(URL).content.decode()
    assert "ระบบส่งอีเมลแจ้งเตือนถึง <strong>somchai@example.go.th</strong>" in page
    assert 'name="enabled" id="id_enabled" checked' in page


def test_turning_reminders_off_and_on_again(client, staff, django_assert_num_queries):
    client.force_login(staff)
    response = client.post(URL, {})
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert "บันทึกแล้ว: ไม่รับอีเมลแจ้งเตือน" in page
    assert 'id="id_enabled" checked' not in page
    assert ReminderPreference.objects.get(user=staff).enabled is False

    client.post(URL, {"enabled": "on"})
    assert ReminderPreference.objects.get(user=staff).enabled is True
    # The page: the session, the user, the preference, the menu's overseer scopes.
    with django_assert_num_queries(4):
        client.get(URL)


def test_without_an_address_the_page_says_reminders_cannot_reach_them(client, staff):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "บัญชีของท่านยังไม่มีอีเมล ระบบจึงส่งการแจ้งเตือนถึงท่านไม่ได้" in page


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
