"""Forms of the approval pages: what was typed is checked by the services (their
Thai messages name the field); the forms keep it for the page shown again."""

from django import forms

from approvals.models import ApprovalSettings

NUL = {"null_characters_not_allowed": "ข้อความมีอักขระ NUL ซึ่งไม่ใช่ตัวอักษรที่พิมพ์ได้ กรุณาพิมพ์ใหม่"}


class RequestForm(forms.Form):
    note = forms.CharField(
        label="บันทึกถึงผู้อนุมัติ (ถ้ามี)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=NUL,
    )
    position = forms.CharField(
        label="ตำแหน่งของผู้ขออนุมัติ (พิมพ์ในส่วนลงนามของรายงาน)",
        required=False,
        error_messages=NUL,
    )
    content_sha256 = forms.CharField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    position = forms.CharField(
        label="ตำแหน่งของผู้อนุมัติ (พิมพ์ในส่วนลงนามของรายงาน)",
        required=False,
        error_messages=NUL,
    )
    reason = forms.CharField(
        label="เหตุผลที่ส่งกลับ (ผู้ประสานงานเห็นเหตุผลนี้)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=NUL,
    )
    content_sha256 = forms.CharField(widget=forms.HiddenInput, required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ApprovalSettings
        fields = ["required", "recorded_sign_off"]


class ApproverForm(forms.Form):
    member = forms.TypedChoiceField(label="สมาชิก", coerce=int, choices=())
    position = forms.CharField(label="ตำแหน่ง", required=False, error_messages=NUL)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.user_id: m.user for m in members}
        self.fields["member"].choices = [("", "— เลือกผู้ประสานงานหรือผู้บริหาร —")] + [
            (m.user_id, f"{m.user.get_full_name() or m.user.username} ({m.get_role_display()})")
            for m in members
        ]
        self.fields["member"].error_messages["required"] = "กรุณาเลือกสมาชิกที่จะเป็นผู้อนุมัติ"
        self.fields["member"].error_messages["invalid_choice"] = (
            "สมาชิกที่เลือกไม่ได้เป็นผู้ประสานงานหรือผู้บริหารของหน่วยงาน"
        )

    def chosen_user(self):
        """The chosen member's user (a valid form)."""
        return self.members[self.cleaned_data["member"]]
