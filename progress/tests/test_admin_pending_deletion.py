"""Removed evidence files waiting out their grace period (operations.PendingDeletion),
in the admin for the superuser: Thai columns, the time they may go in BE, the next
to go first; read only (the sweep deletes them); coordinators do not open it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from operations.models import PendingDeletion
from testing.admin_pages import admin_url, list_page, root_client, writes_refused
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


@pytest.fixture
def waiting(db):
    later = PendingDeletion.objects.create(name="evidence/b.pdf", due_at=WHEN + timedelta(days=1))
    return PendingDeletion.objects.create(name="evidence/a.pdf", due_at=WHEN), later


def test_the_superuser_reads_the_files_waiting_in_thai(waiting):
    first, _ = waiting
    client = root_client()
    text, _ = list_page(client, PendingDeletion)
    assert "ชื่อไฟล์ในที่เก็บ ลบได้ตั้งแต่" in text
    assert f"evidence/a.pdf {WHEN_BE} evidence/b.pdf 16 ม.ค. 2569 09:30 น." in text
    assert "2026" not in text
    page = visible_text(client.get(admin_url(PendingDeletion, "change", first.pk)))
    assert f"ลบได้ตั้งแต่: {WHEN_BE}" in page


def test_coordinators_do_not_open_it_and_nobody_writes_here(waiting, coordinator_client):
    assert coordinator_client.get(admin_url(PendingDeletion, "changelist")).status_code == 403
    writes_refused(root_client(), waiting[0])


def test_the_list_costs_the_same_whatever_its_rows(waiting):
    client = root_client()
    _, before = list_page(client, PendingDeletion)
    PendingDeletion.objects.bulk_create(
        PendingDeletion(name=f"evidence/{n}.pdf", due_at=WHEN) for n in range(10)
    )
    text, after = list_page(client, PendingDeletion)
    assert "evidence/9.pdf" in text
    assert after == before <= 5  # the session and its user, the rows, the count
