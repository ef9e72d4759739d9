"""Signing in as a browser does: a POST to the login form from an address (REMOTE_ADDR),
never the test client's login(), which bypasses the form and the lockout alike."""

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "pass-1234"
OFFICE = "203.0.113.10"  # one NAT address in front of a whole office
HOME = "198.51.100.20"
LOCKED_TITLE = "ระงับการเข้าสู่ระบบชั่วคราว"
ROOT = Path(__file__).resolve().parents[2]


def make_user(username, password=PASSWORD, **fields):
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def post_login(client, username, password, ip=OFFICE, url=None, **extra):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def logged_in_as(client):
    return client.get(reverse("home")).context["user"].username or None


def fail(client, username, times, ip=OFFICE, url=None, **extra):
    return [post_login(client, username, "wrong", ip=ip, url=url, **extra) for _ in range(times)]


def run_with_settings(env, code):
    """Runs `code` in a Python process whose settings read these environment variables
    (and none of the sign-in ones this process was given): the settings read them once,
    at start."""
    ours = ("DJANGO_", "AXES_", "ITA_", "FORWARDED_ALLOW_IPS")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "ita_portal.settings", **env},
        capture_output=True,
        text=True,
    )
