"""Backups of an installation whose files are in S3-compatible object storage (issue 18,
item 8): backup_portal reads every object through the storage API, verify_backup checks
them, and restoring puts them back, byte for byte, into an empty bucket folder. Against
a real S3 server on loopback (moto's server mode, ita_portal/tests/test_object_storage.py)."""

import hashlib
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from ita_portal.file_storage import default_file_storage
from ita_portal.tests.test_object_storage import BUCKET, REGION, bucket, s3_server  # noqa: F401
from operations import backup_services
from testing.helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)
PUBLISHED = b"%PDF-1.7\n" + b"report " * 3000 + b"\n%%EOF\n"


def test_backup_reads_the_bucket_and_its_files_restore_into_an_empty_one(
    bucket,  # noqa: F811 (the fixture)
    settings,
    tmp_path,
):
    report = "published/ubon-pao/2566/round6-v1-abc.pdf"
    names = {
        default_storage.save("evidence/ubon-pao/7/order.pdf", ContentFile(PDF)): PDF,
        default_storage.save(report, ContentFile(PUBLISHED)): PUBLISHED,
    }
    assert sorted(f"{bucket.location}/{name}" for name in names) == bucket.keys()
    dest = tmp_path / "backup"

    call_command("backup_portal", str(dest))
    call_command("verify_backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text())
    assert {e["name"]: e["sha256"] for e in manifest["files"]} == {
        name: hashlib.sha256(content).hexdigest() for name, content in names.items()
    }

    # Another, empty folder of the bucket, as a new installation's.
    location = f"test-{uuid.uuid4().hex[:12]}"
    environment = {
        "ITA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": bucket.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_LOCATION": location,
    }
    settings.STORAGES = {**settings.STORAGES, "default": default_file_storage(environment)}
    assert not default_storage.exists(next(iter(names)))
    for entry in manifest["files"]:
        backup_services._restore_file(dest, entry)
    for name, content in names.items():
        assert bucket.read(f"{location}/{name}") == content
