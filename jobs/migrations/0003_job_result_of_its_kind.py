"""A job keeps the id of what it made (result_id), of its kind's model, instead of a
foreign key to reports' publications: the job runner knows no app's models. The
publications already recorded are copied over."""

from django.db import migrations, models


def copy_publications(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.exclude(published_report=None).only("pk", "published_report_id"):
        Job.objects.filter(pk=job.pk).update(result_id=job.published_report_id)


def copy_back(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(kind="publish").exclude(result_id=None).only("pk", "result_id"):
        Job.objects.filter(pk=job.pk).update(published_report_id=job.result_id)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_models_moved_to_their_apps"),
        ("reports", "0002_withdrawal_and_content_hash"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="result_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="รหัสของสิ่งที่ได้"
            ),
        ),
        migrations.RunPython(copy_publications, copy_back),
        migrations.RemoveField(model_name="job", name="published_report"),
    ]
