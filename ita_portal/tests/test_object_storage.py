"""Evidence and published PDFs in S3-compatible object storage, as several app servers
share them: a real S3 server (moto's server mode on loopback, started once for the
session) behind the settings that ITA_S3_BUCKET turns on, reached through the portal's
own views with the test client."""

import contextlib
import hashlib
import io
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from pypdf import PdfWriter

from ita_portal.file_storage import default_file_storage
from measures.models import Round
from operations.sweep_services import delete_due
from progress.models import Evidence
from reports.models import PublishedReport
from reports.services import publish_round
from testing.forms import form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "ita-portal-test"
REGION = "ap-southeast-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "ita-test-key", "AWS_SECRET_ACCESS_KEY": "ita-test-secret"}


@dataclass
class Bucket:
    endpoint: str
    client: object  # boto3's S3 client, signed with CREDENTIALS
    location: str  # this test's folder in the bucket

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=BUCKET, Prefix=f"{self.location}/")
        return sorted(entry["Key"] for entry in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def anonymous_get(self, key: str) -> int:
        """The status a browser gets for the object's plain bucket URL, with no signature."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{BUCKET}/{key}", timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as refused:
            return refused.code


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    # moto's state is the process's: another module's server may have made it already.
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    yield endpoint, client
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, media_root):
    """Files in the bucket, configured as production configures them from the environment;
    each test in its own folder of the bucket."""
    endpoint, client = s3_server
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)  # read by django-storages, as in production
    location = f"test-{uuid.uuid4().hex[:12]}"
    environment = {
        "ITA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_LOCATION": location,
    }
    settings.STORAGES = {**settings.STORAGES, "default": default_file_storage(environment)}
    return Bucket(endpoint, client, location)


def nothing_on_local_disk(media_root) -> bool:
    return not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def a_real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def form_url(measure):
    return reverse("progress:progress", args=[measure.pk, 12])


def post_form(client, measure, **fields):
    data = form_data(client.get(form_url(measure)).content.decode(), form_id="progress-form")
    data.update(status="in_progress", **fields)
    return client.post(form_url(measure), data)


# --- Evidence ---------------------------------------------------------------------------


def test_evidence_is_kept_in_the_bucket_and_comes_back_only_through_the_portal(
    client, bucket, staff, measure, media_root
):
    pdf = a_real_pdf()
    client.force_login(staff)
    response = post_form(
        client, measure, files=SimpleUploadedFile("รายงานผล ไตรมาส 2.pdf", pdf, "application/pdf")
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(progress__measure=measure, url="")

    # In the bucket, under a name the portal made (ASCII, no part of the Thai name).
    [key] = bucket.keys()
    assert key == f"{bucket.location}/{evidence.file.name}"
    assert re.fullmatch(rf"{bucket.location}/evidence/ubon-pao/\d+/[A-Za-z0-9._-]+\.pdf", key)
    assert bucket.read(key) == pdf
    assert nothing_on_local_disk(media_root)

    # Out through the access-checked view, as an attachment under the name it came with.
    response = client.get(reverse("progress:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E0%B8%A3" in response["Content-Disposition"]  # "ร…"
    assert response["X-Content-Type-Options"] == "nosniff"

    # Nobody gets it without the portal: not anonymously from the portal ...
    client.logout()
    response = client.get(reverse("progress:evidence", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # ... nor from the bucket's own URL, whose object grants its owner only.
    assert bucket.anonymous_get(key) == 403
    grants = bucket.client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert {grant["Grantee"]["Type"] for grant in grants} == {"CanonicalUser"}


def test_the_anonymous_check_would_see_a_public_object(bucket):
    """The bucket refuses anonymous reads because of the object's private ACL, not
    because this server refuses every unsigned request."""
    key = f"{bucket.location}/public-probe.txt"
    bucket.client.put_object(Bucket=BUCKET, Key=key, Body=b"probe", ACL="public-read")
    assert bucket.anonymous_get(key) == 200


def test_removed_evidence_leaves_the_bucket_after_its_grace_period(
    client, bucket, staff, measure, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    post_form(client, measure, files=SimpleUploadedFile("ผล.pdf", a_real_pdf()))
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    [key] = bucket.keys()

    page = client.get(form_url(measure)).content.decode()
    data = form_data(page, form_id="progress-form")
    data["remove_evidence"] = [str(evidence.pk)]
    with django_capture_on_commit_callbacks() as after_commit:
        assert client.post(form_url(measure), data).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    for callback in after_commit:
        callback()
    assert bucket.keys() == [key]  # kept through the grace period: a backup holds the row
    later = timezone.now() + timedelta(minutes=settings.ITA_FILE_DELETE_GRACE_MINUTES + 1)
    assert delete_due(now=later) == [evidence.file.name]
    assert bucket.keys() == []


def test_evidence_missing_from_the_bucket_is_a_thai_404(client, bucket, staff, measure):
    client.force_login(staff)
    post_form(client, measure, files=SimpleUploadedFile("ผล.pdf", a_real_pdf()))
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    bucket.client.delete_object(Bucket=BUCKET, Key=f"{bucket.location}/{evidence.file.name}")
    response = client.get(reverse("progress:evidence", args=[evidence.pk]))
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


# --- Published reports ------------------------------------------------------------------


def test_a_publication_is_stored_in_the_bucket_and_served_at_the_public_url(
    client, bucket, org, coordinator, media_root
):
    six = Round.objects.get(organization=org, kind=Round.Kind.SIX_MONTHS)
    report = publish_round(round_=six, user=coordinator)

    [key] = bucket.keys()
    assert key == f"{bucket.location}/{report.pdf.name}"
    assert key.startswith(f"{bucket.location}/published/ubon-pao/2566/round6-v1-")
    assert hashlib.sha256(bucket.read(key)).hexdigest() == report.sha256
    assert nothing_on_local_disk(media_root)
    assert bucket.anonymous_get(key) == 403  # the public reads it through the portal

    args = [org.slug, six.fiscal_year.year, six.kind]
    for url in (
        reverse("reports:public_pdf", args=args),
        reverse("reports:public_version", args=[*args, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        served = b"".join(response.streaming_content)
        assert served.startswith(b"%PDF-")
        assert hashlib.sha256(served).hexdigest() == report.sha256 == response["X-Content-SHA256"]
    assert PublishedReport.objects.count() == 1


# --- Health and settings ----------------------------------------------------------------


def test_healthz_probes_the_bucket_and_cleans_up(client, bucket):
    response = client.get(reverse("healthz"))
    assert response.json()["storage"] == "ok"
    assert bucket.keys() == []


def test_healthz_names_the_storage_when_the_bucket_is_not_there(client, bucket, settings):
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {**options, "bucket_name": "nope"}},
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["storage"] == "error: NoSuchBucket"
    assert response.json()["database"] == "ok"


def test_without_a_bucket_files_stay_on_local_disk():
    assert default_file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert default_file_storage({"ITA_S3_BUCKET": "  "})["BACKEND"].endswith("FileSystemStorage")


def test_either_bucket_variable_turns_on_object_storage():
    for name in ("ITA_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME"):
        storage = default_file_storage({name: "ita-files"})
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        options = storage["OPTIONS"]
        assert options["bucket_name"] == "ita-files"
        assert options["default_acl"] is None and options["querystring_auth"] is True
        assert options["file_overwrite"] is False


@pytest.mark.parametrize("acl", ["public-read", "public-read-write", "authenticated-read"])
def test_an_acl_that_would_publish_evidence_is_refused(acl):
    with pytest.raises(ImproperlyConfigured, match="AWS_DEFAULT_ACL"):
        default_file_storage({"ITA_S3_BUCKET": "ita-files", "AWS_DEFAULT_ACL": acl})


def test_the_settings_take_the_bucket_from_the_environment():
    code = (
        "import json, ita_portal.settings as s; "
        "d = s.STORAGES['default']; o = d.get('OPTIONS', {}); "
        "print(json.dumps([d['BACKEND'], o.get('bucket_name'), o.get('endpoint_url'), "
        "o.get('location')]))"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "ITA_S3_BUCKET": "ita-files",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.internal",
        "AWS_LOCATION": "/portal/",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["storages.backends.s3.S3Storage", "ita-files", "https://s3.example.internal", "portal"]'
    )
