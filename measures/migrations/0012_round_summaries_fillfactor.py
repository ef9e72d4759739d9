"""Room on each page of the summary table for the new version of a row (PostgreSQL's
fillfactor): refreshes rewrite every row again and again, and with room on the page
the update is HOT, its old version pruned from the page without a VACUUM."""

from django.db import migrations


def _set_fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("measures", "RoundSummary")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0011_round_summaries_without_foreign_keys"),
    ]

    operations = [migrations.RunPython(_set_fillfactor(50), _set_fillfactor(100))]
