"""A form sent without its security token (a page left open too long, signed out in
another tab, cookies refused): Django's CSRF failure page, in Thai, in the portal's
layout, with no inline style for the Content-Security-Policy to block."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.logins import PASSWORD, logged_in_as, make_user

pytestmark = pytest.mark.django_db


def assert_thai_csrf_page(response):
    page = response.content.decode()
    assert response.status_code == 403
    assert "ส่งข้อมูลไม่สำเร็จ" in page
    assert "รหัสยืนยันความปลอดภัยของแบบฟอร์มไม่ถูกต้องหรือหมดอายุ" in page
    assert "โหลดหน้าใหม่" in page and "แล้วลองส่งอีกครั้ง" in page
    assert "ข้อมูลที่พิมพ์ไว้อาจหายไปและต้องกรอกใหม่" in page
    assert '<html lang="th">' in page and "ITA Portal" in page  # the portal's own layout
    assert "CSRF verification failed" not in page and "Forbidden" not in page
    assert not re.search(r"<style|\sstyle\s*=", page, flags=re.IGNORECASE)
    assert "style-src" in response.headers["Content-Security-Policy"]


def test_a_login_without_the_token_gets_the_thai_page():
    browser = Client(enforce_csrf_checks=True)
    make_user(username="staff")
    response = browser.post(
        reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert_thai_csrf_page(response)
    assert logged_in_as(browser) is None


def test_a_signed_in_person_sending_a_stale_form_gets_the_thai_page():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(username="staff"))
    response = browser.post(reverse("logout"))  # the token of a page from another session
    assert_thai_csrf_page(response)
    assert 'action="/accounts/logout/"' in response.content.decode()  # still signed in
    assert logged_in_as(browser) == "staff"
