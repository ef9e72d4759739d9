"""The editing form of an agency's memo or form texts."""

from django import forms
from django.core.exceptions import ValidationError

from paperwork import texts


class TemplateForm(forms.Form):
    """One field per part of the document (texts.PARTS), and the revision the editor
    started from. Unknown placeholders are refused under their part's field."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": "ข้อมูลฉบับที่แก้ไขไม่ถูกต้อง กรุณาเปิดหน้านี้ใหม่"},
    )

    def __init__(self, kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for part in texts.PARTS[kind]:
            self.fields[part.name] = forms.CharField(
                label=part.label,
                required=False,
                strip=False,
                max_length=texts.MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 8 if part.long else 2}),
                error_messages={
                    "max_length": f"{part.label}: ยาวได้ไม่เกิน {texts.MAX_CHARS:,} ตัวอักษร"
                },
            )

    def clean(self):
        cleaned = super().clean()
        parts = self.parts()
        try:
            texts.check(self.kind, parts)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def parts(self) -> dict[str, str]:
        data = getattr(self, "cleaned_data", {})
        return {part.name: data.get(part.name) or "" for part in texts.PARTS[self.kind]}
