"""The 77 provinces with their TIS 1099 codes, as data every installation has."""

from django.db import migrations

from organizations.provinces import PROVINCES  # the one list


def add_provinces(apps, schema_editor):
    Province = apps.get_model("measures", "Province")
    known = set(Province.objects.values_list("code", flat=True))
    Province.objects.bulk_create(
        Province(code=code, name=name) for code, name in PROVINCES if code not in known
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0005_geography_overseers")]

    operations = [migrations.RunPython(add_provinces, migrations.RunPython.noop)]
