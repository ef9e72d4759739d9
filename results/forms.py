"""The coordinator's form of one year's result: a score field per indicator of
the year's catalogue, the total, the grade band and the target. Fields take
text as typed ("85.25", "๘๕.๒๕"); results.services reads and checks it, and its
errors come back to the fields they name."""

from django import forms

from catalogue.models import FiscalYear
from results.models import PASS_MARK, Grade, ITAResult
from results.scores import indicator_label

SCORE_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "class": "form-control score"}


def _score_field(label: str, help_text: str = "") -> forms.CharField:
    # Not required here: results.services names a missing score with the others.
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs=SCORE_ATTRS),
        error_messages={"max_length": f"{label}: คะแนนยาวเกินไป"},
    )


class ResultForm(forms.Form):
    total = _score_field("คะแนนรวม", help_text="ตามที่ผลการประเมินพิมพ์ เช่น 85.25 หรือ ๘๕.๒๕")
    grade = forms.ChoiceField(
        label="ระดับผลการประเมิน",
        required=False,
        choices=[("", "ไม่ระบุ (ระบบให้ระดับตามช่วงคะแนนรวม)"), *Grade.choices],
    )
    target = _score_field("ค่าเป้าหมาย", help_text="ตัวชี้วัดที่ได้คะแนนต่ำกว่าค่านี้คือจุดอ่อน (เกณฑ์ผ่าน 85 คะแนน)")

    def __init__(self, *args, indicators, result: ITAResult | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        held = {s.indicator_id: s.score for s in result.scores.all()} if result else {}
        for indicator in indicators:
            name = f"score_{indicator.pk}"
            self.fields[name] = _score_field(indicator_label(indicator))
            self.initial[name] = held.get(indicator.pk)
        if result is not None:
            self.initial.update(
                total=result.total,
                grade="" if result.grade_derived else result.grade,
                target=result.target,
            )
        else:
            self.initial["target"] = PASS_MARK

    def score_rows(self):
        """(tool, [(indicator, bound field)]) in the catalogue's order."""
        groups: list = []
        for indicator in self.indicators:
            if not groups or groups[-1][0] != indicator.tool:
                groups.append((indicator.tool, []))
            groups[-1][1].append((indicator, self[f"score_{indicator.pk}"]))
        return groups

    def scores(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"score_{i.pk}") for i in self.indicators}


class ImportForm(forms.Form):
    """The admin's upload of the assessment's results of many agencies."""

    fiscal_year = forms.ModelChoiceField(
        label="ปีงบประมาณที่ประเมิน",
        queryset=FiscalYear.objects.filter(tools__isnull=False).distinct().order_by("-year"),
        empty_label=None,
        error_messages={"invalid_choice": "ปีงบประมาณนี้ยังไม่มีเกณฑ์การประเมินในระบบ"},
    )
    file = forms.FileField(
        label="ไฟล์ผลการประเมิน (.xlsx หรือ .csv UTF-8)",
        help_text=(
            "หนึ่งแถวต่อหนึ่งหน่วยงาน: คอลัมน์ “หน่วยงาน” (ชื่อตามที่ผลการประเมินพิมพ์ หรือชื่อย่อในลิงก์), "
            "“ตัวชี้วัดที่ 1” ถึง “ตัวชี้วัดที่ 10” และ “คะแนนรวม” (“ระดับ…” และ “จังหวัด” ถ้ามี)"
        ),
        error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์ว่างเปล่า ไม่มีข้อมูล"},
    )
