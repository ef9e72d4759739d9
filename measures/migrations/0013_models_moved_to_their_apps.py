"""The models that moved to organizations, catalogue, progress and oversight leave the measures app's state; the database is unchanged (their tables keep their names)."""

import django.db.models.deletion
from django.db import migrations, models

# Content types (and so permissions, admin log entries and groups' rights) follow
# the models to their new apps instead of being made anew.
MOVED = {
    "organizations": [
        "province",
        "district",
        "organization",
        "division",
        "membership",
        "overseerscope",
    ],
    "catalogue": ["fiscalyear", "assessmenttool", "indicator", "indicatorwording"],
    "progress": [
        "progress",
        "historicalprogress",
        "stepprogress",
        "historicalstepprogress",
        "divisionpart",
        "historicaldivisionpart",
        "evidence",
        "historicalevidence",
    ],
    "oversight": ["roundsummary"],
}


def _relabel(apps, old_of, new_of):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app, models_ in MOVED.items():
        for model in models_:
            if ContentType.objects.filter(app_label=new_of(app), model=model).exists():
                continue
            ContentType.objects.filter(app_label=old_of(app), model=model).update(
                app_label=new_of(app)
            )


def forwards(apps, schema_editor):
    _relabel(apps, lambda app: "measures", lambda app: app)


def backwards(apps, schema_editor):
    _relabel(apps, lambda app: app, lambda app: "measures")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0001_initial"),
        ("jobs", "0002_models_moved_to_their_apps"),
        ("measures", "0012_round_summaries_fillfactor"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="indicator",
                    name="tool",
                ),
                migrations.RemoveField(
                    model_name="indicatorwording",
                    name="tool",
                ),
                migrations.RemoveField(
                    model_name="district",
                    name="province",
                ),
                migrations.RemoveField(
                    model_name="organization",
                    name="district",
                ),
                migrations.RemoveField(
                    model_name="division",
                    name="organization",
                ),
                migrations.RemoveField(
                    model_name="historicalprogress",
                    name="reporter_division",
                ),
                migrations.RemoveField(
                    model_name="divisionpart",
                    name="division",
                ),
                migrations.AlterField(
                    model_name="measuredivision",
                    name="division",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="organizations.division",
                        verbose_name="ส่วนราชการ",
                    ),
                ),
                migrations.RemoveField(
                    model_name="historicaldivisionpart",
                    name="division",
                ),
                migrations.RemoveField(
                    model_name="membership",
                    name="divisions",
                ),
                migrations.RemoveField(
                    model_name="progress",
                    name="reporter_division",
                ),
                migrations.RemoveField(
                    model_name="divisionpart",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="divisionpart",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="evidence",
                    name="part",
                ),
                migrations.RemoveField(
                    model_name="historicalevidence",
                    name="part",
                ),
                migrations.RemoveField(
                    model_name="evidence",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="evidence",
                    name="uploaded_by",
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="fiscal_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="measures",
                        to="catalogue.fiscalyear",
                        verbose_name="ปีงบประมาณ",
                    ),
                ),
                migrations.RemoveField(
                    model_name="roundsummary",
                    name="fiscal_year",
                ),
                migrations.AlterField(
                    model_name="historicalmeasure",
                    name="fiscal_year",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="catalogue.fiscalyear",
                        verbose_name="ปีงบประมาณ",
                    ),
                ),
                migrations.AlterField(
                    model_name="round",
                    name="fiscal_year",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rounds",
                        to="catalogue.fiscalyear",
                        verbose_name="ปีงบประมาณ",
                    ),
                ),
                migrations.RemoveField(
                    model_name="historicaldivisionpart",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicaldivisionpart",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="historicaldivisionpart",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="historicalevidence",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalevidence",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="historicalevidence",
                    name="uploaded_by",
                ),
                migrations.RemoveField(
                    model_name="historicalprogress",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalprogress",
                    name="measure",
                ),
                migrations.RemoveField(
                    model_name="historicalprogress",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="historicalprogress",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="historicalstepprogress",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalstepprogress",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="historicalstepprogress",
                    name="step",
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="indicator",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="measures",
                        to="catalogue.indicator",
                        verbose_name="ตัวชี้วัด",
                    ),
                ),
                migrations.RemoveField(
                    model_name="indicatorwording",
                    name="indicator",
                ),
                migrations.AlterField(
                    model_name="historicalmeasure",
                    name="indicator",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="catalogue.indicator",
                        verbose_name="ตัวชี้วัด",
                    ),
                ),
                migrations.RemoveField(
                    model_name="indicatorwording",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="membership",
                    name="organization",
                ),
                migrations.RemoveField(
                    model_name="membership",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="organization",
                    name="province",
                ),
                migrations.RemoveField(
                    model_name="overseerscope",
                    name="organizations",
                ),
                migrations.AlterField(
                    model_name="round",
                    name="organization",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rounds",
                        to="organizations.organization",
                        verbose_name="หน่วยงาน",
                    ),
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="organization",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="measures",
                        to="organizations.organization",
                        verbose_name="หน่วยงาน",
                    ),
                ),
                migrations.RemoveField(
                    model_name="roundsummary",
                    name="organization",
                ),
                migrations.AlterField(
                    model_name="historicalmeasure",
                    name="organization",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                        verbose_name="หน่วยงาน",
                    ),
                ),
                migrations.RemoveField(
                    model_name="overseerscope",
                    name="province",
                ),
                migrations.RemoveField(
                    model_name="overseerscope",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="progress",
                    name="measure",
                ),
                migrations.RemoveField(
                    model_name="progress",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="progress",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="stepprogress",
                    name="progress",
                ),
                migrations.RemoveField(
                    model_name="stepprogress",
                    name="step",
                ),
                migrations.AlterField(
                    model_name="measure",
                    name="divisions",
                    field=models.ManyToManyField(
                        related_name="measures",
                        through="measures.MeasureDivision",
                        to="organizations.division",
                        verbose_name="ผู้รับผิดชอบ",
                    ),
                ),
                migrations.DeleteModel(
                    name="AssessmentTool",
                ),
                migrations.DeleteModel(
                    name="District",
                ),
                migrations.DeleteModel(
                    name="Division",
                ),
                migrations.DeleteModel(
                    name="DivisionPart",
                ),
                migrations.DeleteModel(
                    name="Evidence",
                ),
                migrations.DeleteModel(
                    name="FiscalYear",
                ),
                migrations.DeleteModel(
                    name="HistoricalDivisionPart",
                ),
                migrations.DeleteModel(
                    name="HistoricalEvidence",
                ),
                migrations.DeleteModel(
                    name="HistoricalProgress",
                ),
                migrations.DeleteModel(
                    name="HistoricalStepProgress",
                ),
                migrations.DeleteModel(
                    name="Indicator",
                ),
                migrations.DeleteModel(
                    name="IndicatorWording",
                ),
                migrations.DeleteModel(
                    name="Membership",
                ),
                migrations.DeleteModel(
                    name="RoundSummary",
                ),
                migrations.DeleteModel(
                    name="Organization",
                ),
                migrations.DeleteModel(
                    name="Province",
                ),
                migrations.DeleteModel(
                    name="OverseerScope",
                ),
                migrations.DeleteModel(
                    name="Progress",
                ),
                migrations.DeleteModel(
                    name="StepProgress",
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
