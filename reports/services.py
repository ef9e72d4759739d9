"""Publishing: render once, store the bytes with their hash, never rewrite."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from measures.access import Action, check
from measures.models import Round
from reports.document import build_document
from reports.models import PublishedReport
from reports.pdf import render_pdf


def publish_round(*, round_: Round, user) -> PublishedReport:
    """Publish the round's report as a new version; the stable URL serves it next.

    A transaction of its own (durable: inside a caller's transaction the row could
    still be rolled back after this returns): the PDF file is written inside it and
    deleted again when it fails, so no file is left without its row. The round is
    locked for the render, so two coordinators publishing at once get versions n
    and n+1, and the PDF shows the progress as committed (saves wait, see
    measures.progress)."""
    check(user, round_.organization, Action.PUBLISH)
    stored = None
    try:
        with transaction.atomic(durable=True):
            round_ = (
                Round.objects.select_for_update(of=("self",))
                .select_related("organization", "fiscal_year")
                .get(pk=round_.pk)
            )
            pdf = render_pdf(build_document(round_))
            latest = (
                round_.publications.order_by("-version").values_list("version", flat=True).first()
            )
            report = PublishedReport(
                round=round_,
                version=(latest or 0) + 1,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                published_by=user,
            )
            report.pdf.save("report.pdf", ContentFile(pdf), save=False)
            stored = report.pdf
            report.save()
    except BaseException:
        if stored:
            stored.storage.delete(stored.name)
        raise
    return report
