"""The catalogue's models, moved from the measures app: state only, the tables keep their names (measures_*)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("measures", "0012_round_summaries_fillfactor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FiscalYear",
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
                            "year",
                            models.PositiveSmallIntegerField(
                                error_messages={"unique": "มีปีงบประมาณนี้อยู่แล้ว"},
                                unique=True,
                                validators=[
                                    django.core.validators.MinValueValidator(2543),
                                    django.core.validators.MaxValueValidator(2643),
                                ],
                                verbose_name="ปีงบประมาณ (พ.ศ.)",
                            ),
                        ),
                        (
                            "catalogue_source",
                            models.TextField(
                                blank=True,
                                help_text="เครื่องมือและตัวชี้วัดของปีนี้มาจากเอกสารใด และตรวจสอบกับคู่มือการประเมินของปีนี้แล้วหรือยัง",
                                verbose_name="ที่มาของเกณฑ์การประเมิน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ปีงบประมาณ",
                        "verbose_name_plural": "ปีงบประมาณ",
                        "db_table": "measures_fiscalyear",
                        "ordering": ["-year"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("year__gte", 2543), ("year__lte", 2643)),
                                name="fiscal_year_is_buddhist_era",
                                violation_error_message="ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2566",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentTool",
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
                            "code",
                            models.CharField(
                                help_text="เช่น IIT, EIT, OIT",
                                max_length=10,
                                verbose_name="รหัสเครื่องมือ",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(blank=True, max_length=255, verbose_name="ชื่อเครื่องมือ"),
                        ),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="ลำดับ")),
                        (
                            "fiscal_year",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tools",
                                to="catalogue.fiscalyear",
                                verbose_name="ปีงบประมาณ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "เครื่องมือการประเมิน",
                        "verbose_name_plural": "เครื่องมือการประเมิน",
                        "db_table": "measures_assessmenttool",
                        "ordering": ["fiscal_year", "order", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="Indicator",
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
                            "number",
                            models.CharField(
                                help_text="เช่น 1, 10 หรือ 10.2", max_length=10, verbose_name="ตัวชี้วัดที่"
                            ),
                        ),
                        ("name", models.CharField(max_length=255, verbose_name="ชื่อตัวชี้วัด")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="ลำดับ")),
                        (
                            "tool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="indicators",
                                to="catalogue.assessmenttool",
                                verbose_name="เครื่องมือการประเมิน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ตัวชี้วัด",
                        "verbose_name_plural": "ตัวชี้วัด",
                        "db_table": "measures_indicator",
                        "ordering": ["tool__fiscal_year", "tool__order", "order", "number"],
                    },
                ),
                migrations.CreateModel(
                    name="IndicatorWording",
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
                            "key",
                            models.CharField(editable=False, max_length=500, verbose_name="คำค้น"),
                        ),
                        ("wording", models.CharField(max_length=500, verbose_name="ถ้อยคำ")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("catalogue", "ถ้อยคำในเกณฑ์การประเมิน"),
                                    ("chosen", "ผู้ประสานงานเลือกตัวชี้วัดเมื่อนำเข้า"),
                                ],
                                default="catalogue",
                                max_length=16,
                                verbose_name="ที่มา",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="บันทึกเมื่อ"),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="บันทึกโดย",
                            ),
                        ),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="wordings",
                                to="catalogue.indicator",
                                verbose_name="ตัวชี้วัด",
                            ),
                        ),
                        (
                            "tool",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="wordings",
                                to="catalogue.assessmenttool",
                                verbose_name="เครื่องมือการประเมิน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ถ้อยคำของตัวชี้วัด",
                        "verbose_name_plural": "ถ้อยคำอื่นของตัวชี้วัด",
                        "db_table": "measures_indicatorwording",
                        "ordering": ["tool", "indicator__order", "wording"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="assessmenttool",
                    constraint=models.UniqueConstraint(
                        fields=("fiscal_year", "code"),
                        name="tool_unique_code_per_year",
                        violation_error_message="ปีงบประมาณนี้มีเครื่องมือรหัสนี้อยู่แล้ว",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="indicator",
                    constraint=models.UniqueConstraint(
                        fields=("tool", "number"),
                        name="indicator_unique_number_per_tool",
                        violation_error_message="เครื่องมือนี้มีตัวชี้วัดหมายเลขนี้อยู่แล้ว",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="indicatorwording",
                    constraint=models.UniqueConstraint(
                        fields=("tool", "key"),
                        name="indicator_wording_once_per_tool",
                        violation_error_message="เครื่องมือนี้มีถ้อยคำนี้อยู่แล้ว",
                    ),
                ),
            ],
        ),
    ]
