"""Admin forms and formsets with the rules people trip over: a step number used
twice, a measure without steps or without a responsible division, a save based
on an old copy. They only validate; MeasureAdmin writes through
services.save_measure."""

from django import forms
from django.core.exceptions import ValidationError

from measures.models import Measure, Step
from measures.steps_text import ItemTextError, format_item_lines, parse_item_lines
from organizations.admin_scoping import kept_forms
from thai.templatetags.thai import thai_date


class StepInlineForm(forms.ModelForm):
    items_text = forms.CharField(
        label="หัวข้อย่อย",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text="บรรทัดละหนึ่งหัวข้อ ขึ้นต้นด้วย - หรือ (1) หรือ 1) เว้นวรรคหน้าบรรทัด 2 ช่องเพื่อซ้อนระดับ",
    )

    class Meta:
        model = Step
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["items_text"].initial = format_item_lines(self.instance.items.all())

    def clean_items_text(self):
        try:
            return parse_item_lines(self.cleaned_data["items_text"])
        except ItemTextError as error:
            raise ValidationError(str(error)) from error


class StepInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        if any(form.errors for form in self.forms):
            return
        kept = kept_forms(self)
        if not kept:
            raise ValidationError("มาตรการต้องมีขั้นตอนหรือวิธีการอย่างน้อย 1 ข้อ")
        seen = set()
        for form in kept:
            number = form.cleaned_data.get("number")
            if number in seen:
                form.add_error("number", f"ข้อที่ {number} ซ้ำกับขั้นตอนอื่นของมาตรการนี้")
            seen.add(number)
        super().clean()


class MeasureDivisionInlineForm(forms.ModelForm):
    def validate_unique(self):
        # The formset renumbers and replaces the rows, so row-by-row uniqueness
        # checks against the database would refuse harmless reorderings.
        pass


class MeasureDivisionInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        # The admin's table rows label their inputs only by the column header, which
        # assistive technology does not read for an input: each says what it is.
        super().add_fields(form, index)
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        kept = kept_forms(self)
        if not kept:
            raise ValidationError("ต้องระบุผู้รับผิดชอบอย่างน้อย 1 ส่วนราชการ")
        seen = set()
        for form in kept:
            division = form.cleaned_data.get("division")
            if division.organization_id != self.instance.organization_id:
                form.add_error("division", f"“{division}” เป็นส่วนราชการของหน่วยงานอื่น")
            elif division in seen:
                form.add_error("division", f"“{division}” อยู่ในรายชื่อผู้รับผิดชอบแล้ว")
            seen.add(division)


class StaleEditCheckMixin:
    """Refuse a save based on an older copy of the row than the database has.

    The form carries what it was opened with (`stamp_field` of the row) in a
    hidden field. When someone saved in between, the save is refused with who
    and when; the hidden stamp is moved on, so saving again is a deliberate
    choice to keep what this user typed.
    """

    stamp_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_stamp"].initial = str(getattr(self.instance, self.stamp_field))

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            return data
        model = type(self.instance)
        current = model.objects.filter(pk=self.instance.pk).values_list(self.stamp_field, flat=True)
        current = str(current.first())
        if data.get("seen_stamp") and data["seen_stamp"] != current:
            last = (
                model.history.filter(id=self.instance.pk)
                .select_related("history_user")
                .order_by("-history_date")
                .first()
            )
            # Saves outside a request (services, imports) leave no history user.
            user = last and (last.history_user or getattr(last, "updated_by", None))
            who = (user.get_full_name() or user.get_username()) if user else "ผู้ใช้อื่น"
            when = thai_date(last.history_date) if last else ""
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_stamp")] = current
            raise ValidationError(
                f"{self.stale_subject} ถูกแก้ไขโดย {who} {when} หลังจากที่คุณเปิดหน้านี้ "
                "ระบบยังไม่บันทึกข้อมูลของคุณ ตรวจสอบฉบับล่าสุดในประวัติ "
                "ถ้ายังต้องการใช้ข้อมูลของคุณ กดบันทึกอีกครั้ง"
            )
        return data


class MeasureAdminForm(StaleEditCheckMixin, forms.ModelForm):
    stamp_field = "updated_at"
    stale_subject = "มาตรการนี้"
    seen_stamp = forms.CharField(label="ฉบับที่เปิดแก้ไข", widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = ["organization", "fiscal_year", "order", "indicator", "target", "monitoring"]
