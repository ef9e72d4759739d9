"""Publishing: render once, store the bytes with their hash, never rewrite."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from measures.access import Action, check
from measures.models import Round
from reports.document import build_document
from reports.models import PublishedReport
from reports.pdf import render_pdf


@transaction.atomic
def publish_round(*, round_: Round, user) -> PublishedReport:
    """Publish the round's report as a new version; the stable URL serves it next."""
    check(user, round_.organization, Action.PUBLISH)
    # Lock the round so that two coordinators publishing at once get versions n and n+1.
    round_ = (
        Round.objects.select_for_update()
        .select_related("organization", "fiscal_year")
        .get(pk=round_.pk)
    )
    pdf = render_pdf(build_document(round_))
    latest = round_.publications.order_by("-version").values_list("version", flat=True).first()
    report = PublishedReport(
        round=round_,
        version=(latest or 0) + 1,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        published_by=user,
    )
    report.pdf.save("report.pdf", ContentFile(pdf), save=False)
    report.save()
    return report
