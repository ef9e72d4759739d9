"""Evidence files leave storage with their rows, whatever deletes them: a measure
deleted in the admin, an organization removed (the database cascades; the files
are not the database's). They are recorded for deletion after a grace period
(operations.sweep_services) in the deleting transaction: a deletion rolled back
keeps its files, and a backup that holds the rows holds the files."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from measures.models import Measure
from operations import sweep_services
from progress.models import Evidence


@receiver(pre_delete, sender=Measure, dispatch_uid="progress.evidence_files_of_measure")
def forget_evidence_files(sender, instance: Measure, **kwargs) -> None:
    sweep_services.delete_later(
        Evidence.objects.filter(progress__measure=instance)
        .exclude(file="")
        .values_list("file", flat=True)
    )
