"""Forget the cached answers of the public PDF links when a version is published or
removed (reports.selectors.published_pdf), wherever the row is written: the
publishing service, a background job, the admin, a script. In the shared cache,
and in this process's memory (other processes' copies expire within
reports.selectors.LOCAL_PDF_SECONDS).

Once at the write, and once more after the commit: between the two a request may
read the previous newest version again and cache it; the second deletion drops it."""

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import PublishedReport
from reports.selectors import forget_local_pdfs, published_pdf_key

logger = logging.getLogger(__name__)


@receiver(post_save, sender=PublishedReport, dispatch_uid="reports.forget_published_pdf.save")
@receiver(post_delete, sender=PublishedReport, dispatch_uid="reports.forget_published_pdf.delete")
def forget_published_pdf(sender, instance: PublishedReport, using, **kwargs) -> None:
    r = instance.round
    args = (r.organization.slug, r.fiscal_year.year, r.kind)
    keys = [published_pdf_key(*args), published_pdf_key(*args, instance.version)]
    forget(keys)
    transaction.on_commit(lambda: forget(keys), using=using)


def forget(keys: list[str]) -> None:
    forget_local_pdfs(keys)
    # A cache that does not answer must not undo the publication: its entries
    # expire by themselves (reports.selectors.LATEST_PDF_SECONDS).
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("cache unavailable forgetting %s", keys, exc_info=True)
