"""The roll-up's summary rows, moved from the measures app: state only, the table keeps its name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("measures", "0012_round_summaries_fillfactor"),
        ("catalogue", "0001_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoundSummary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.PositiveSmallIntegerField(
                                choices=[(6, "รอบ 6 เดือน"), (12, "รอบ 12 เดือน")],
                                verbose_name="รอบการรายงาน",
                            ),
                        ),
                        ("measures", models.IntegerField(db_default=0, verbose_name="มาตรการ")),
                        ("done", models.IntegerField(db_default=0, verbose_name="ดำเนินการแล้วเสร็จ")),
                        (
                            "awaiting_review",
                            models.IntegerField(db_default=0, verbose_name="รอตรวจ"),
                        ),
                        (
                            "in_progress",
                            models.IntegerField(db_default=0, verbose_name="อยู่ระหว่างดำเนินการ"),
                        ),
                        (
                            "not_started",
                            models.IntegerField(db_default=0, verbose_name="ยังไม่ดำเนินการ"),
                        ),
                        (
                            "cannot",
                            models.IntegerField(db_default=0, verbose_name="ไม่สามารถดำเนินการได้"),
                        ),
                        (
                            "done_percent",
                            models.IntegerField(db_default=0, verbose_name="ร้อยละแล้วเสร็จ"),
                        ),
                        (
                            "late",
                            models.IntegerField(db_default=0, verbose_name="มาตรการที่เลยกำหนด"),
                        ),
                        (
                            "divisions_not_reported",
                            models.IntegerField(db_default=0, verbose_name="ส่วนราชการที่ยังไม่รายงาน"),
                        ),
                        (
                            "has_round",
                            models.BooleanField(db_default=False, verbose_name="มีรอบการรายงานนี้"),
                        ),
                        (
                            "round_open",
                            models.BooleanField(db_default=False, verbose_name="เปิดรับรายงาน"),
                        ),
                        (
                            "published_version",
                            models.PositiveIntegerField(null=True, verbose_name="ฉบับที่เผยแพร่"),
                        ),
                        ("published_at", models.DateTimeField(null=True, verbose_name="วันที่เผยแพร่")),
                        (
                            "last_activity",
                            models.DateTimeField(null=True, verbose_name="ความเคลื่อนไหวล่าสุด"),
                        ),
                        ("computed_on", models.DateField(null=True, verbose_name="คำนวณเมื่อ")),
                        ("fresh_through", models.DateField(null=True, verbose_name="ใช้ได้ถึง")),
                        (
                            "fiscal_year",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalogue.fiscalyear",
                                verbose_name="ปีงบประมาณ",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="organizations.organization",
                                verbose_name="หน่วยงาน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "สรุปรอบการรายงานของหน่วยงาน",
                        "verbose_name_plural": "สรุปรอบการรายงานของหน่วยงาน",
                        "db_table": "measures_roundsummary",
                        "indexes": [
                            models.Index(
                                fields=["fiscal_year", "kind"], name="round_summary_year_kind"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organization", "fiscal_year", "kind"),
                                name="round_summary_once",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
