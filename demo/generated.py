"""Publications of generated and demo agencies (demo.generate_agencies).

Publishing renders each agency's PDF (reports.services.publish_round), about half a
second a report: thousands of generated agencies would take hours. Their
publications instead share one stored PDF, rendered once, that says on its face it
is not an agency's report; the rows are marked by their agencies' origin
(Organization.origin) and published by the generator's own inactive user."""

import hashlib
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.template.loader import render_to_string

from demo.generate_agencies import _explicit_times
from measures.models import Round
from organizations.access import SYSTEM
from reports import services as reports_services
from reports.models import PublishedReport
from reports.pdf.render import html_to_pdf

GENERATOR_USERNAME = "ita-generator"
GENERATED_PDF_NAME = "published/generated/ita-generated-report-v1.pdf"


def _storage() -> Storage:
    return PublishedReport._meta.get_field("pdf").storage


def generated_pdf() -> tuple[str, str, int]:
    """The shared PDF's (name in storage, SHA-256, size), rendered the first time."""
    storage = _storage()
    if storage.exists(GENERATED_PDF_NAME):
        with storage.open(GENERATED_PDF_NAME, "rb") as stored:
            content = stored.read()
    else:
        content = html_to_pdf(render_to_string("demo/generated_publication.html"))
        storage.save(GENERATED_PDF_NAME, ContentFile(content))
    return GENERATED_PDF_NAME, hashlib.sha256(content).hexdigest(), len(content)


def generator_user():
    """The inactive user generated publications are published by; it cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "ตัวสร้างข้อมูลจำลอง", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def publish_generated(published: list[tuple[Round, datetime]]) -> int:
    """Version 1 of each round's report, published at the given time, as the shared
    PDF. For rounds of generated or demo agencies only."""
    if not published:
        return 0
    name, sha256, size = generated_pdf()
    user = generator_user()
    with _explicit_times(PublishedReport._meta.get_field("published_at")):
        return reports_services.record_stand_in_publications(
            user=SYSTEM,
            publications=published,
            pdf=name,
            sha256=sha256,
            size=size,
            published_by=user,
        )
