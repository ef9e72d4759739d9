"""Admin forms for importing and exporting a year's measures. The organization
choices are the ones the user coordinates, so no one reaches another's data."""

from django import forms
from django.core.exceptions import ValidationError

from catalogue.models import FiscalYear, Indicator
from interchange.exporters import EXPORTERS
from interchange.tables import TableFileError, check_size
from measures.models import Round
from measures.selectors import working_year


class _OrganizationYearForm(forms.Form):
    organization = forms.ModelChoiceField(label="หน่วยงาน", queryset=None)
    fiscal_year = forms.ModelChoiceField(
        label="ปีงบประมาณ", queryset=FiscalYear.objects.all(), empty_label=None
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        if len(organizations) == 1:
            field.empty_label, field.initial = None, organizations[0].pk
        # The year of the open round (or the newest with measures), not the newest
        # year the catalogue knows, which has no measures yet.
        year = working_year(organizations)
        if year is not None:
            self.fields["fiscal_year"].initial = year.pk


class ImportForm(_OrganizationYearForm):
    round_kind = forms.TypedChoiceField(
        label="คอลัมน์ผลการดำเนินการเป็นของ",
        choices=[("", "ตามหัวเรื่องในไฟล์ (ถ้าไม่ระบุ: รอบ 6 เดือน)"), *Round.Kind.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    create_divisions = forms.BooleanField(
        label="สร้างส่วนราชการที่ยังไม่มีในหน่วยงาน",
        required=False,
        help_text="ถ้าไม่เลือก ชื่อส่วนราชการที่ไม่พบจะแจ้งเป็นข้อผิดพลาด",
    )
    file = forms.FileField(
        label="ไฟล์ XLSX หรือ CSV (UTF-8)",
        help_text="ตาราง 6 คอลัมน์ตามรายงาน แถวละหนึ่งมาตรการ ระบบจะแสดงผลการตรวจสอบให้ยืนยันก่อนบันทึก",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except TableFileError as error:
            raise ValidationError(str(error)) from error
        return upload


class ExportForm(_OrganizationYearForm):
    round_kind = forms.TypedChoiceField(
        label="คอลัมน์ผลการดำเนินการ",
        choices=Round.Kind.choices,
        coerce=int,
        initial=Round.Kind.SIX_MONTHS,
    )
    format = forms.ChoiceField(
        label="ชนิดไฟล์",
        choices=[(e.identifier, e.verbose_name) for e in EXPORTERS.values()],
        initial="xlsx",
    )


SUGGESTED_HELP = (
    "เลือกไว้ให้ตามที่หน่วยงานอื่นในระบบเลือกถ้อยคำนี้บ่อยที่สุด (ไม่ระบุหน่วยงาน) "
    "เป็นเพียงข้อแนะนำ ตรวจสอบแล้วยืนยัน หรือเลือกตัวชี้วัดข้ออื่น"
)


class WordingsForm(forms.Form):
    """Which indicator each wording of the sheet means, one select per wording.
    `questions` are [tool code, wording key, wording, rows, suggested number]; the
    choices are the tool's indicators in the year, the suggested one (other
    agencies' most common choice) selected for the coordinator to confirm."""

    def __init__(self, *args, questions, fiscal_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        indicators = Indicator.objects.filter(tool__fiscal_year=fiscal_year).select_related("tool")
        for index, (tool, _, wording, rows, *suggested) in enumerate(questions):
            choices = [
                (i.number, f"ตัวชี้วัดที่ {i.number} {i.name}")
                for i in indicators
                if i.tool.code.upper() == tool
            ]
            suggested = next((s for s in suggested if s in dict(choices)), None)
            self.fields[f"wording_{index}"] = forms.ChoiceField(
                label=f"“{wording}” ({tool} แถวที่ {', '.join(map(str, rows))})",
                choices=[("", "— เลือกตัวชี้วัด —"), *choices],
                required=False,
                initial=suggested,
                help_text=SUGGESTED_HELP if suggested else "",
            )

    def chosen(self) -> list[list[str]]:
        """[tool code, wording key, indicator number] of each wording given a choice."""
        return [
            [question[0], question[1], self.cleaned_data[f"wording_{index}"]]
            for index, question in enumerate(self.questions)
            if self.cleaned_data.get(f"wording_{index}")
        ]
