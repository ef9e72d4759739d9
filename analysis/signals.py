"""Forget the cached answers of the analysis's public links when a version is
published, withdrawn or removed (as reports/signals.py does for reports)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from analysis.models import PublishedAnalysis
from analysis.selectors import published_pdf_key
from reports.signals import forget


@receiver(post_save, sender=PublishedAnalysis, dispatch_uid="analysis.forget_pdf.save")
@receiver(post_delete, sender=PublishedAnalysis, dispatch_uid="analysis.forget_pdf.delete")
def forget_published_pdf(sender, instance: PublishedAnalysis, using, **kwargs) -> None:
    d = instance.document
    args = (d.organization.slug, d.fiscal_year.year)
    keys = [published_pdf_key(*args), published_pdf_key(*args, instance.version)]
    forget(keys)
    transaction.on_commit(lambda: forget(keys), using=using)
