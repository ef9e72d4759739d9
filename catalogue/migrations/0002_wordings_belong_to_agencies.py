"""A coordinator's choice of an indicator for a wording belongs to that agency.

Until now a CHOSEN wording decided every agency's imports. Each existing one is
given the agency it can be shown to be, from what is recorded: the agencies
whose measures of that year use the wording for that indicator (a choice is
recorded only when an import that wrote such measures was confirmed), narrowed
to the ones the person who chose it coordinates when that leaves one. One
agency left: the choice is that agency's. Its own measures already read the
wording as that indicator, so this decides nothing for it that was not its own.
Several or none (the measures edited since, a command's choice read by other
agencies too): the agency cannot be known, and the row keeps no organization:
a suggestion only, never a decision (catalogue.services).
"""

import django.db.models.deletion
from django.db import migrations, models

from thai.conventions import normalize_sara_am, to_arabic_digits


def _key(text: str) -> str:
    # catalogue.models.wording_key as it was when the keys were written.
    text = normalize_sara_am(to_arabic_digits(text)).strip()
    text = text.removeprefix("ตัวชี้วัด").strip(" :-–")
    return "".join(text.split())


def _owner(wording, Measure, Membership) -> int | None:
    targets = Measure.objects.filter(
        fiscal_year_id=wording.tool.fiscal_year_id, indicator_id=wording.indicator_id
    ).exclude(target="")
    using = {
        org
        for org, target in targets.values_list("organization_id", "target")
        if _key(target) == wording.key
    }
    if wording.created_by_id:
        coordinated = set(
            Membership.objects.filter(
                user_id=wording.created_by_id, role="coordinator"
            ).values_list("organization_id", flat=True)
        )
        using = (using & coordinated) or using
    return next(iter(using)) if len(using) == 1 else None


def give_choices_their_agency(apps, schema_editor):
    IndicatorWording = apps.get_model("catalogue", "IndicatorWording")
    Measure = apps.get_model("measures", "Measure")
    Membership = apps.get_model("organizations", "Membership")
    for wording in IndicatorWording.objects.filter(source="chosen").select_related("tool"):
        owner = _owner(wording, Measure, Membership)
        if owner is not None:
            IndicatorWording.objects.filter(pk=wording.pk).update(organization_id=owner)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("measures", "0013_models_moved_to_their_apps"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicatorwording",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                help_text="ว่างไว้สำหรับถ้อยคำในเกณฑ์การประเมิน ซึ่งใช้กับทุกหน่วยงาน",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organizations.organization",
                verbose_name="หน่วยงานที่เลือก",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="indicatorwording",
            name="indicator_wording_once_per_tool",
        ),
        migrations.AddConstraint(
            model_name="indicatorwording",
            constraint=models.UniqueConstraint(
                condition=models.Q(organization__isnull=True),
                fields=("tool", "key"),
                name="indicator_wording_once_per_tool",
                violation_error_message="เครื่องมือนี้มีถ้อยคำนี้อยู่แล้ว",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorwording",
            constraint=models.UniqueConstraint(
                condition=models.Q(organization__isnull=False),
                fields=("tool", "key", "organization"),
                name="indicator_wording_once_per_agency",
                violation_error_message="หน่วยงานนี้เลือกตัวชี้วัดของถ้อยคำนี้ไว้แล้ว",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorwording",
            constraint=models.CheckConstraint(
                condition=models.Q(source="chosen") | models.Q(organization__isnull=True),
                name="indicator_wording_catalogue_has_no_agency",
                violation_error_message="ถ้อยคำในเกณฑ์การประเมินใช้กับทุกหน่วยงาน จึงไม่ระบุหน่วยงาน",
            ),
        ),
        migrations.RunPython(give_choices_their_agency, migrations.RunPython.noop),
    ]
