"""Progress, its history, steps done, parts and evidence, moved from the measures app: state only, the tables keep their names (measures_*)."""

import datetime
import django.db.models.deletion
import progress.models
import simple_history.models
import thai.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("measures", "0013_models_moved_to_their_apps"),
        ("organizations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DivisionPart",
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
                        ("note", models.TextField(blank=True, verbose_name="สิ่งที่ส่วนราชการดำเนินการ")),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="แก้ไขล่าสุด"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="ฉบับที่")),
                        (
                            "division",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="parts",
                                to="organizations.division",
                                verbose_name="ส่วนราชการ",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="แก้ไขโดย",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ส่วนของส่วนราชการ",
                        "verbose_name_plural": "ส่วนของส่วนราชการ",
                        "db_table": "measures_divisionpart",
                        "ordering": ["progress", "division__order", "division__name"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalProgress",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "ยังไม่ดำเนินการ"),
                                    ("in_progress", "อยู่ระหว่างดำเนินการ"),
                                    ("done", "ดำเนินการแล้วเสร็จ"),
                                    ("cannot", "ไม่สามารถดำเนินการได้"),
                                ],
                                default="not_started",
                                max_length=16,
                                verbose_name="สถานะ",
                            ),
                        ),
                        (
                            "completed_on",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[thai.validators.validate_sane_date],
                                verbose_name="วันที่แล้วเสร็จ",
                            ),
                        ),
                        (
                            "result_text",
                            models.TextField(
                                blank=True,
                                help_text="พิมพ์ต่อท้ายสถานะในคอลัมน์ผลการดำเนินการของรายงาน",
                                verbose_name="รายละเอียดผลการดำเนินการ",
                            ),
                        ),
                        (
                            "cannot_reason",
                            models.TextField(blank=True, verbose_name="เหตุผลที่ดำเนินการไม่ได้"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="แก้ไขล่าสุด"
                            ),
                        ),
                        (
                            "review_state",
                            models.CharField(
                                choices=[
                                    ("draft", "ฉบับร่าง"),
                                    ("submitted", "ส่งให้ผู้ประสานงานตรวจแล้ว"),
                                    ("returned", "ส่งกลับให้แก้ไข"),
                                    ("approved", "ผู้ประสานงานอนุมัติแล้ว"),
                                ],
                                default="draft",
                                max_length=16,
                                verbose_name="สถานะการตรวจสอบ",
                            ),
                        ),
                        (
                            "review_comment",
                            models.TextField(blank=True, verbose_name="ความเห็นของผู้ประสานงาน"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="ฉบับที่")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "measure",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="measures.measure",
                                verbose_name="มาตรการ",
                            ),
                        ),
                        (
                            "reporter_division",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="organizations.division",
                                verbose_name="ส่วนราชการผู้รายงานผล",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="measures.round",
                                verbose_name="รอบการรายงาน",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="แก้ไขโดย",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ประวัติผลการดำเนินการ",
                        "verbose_name_plural": "historical ผลการดำเนินการ",
                        "db_table": "measures_historicalprogress",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Progress",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "ยังไม่ดำเนินการ"),
                                    ("in_progress", "อยู่ระหว่างดำเนินการ"),
                                    ("done", "ดำเนินการแล้วเสร็จ"),
                                    ("cannot", "ไม่สามารถดำเนินการได้"),
                                ],
                                default="not_started",
                                max_length=16,
                                verbose_name="สถานะ",
                            ),
                        ),
                        (
                            "completed_on",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[thai.validators.validate_sane_date],
                                verbose_name="วันที่แล้วเสร็จ",
                            ),
                        ),
                        (
                            "result_text",
                            models.TextField(
                                blank=True,
                                help_text="พิมพ์ต่อท้ายสถานะในคอลัมน์ผลการดำเนินการของรายงาน",
                                verbose_name="รายละเอียดผลการดำเนินการ",
                            ),
                        ),
                        (
                            "cannot_reason",
                            models.TextField(blank=True, verbose_name="เหตุผลที่ดำเนินการไม่ได้"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="แก้ไขล่าสุด"),
                        ),
                        (
                            "review_state",
                            models.CharField(
                                choices=[
                                    ("draft", "ฉบับร่าง"),
                                    ("submitted", "ส่งให้ผู้ประสานงานตรวจแล้ว"),
                                    ("returned", "ส่งกลับให้แก้ไข"),
                                    ("approved", "ผู้ประสานงานอนุมัติแล้ว"),
                                ],
                                default="draft",
                                max_length=16,
                                verbose_name="สถานะการตรวจสอบ",
                            ),
                        ),
                        (
                            "review_comment",
                            models.TextField(blank=True, verbose_name="ความเห็นของผู้ประสานงาน"),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="ฉบับที่")),
                        (
                            "measure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress",
                                to="measures.measure",
                                verbose_name="มาตรการ",
                            ),
                        ),
                        (
                            "reporter_division",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="organizations.division",
                                verbose_name="ส่วนราชการผู้รายงานผล",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress",
                                to="measures.round",
                                verbose_name="รอบการรายงาน",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="แก้ไขโดย",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ผลการดำเนินการ",
                        "verbose_name_plural": "ผลการดำเนินการ",
                        "db_table": "measures_progress",
                        "ordering": ["round", "measure__order"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalStepProgress",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "done_on",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[thai.validators.validate_sane_date],
                                verbose_name="วันที่ดำเนินการแล้วเสร็จ",
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "step",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="measures.step",
                                verbose_name="ขั้นตอน",
                            ),
                        ),
                        (
                            "progress",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.progress",
                                verbose_name="ผลการดำเนินการ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ประวัติขั้นตอนที่ดำเนินการแล้ว",
                        "verbose_name_plural": "historical ขั้นตอนที่ดำเนินการแล้ว",
                        "db_table": "measures_historicalstepprogress",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalEvidence",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("file", models.TextField(blank=True, max_length=100, verbose_name="ไฟล์")),
                        (
                            "original_name",
                            models.CharField(blank=True, max_length=255, verbose_name="ชื่อไฟล์เดิม"),
                        ),
                        (
                            "content_type",
                            models.CharField(blank=True, max_length=100, verbose_name="ชนิดไฟล์"),
                        ),
                        ("size", models.PositiveIntegerField(default=0, verbose_name="ขนาด (ไบต์)")),
                        ("url", models.URLField(blank=True, max_length=1000, verbose_name="ลิงก์")),
                        (
                            "title",
                            models.CharField(blank=True, max_length=255, verbose_name="คำอธิบาย"),
                        ),
                        (
                            "uploaded_at",
                            models.DateTimeField(blank=True, editable=False, verbose_name="เพิ่มเมื่อ"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "part",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.divisionpart",
                                verbose_name="ส่วนของส่วนราชการ",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="เพิ่มโดย",
                            ),
                        ),
                        (
                            "progress",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.progress",
                                verbose_name="ผลการดำเนินการ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ประวัติหลักฐาน",
                        "verbose_name_plural": "historical หลักฐาน",
                        "db_table": "measures_historicalevidence",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalDivisionPart",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="สิ่งที่ส่วนราชการดำเนินการ")),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="แก้ไขล่าสุด"
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="ฉบับที่")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "division",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="organizations.division",
                                verbose_name="ส่วนราชการ",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="แก้ไขโดย",
                            ),
                        ),
                        (
                            "progress",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.progress",
                                verbose_name="ผลการดำเนินการ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ประวัติส่วนของส่วนราชการ",
                        "verbose_name_plural": "historical ส่วนของส่วนราชการ",
                        "db_table": "measures_historicaldivisionpart",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Evidence",
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
                            "file",
                            models.FileField(
                                blank=True,
                                upload_to=progress.models.evidence_path,
                                verbose_name="ไฟล์",
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(blank=True, max_length=255, verbose_name="ชื่อไฟล์เดิม"),
                        ),
                        (
                            "content_type",
                            models.CharField(blank=True, max_length=100, verbose_name="ชนิดไฟล์"),
                        ),
                        ("size", models.PositiveIntegerField(default=0, verbose_name="ขนาด (ไบต์)")),
                        ("url", models.URLField(blank=True, max_length=1000, verbose_name="ลิงก์")),
                        (
                            "title",
                            models.CharField(blank=True, max_length=255, verbose_name="คำอธิบาย"),
                        ),
                        (
                            "uploaded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="เพิ่มเมื่อ"),
                        ),
                        (
                            "part",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence",
                                to="progress.divisionpart",
                                verbose_name="ส่วนของส่วนราชการ",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="เพิ่มโดย",
                            ),
                        ),
                        (
                            "progress",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="evidence",
                                to="progress.progress",
                                verbose_name="ผลการดำเนินการ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "หลักฐาน",
                        "verbose_name_plural": "หลักฐาน",
                        "db_table": "measures_evidence",
                        "ordering": ["progress", "uploaded_at"],
                    },
                ),
                migrations.AddField(
                    model_name="divisionpart",
                    name="progress",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="progress.progress",
                        verbose_name="ผลการดำเนินการ",
                    ),
                ),
                migrations.CreateModel(
                    name="StepProgress",
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
                            "done_on",
                            models.DateField(
                                blank=True,
                                null=True,
                                validators=[thai.validators.validate_sane_date],
                                verbose_name="วันที่ดำเนินการแล้วเสร็จ",
                            ),
                        ),
                        (
                            "progress",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="step_marks",
                                to="progress.progress",
                                verbose_name="ผลการดำเนินการ",
                            ),
                        ),
                        (
                            "step",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="marks",
                                to="measures.step",
                                verbose_name="ขั้นตอน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ขั้นตอนที่ดำเนินการแล้ว",
                        "verbose_name_plural": "ขั้นตอนที่ดำเนินการแล้ว",
                        "db_table": "measures_stepprogress",
                    },
                ),
                migrations.AddConstraint(
                    model_name="progress",
                    constraint=models.UniqueConstraint(
                        fields=("measure", "round"),
                        name="progress_once_per_round",
                        violation_error_message="มาตรการนี้มีผลการดำเนินการของรอบนี้อยู่แล้ว",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progress",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "done"), _negated=True),
                            ("completed_on__isnull", False),
                            _connector="OR",
                        ),
                        name="progress_done_has_date",
                        violation_error_message="สถานะดำเนินการแล้วเสร็จต้องระบุวันที่แล้วเสร็จ",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progress",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "cannot"), _negated=True),
                            models.Q(("cannot_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="progress_cannot_has_reason",
                        violation_error_message="สถานะไม่สามารถดำเนินการได้ต้องระบุเหตุผล",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="progress",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("completed_on__isnull", True),
                            models.Q(
                                ("completed_on__gte", datetime.date(2000, 1, 1)),
                                ("completed_on__lte", datetime.date(2100, 12, 31)),
                            ),
                            _connector="OR",
                        ),
                        name="progress_completed_on_sane",
                        violation_error_message="ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="evidence",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("file", ""), models.Q(("url", ""), _negated=True)),
                            models.Q(models.Q(("file", ""), _negated=True), ("url", "")),
                            _connector="OR",
                        ),
                        name="evidence_is_file_or_link",
                        violation_error_message="หลักฐานหนึ่งรายการเป็นไฟล์หรือลิงก์อย่างใดอย่างหนึ่ง",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="divisionpart",
                    constraint=models.UniqueConstraint(
                        fields=("progress", "division"),
                        name="division_part_once",
                        violation_error_message="ส่วนราชการนี้มีส่วนของตนในผลการดำเนินการนี้แล้ว",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="stepprogress",
                    constraint=models.UniqueConstraint(
                        fields=("progress", "step"), name="step_progress_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="stepprogress",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("done_on__isnull", True),
                            models.Q(
                                ("done_on__gte", datetime.date(2000, 1, 1)),
                                ("done_on__lte", datetime.date(2100, 12, 31)),
                            ),
                            _connector="OR",
                        ),
                        name="step_progress_done_on_sane",
                        violation_error_message="ปี พ.ศ. ต้องอยู่ระหว่าง 2543 ถึง 2643",
                    ),
                ),
            ],
        ),
    ]
