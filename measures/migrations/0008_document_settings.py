"""An organization's document settings: digits of the cover apart from the digits
the portal writes in the body, and evidence links in the report."""

from django.db import migrations, models


def cover_follows_the_old_choice(apps, schema_editor):
    # Until now one switch gave the whole report its digits, cover included.
    Organization = apps.get_model("measures", "Organization")
    Organization.objects.filter(thai_digits=False).update(cover_thai_digits=False)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0007_catalogue_wordings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="thai_digits",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "เลขข้อของขั้นตอน วันที่ ปีงบประมาณในหัวเรื่อง และเลขหน้า ข้อความที่ผู้ใช้พิมพ์แสดงตามที่พิมพ์เสมอ"
                ),
                verbose_name="ใช้เลขไทยในตัวเลขที่ระบบพิมพ์",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="cover_thai_digits",
            field=models.BooleanField(
                default=True,
                help_text="ปีงบประมาณ รอบ และช่วงเดือนบนหน้าปกรายงาน",
                verbose_name="ใช้เลขไทยบนหน้าปก",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="show_evidence_links",
            field=models.BooleanField(
                default=True,
                help_text="ลิงก์หลักฐานที่บันทึกไว้พิมพ์ในคอลัมน์ผลการดำเนินการ ให้ผู้ประเมินเปิดดูได้",
                verbose_name="แสดงลิงก์หลักฐานในรายงาน",
            ),
        ),
        migrations.RunPython(cover_follows_the_old_choice, migrations.RunPython.noop),
    ]
