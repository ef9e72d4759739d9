"""Evidence files leave storage with their rows, whatever deletes them: a measure
deleted in the admin, an organization removed (the database cascades; the files
are not the database's). Only once the deletion is committed, so that a rolled-back
deletion keeps its files."""

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from measures.models import Measure
from progress.models import Evidence


@receiver(pre_delete, sender=Measure, dispatch_uid="progress.evidence_files_of_measure")
def forget_evidence_files(sender, instance: Measure, **kwargs) -> None:
    names = list(
        Evidence.objects.filter(progress__measure=instance)
        .exclude(file="")
        .values_list("file", flat=True)
    )
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))
