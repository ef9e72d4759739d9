"""The organizations' models, moved from the measures app: state only, the tables keep their names (measures_*)."""

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
                    name="District",
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
                            "name",
                            models.CharField(
                                help_text="เช่น อำเภอเมืองอุบลราชธานี",
                                max_length=128,
                                verbose_name="ชื่ออำเภอ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "อำเภอ",
                        "verbose_name_plural": "อำเภอ",
                        "db_table": "measures_district",
                        "ordering": ["province__name", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Province",
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
                            models.CharField(max_length=2, unique=True, verbose_name="รหัสจังหวัด"),
                        ),
                        (
                            "name",
                            models.CharField(max_length=64, unique=True, verbose_name="ชื่อจังหวัด"),
                        ),
                    ],
                    options={
                        "verbose_name": "จังหวัด",
                        "verbose_name_plural": "จังหวัด",
                        "db_table": "measures_province",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Organization",
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
                            "slug",
                            models.SlugField(
                                help_text="ตัวอักษรอังกฤษ ตัวเลข และขีด ใช้ในลิงก์สาธารณะ เช่น ubon-pao",
                                unique=True,
                                verbose_name="ชื่อย่อในลิงก์",
                            ),
                        ),
                        ("name", models.CharField(max_length=255, verbose_name="ชื่อหน่วยงาน")),
                        (
                            "location",
                            models.CharField(
                                blank=True,
                                help_text="เช่น อำเภอเมืองอุบลราชธานี จังหวัดอุบลราชธานี",
                                max_length=255,
                                verbose_name="ที่ตั้ง",
                            ),
                        ),
                        (
                            "thai_digits",
                            models.BooleanField(
                                default=True,
                                help_text="เลขข้อของขั้นตอน วันที่ ปีงบประมาณในหัวเรื่อง และเลขหน้า ข้อความที่ผู้ใช้พิมพ์แสดงตามที่พิมพ์เสมอ",
                                verbose_name="ใช้เลขไทยในตัวเลขที่ระบบพิมพ์",
                            ),
                        ),
                        (
                            "cover_thai_digits",
                            models.BooleanField(
                                default=True,
                                help_text="ปีงบประมาณ รอบ และช่วงเดือนบนหน้าปกรายงาน",
                                verbose_name="ใช้เลขไทยบนหน้าปก",
                            ),
                        ),
                        (
                            "show_evidence_links",
                            models.BooleanField(
                                default=True,
                                help_text="ลิงก์หลักฐานที่บันทึกไว้พิมพ์ในคอลัมน์ผลการดำเนินการ ให้ผู้ประเมินเปิดดูได้",
                                verbose_name="แสดงลิงก์หลักฐานในรายงาน",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("pao", "องค์การบริหารส่วนจังหวัด"),
                                    ("city_municipality", "เทศบาลนคร"),
                                    ("town_municipality", "เทศบาลเมือง"),
                                    ("subdistrict_municipality", "เทศบาลตำบล"),
                                    ("sao", "องค์การบริหารส่วนตำบล"),
                                    ("special_local", "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ"),
                                    ("department", "ส่วนราชการ (กรม)"),
                                    ("province", "จังหวัด"),
                                    ("state_enterprise", "รัฐวิสาหกิจ"),
                                    ("university", "มหาวิทยาลัย/สถาบันอุดมศึกษา"),
                                    ("public_organization", "องค์การมหาชน"),
                                    ("independent", "องค์กรตามรัฐธรรมนูญและองค์กรอิสระ"),
                                    ("court", "หน่วยงานศาลและองค์กรอัยการ"),
                                    ("other_state", "หน่วยงานอื่นของรัฐ"),
                                ],
                                max_length=32,
                                verbose_name="ประเภทหน่วยงาน",
                            ),
                        ),
                        (
                            "origin",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("", "หน่วยงานจริง"),
                                    ("demo", "ข้อมูลสาธิต"),
                                    ("generated", "ข้อมูลจำลอง"),
                                ],
                                default="",
                                help_text="หน่วยงานสาธิต (load_seed) และหน่วยงานจำลอง (generate_agencies) ไม่ใช่หน่วยงานจริง",
                                max_length=16,
                                verbose_name="ที่มาของข้อมูล",
                            ),
                        ),
                        (
                            "district",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organizations",
                                to="organizations.district",
                                verbose_name="อำเภอ",
                            ),
                        ),
                        (
                            "province",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organizations",
                                to="organizations.province",
                                verbose_name="จังหวัด",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "หน่วยงาน",
                        "verbose_name_plural": "หน่วยงาน",
                        "db_table": "measures_organization",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Division",
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
                        ("name", models.CharField(max_length=255, verbose_name="ชื่อส่วนราชการ")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("regular", "ส่วนราชการ"),
                                    ("all", "ทุกส่วนราชการ"),
                                    ("concerned", "ส่วนราชการที่เกี่ยวข้อง"),
                                ],
                                default="regular",
                                max_length=16,
                                verbose_name="ประเภท",
                            ),
                        ),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="ลำดับ")),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="divisions",
                                to="organizations.organization",
                                verbose_name="หน่วยงาน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ส่วนราชการ",
                        "verbose_name_plural": "ส่วนราชการ",
                        "db_table": "measures_division",
                        "ordering": ["organization", "order", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="OverseerScope",
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
                            "office",
                            models.CharField(
                                blank=True,
                                help_text="เช่น สำนักงาน ป.ป.ช. ประจำจังหวัดอุบลราชธานี",
                                max_length=255,
                                verbose_name="หน่วยงานผู้กำกับติดตาม",
                            ),
                        ),
                        (
                            "whole_installation",
                            models.BooleanField(
                                default=False,
                                help_text="เช่น สำนักงานระดับประเทศ",
                                verbose_name="ทุกหน่วยงานในระบบ",
                            ),
                        ),
                        (
                            "organization_kind",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("pao", "องค์การบริหารส่วนจังหวัด"),
                                    ("city_municipality", "เทศบาลนคร"),
                                    ("town_municipality", "เทศบาลเมือง"),
                                    ("subdistrict_municipality", "เทศบาลตำบล"),
                                    ("sao", "องค์การบริหารส่วนตำบล"),
                                    ("special_local", "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ"),
                                    ("department", "ส่วนราชการ (กรม)"),
                                    ("province", "จังหวัด"),
                                    ("state_enterprise", "รัฐวิสาหกิจ"),
                                    ("university", "มหาวิทยาลัย/สถาบันอุดมศึกษา"),
                                    ("public_organization", "องค์การมหาชน"),
                                    ("independent", "องค์กรตามรัฐธรรมนูญและองค์กรอิสระ"),
                                    ("court", "หน่วยงานศาลและองค์กรอัยการ"),
                                    ("other_state", "หน่วยงานอื่นของรัฐ"),
                                ],
                                help_text="หน่วยงานประเภทนี้ (ร่วมกับจังหวัด ถ้าระบุ)",
                                max_length=32,
                                verbose_name="ประเภทหน่วยงาน",
                            ),
                        ),
                        (
                            "organizations",
                            models.ManyToManyField(
                                blank=True,
                                help_text="หน่วยงานเพิ่มเติมที่กำกับติดตาม เช่น กรมในสังกัดกระทรวง",
                                related_name="+",
                                to="organizations.organization",
                                verbose_name="หน่วยงานที่ระบุ",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="overseer_scopes",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="ผู้ใช้",
                            ),
                        ),
                        (
                            "province",
                            models.ForeignKey(
                                blank=True,
                                help_text="หน่วยงานในจังหวัดนี้ (ร่วมกับประเภทหน่วยงาน ถ้าระบุ)",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organizations.province",
                                verbose_name="จังหวัด",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ขอบเขตผู้กำกับติดตาม",
                        "verbose_name_plural": "ขอบเขตผู้กำกับติดตาม",
                        "db_table": "measures_overseerscope",
                        "ordering": ["user", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="district",
                    name="province",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="districts",
                        to="organizations.province",
                        verbose_name="จังหวัด",
                    ),
                ),
                migrations.CreateModel(
                    name="Membership",
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
                            "role",
                            models.CharField(
                                choices=[
                                    ("coordinator", "ผู้ประสานงาน ITA"),
                                    ("staff", "เจ้าหน้าที่ส่วนราชการ"),
                                    ("executive", "ผู้บริหาร"),
                                ],
                                max_length=16,
                                verbose_name="บทบาท",
                            ),
                        ),
                        (
                            "divisions",
                            models.ManyToManyField(
                                blank=True,
                                help_text="สำหรับเจ้าหน้าที่: รายงานผลได้เฉพาะมาตรการของส่วนราชการเหล่านี้",
                                related_name="members",
                                to="organizations.division",
                                verbose_name="สังกัดส่วนราชการ",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="ผู้ใช้",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="organizations.organization",
                                verbose_name="หน่วยงาน",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "สมาชิกและบทบาท",
                        "verbose_name_plural": "สมาชิกและบทบาท",
                        "db_table": "measures_membership",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "organization"),
                                name="membership_once_per_organization",
                                violation_error_message="ผู้ใช้นี้มีบทบาทในหน่วยงานนี้อยู่แล้ว",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="division",
                    constraint=models.UniqueConstraint(
                        fields=("organization", "name"),
                        name="division_unique_name",
                        violation_error_message="หน่วยงานนี้มีส่วนราชการชื่อนี้อยู่แล้ว",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="division",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("kind", "regular"), _negated=True),
                        fields=("organization", "kind"),
                        name="division_one_collective_of_each_kind",
                        violation_error_message="หน่วยงานหนึ่งมีรายการ “ทุกส่วนราชการ” หรือ “ส่วนราชการที่เกี่ยวข้อง” ได้อย่างละหนึ่งรายการ",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="overseerscope",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("whole_installation", False),
                            models.Q(("province__isnull", True), ("organization_kind", "")),
                            _connector="OR",
                        ),
                        name="overseer_scope_whole_or_narrowed",
                        violation_error_message="ขอบเขตทุกหน่วยงานในระบบไม่ต้องระบุจังหวัดหรือประเภทหน่วยงาน",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="district",
                    constraint=models.UniqueConstraint(
                        fields=("province", "name"),
                        name="district_unique_name_per_province",
                        violation_error_message="จังหวัดนี้มีอำเภอชื่อนี้อยู่แล้ว",
                    ),
                ),
            ],
        ),
    ]
