"""The backup drill (issue 18, item 8): backup_portal, verify_backup, then the database
dropped and the files gone, restore_portal into the empty installation: the same rows
in every table, the same files with the same SHA-256, and the public PDF link serving
the same bytes. Run on SQLite and on PostgreSQL (pg_dump / pg_restore)."""

import hashlib
import json
import shutil

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from progress.models import Evidence
from reports.models import PublishedReport
from testing.factories import ProgressFactory, RoundFactory, UserFactory
from testing.helpers import PDF

PUBLISHED = b"%PDF-1.7\n" + "รายงานผลการดำเนินการ".encode() * 500 + b"\n%%EOF\n"


def every_row() -> dict[str, list[tuple]]:
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    }


def drop_everything(media_root) -> None:
    """The database's tables and the stored files gone, as after losing the server."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(media_root)
    assert connection.introspection.table_names() == []


def stored_sha256(name: str) -> str:
    with default_storage.open(name) as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def public_pdf(client, round_) -> bytes:
    url = reverse("reports:public_pdf", args=[round_.organization.slug, round_.fiscal_year.year, 6])
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def installation(transactional_db, media_root):
    """A published report and an evidence file, committed (pg_dump reads what is)."""
    round_ = RoundFactory(organization__slug="ubon-pao")
    report = PublishedReport(
        round=round_,
        version=1,
        sha256=hashlib.sha256(PUBLISHED).hexdigest(),
        size=len(PUBLISHED),
        published_by=UserFactory(),
    )
    report.pdf.save("report.pdf", ContentFile(PUBLISHED), save=False)
    report.save()
    progress = ProgressFactory(measure__organization=round_.organization, round=round_)
    evidence = Evidence(progress=progress, original_name="คำสั่ง.pdf", size=len(PDF))
    evidence.file.save("คำสั่ง.pdf", ContentFile(PDF), save=False)
    evidence.save()
    return round_


def test_backup_drill_restores_rows_files_and_the_public_pdf(
    installation, media_root, tmp_path, client
):
    rows = every_row()
    names = (PublishedReport.objects.get().pdf.name, Evidence.objects.get().file.name)
    files = {name: stored_sha256(name) for name in names}
    served = public_pdf(client, installation)
    assert served == PUBLISHED
    dest = tmp_path / "backup"

    call_command("backup_portal", str(dest))
    call_command("verify_backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text())
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == files
    assert manifest["missing"] == []
    with pytest.raises(CommandError, match="ฐานข้อมูลมีตารางอยู่แล้ว.*--force"):
        call_command("restore_portal", str(dest))

    drop_everything(media_root)
    try:
        call_command("restore_portal", str(dest))
    finally:
        if not connection.introspection.table_names():
            call_command("migrate", verbosity=0)  # the next tests need their tables

    assert every_row() == rows
    for name, sha256 in files.items():
        assert stored_sha256(name) == sha256
    assert public_pdf(client, installation) == served
    # Everything there now: a second restore is refused, with --force it replaces.
    with pytest.raises(CommandError, match="--force"):
        call_command("restore_portal", str(dest))
    call_command("restore_portal", str(dest), "--force")
    assert every_row() == rows


def test_verify_names_a_damaged_or_missing_file_and_restore_refuses_it(installation, tmp_path):
    dest = tmp_path / "backup"
    call_command("backup_portal", str(dest))
    published = PublishedReport.objects.get().pdf.name
    (dest / "files" / published).write_bytes(PUBLISHED.replace(b"1.7", b"1.6"))
    (dest / "files" / Evidence.objects.get().file.name).unlink()

    with pytest.raises(CommandError, match="พบปัญหา 2 รายการ"):
        call_command("verify_backup", str(dest))
    with pytest.raises(CommandError, match=f"ไฟล์ files/{published} ไม่ตรงกับรายการ"):
        call_command("restore_portal", str(dest), "--force")
    # A backup is never written over another.
    with pytest.raises(CommandError, match="มีไฟล์อยู่แล้ว"):
        call_command("backup_portal", str(dest))
    (dest / "manifest.json").unlink()
    with pytest.raises(CommandError, match="ไม่พบ manifest.json"):
        call_command("verify_backup", str(dest))
