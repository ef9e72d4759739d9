"""An organization's document settings: which digits the portal writes in its
report, and whether evidence links are printed. Its coordinator changes them on
the portal (reports.settings_views), through the one service below."""

from django import forms

from organizations.models import Organization

FIELDS = ("cover_thai_digits", "thai_digits", "show_evidence_links")


def _digits_field(label: str, thai_example: str, arabic_example: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[
            ("thai", f"เลขไทย เช่น {thai_example}"),
            ("arabic", f"เลขอารบิก เช่น {arabic_example}"),
        ],
        coerce=lambda value: value == "thai",
        widget=forms.RadioSelect,
        error_messages={"required": "กรุณาเลือกเลขไทยหรือเลขอารบิก"},
    )


class DocumentSettingsForm(forms.Form):
    cover_thai_digits = _digits_field(
        "ตัวเลขบนหน้าปก",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ รอบ ๖ เดือน",
        "ประจำปีงบประมาณ พ.ศ. 2566 รอบ 6 เดือน",
    )
    thai_digits = _digits_field(
        "ตัวเลขที่ระบบพิมพ์ในเนื้อรายงาน (เลขข้อของขั้นตอน วันที่ ปีในหัวเรื่อง และเลขหน้า)",
        "๑. … ดำเนินการแล้วเสร็จ เมื่อวันที่ ๑๘ เมษายน ๒๕๖๖",
        "1. … ดำเนินการแล้วเสร็จ เมื่อวันที่ 18 เมษายน 2566",
    )
    show_evidence_links = forms.BooleanField(
        label="แสดงลิงก์หลักฐานที่บันทึกไว้ในคอลัมน์ผลการดำเนินการ",
        required=False,
        help_text="ผู้ประเมิน OIT เปิดดูหลักฐานได้จากรายงานที่เผยแพร่",
    )

    @classmethod
    def for_organization(cls, organization: Organization, data=None) -> "DocumentSettingsForm":
        initial = {
            "cover_thai_digits": "thai" if organization.cover_thai_digits else "arabic",
            "thai_digits": "thai" if organization.thai_digits else "arabic",
            "show_evidence_links": organization.show_evidence_links,
        }
        return cls(data=data, initial=initial)
