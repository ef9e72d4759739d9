"""Browser forms for reporting progress. Dates are typed and shown in BE."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from progress import limits
from progress.evidence import ACCEPT
from progress.models import Progress
from thai.forms import ThaiDateField

# The hidden version field carries the version of the progress the page was
# made from; only a damaged or hand-made request lacks it.
VERSION_ERRORS = {
    "required": "แบบฟอร์มนี้ไม่ได้บอกว่าเปิดจากข้อมูลฉบับใด กรุณาตรวจสอบข้อมูลแล้วส่งอีกครั้ง",
    "invalid": "แบบฟอร์มนี้ไม่ได้บอกว่าเปิดจากข้อมูลฉบับใด กรุณาตรวจสอบข้อมูลแล้วส่งอีกครั้ง",
    "min_value": "แบบฟอร์มนี้ไม่ได้บอกว่าเปิดจากข้อมูลฉบับใด กรุณาตรวจสอบข้อมูลแล้วส่งอีกครั้ง",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class EvidenceForm(forms.Form):
    """Files and links of evidence, the evidence already attached (ticked to remove)
    and the version of what the page was made from: the part of the progress form
    and of a division's part form (PartForm) that is the same."""

    files = MultipleFileField(
        label="แนบไฟล์หลักฐาน",
        required=False,
        help_text="PDF รูปภาพ หรือเอกสารสำนักงาน เลือกได้หลายไฟล์",
    )
    links = forms.CharField(
        label="ลิงก์หลักฐาน",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://… บรรทัดละหนึ่งลิงก์"}),
        help_text="เช่น หน้าเว็บไซต์ของหน่วยงานที่เผยแพร่ผลการดำเนินการ (ผู้ประเมิน OIT ตรวจจากลิงก์)",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages=VERSION_ERRORS
    )

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._evidence_limits_shown()
        self.evidence = list(evidence)
        if evidence:
            self.fields["remove_evidence"] = forms.TypedMultipleChoiceField(
                label="ลบหลักฐานที่แนบไว้",
                choices=[(e.pk, str(e)) for e in evidence],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _evidence_limits_shown(self):
        """Limits in the help texts, and for static/js/progress_form.js (a warning
        before sending files that will be refused)."""
        self.fields["links"].help_text = limits.links_help()
        files = self.fields["files"]
        files.help_text = limits.files_help()
        files.widget.attrs.update(
            {
                "accept": ACCEPT,
                "data-max-files": settings.MAX_FILES_PER_REQUEST,
                "data-max-file-bytes": settings.MAX_UPLOAD_BYTES,
                "data-max-total-bytes": settings.MAX_UPLOAD_TOTAL_BYTES,
            }
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        own_errors, _ = limits.file_errors(files)
        if errors := limits.file_batch_errors(files) + own_errors:
            raise ValidationError(errors)
        return files

    def clean_links(self):
        typed = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        # People paste "www.agency.go.th/..." from the address bar; the scheme is implied.
        links = [link if "://" in link else f"https://{link}" for link in typed]
        if errors := limits.link_length_errors(links, typed):
            raise ValidationError(errors)
        validate = URLValidator(schemes=["http", "https"])
        for number, (link, as_typed) in enumerate(zip(links, typed, strict=True), start=1):
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    f"ลิงก์บรรทัดที่ {number} “{as_typed}” ไม่ใช่ลิงก์เว็บที่ถูกต้อง "
                    "เช่น https://www.หน่วยงาน.go.th/ita"
                ) from None
        return links

    def clean(self):
        data = super().clean()
        self._check_evidence_counts(data)
        return data

    def _check_evidence_counts(self, data):
        """Files and links per round: what stays attached plus what is added."""
        removed = set(data.get("remove_evidence") or [])
        kept = [e for e in self.evidence if e.pk not in removed]
        if "files" in data and (
            errors := limits.file_count_errors(len(data["files"]), sum(1 for e in kept if e.file))
        ):
            self.add_error("files", errors)
        if "links" in data and (
            errors := limits.link_count_errors(len(data["links"]), sum(1 for e in kept if e.url))
        ):
            self.add_error("links", errors)


class PartForm(EvidenceForm):
    """What one division did on a measure of several divisions (DivisionPart)."""

    note = forms.CharField(
        label=limits.NOTE_LABEL,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        note.help_text = (
            "สิ่งที่ส่วนราชการของคุณทำในมาตรการนี้ แสดงคู่กับผลการดำเนินการของมาตรการ "
            f"พิมพ์ได้ไม่เกิน {limits.max_result_chars():,} ตัวอักษร"
        )
        note.widget.attrs["data-max-chars"] = limits.max_result_chars()

    def clean_note(self):
        text = self.cleaned_data["note"]
        if errors := limits.text_errors(
            text, label=limits.NOTE_LABEL, limit=limits.max_result_chars()
        ):
            raise ValidationError(errors)
        return text


class ProgressForm(EvidenceForm):
    status = forms.ChoiceField(label="สถานะ", choices=Progress.Status.choices)
    completed_on = ThaiDateField(label="วันที่แล้วเสร็จ", required=False)
    result_text = forms.CharField(
        label="รายละเอียดผลการดำเนินการ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="จะพิมพ์ต่อท้ายสถานะในคอลัมน์ผลการดำเนินการของรายงาน",
    )
    cannot_reason = forms.CharField(
        label="เหตุผลที่ดำเนินการไม่ได้", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, steps=(), step_dates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limits_shown()
        step_dates = step_dates or {}
        self.steps = list(steps)
        for step in self.steps:
            self.fields[f"step_{step.pk}"] = forms.BooleanField(
                label=f"{step.number}. {step.text}",
                required=False,
                initial=step.pk in step_dates,
            )
            self.fields[f"step_{step.pk}_date"] = ThaiDateField(
                label=f"วันที่ขั้นตอนที่ {step.number} แล้วเสร็จ",
                required=False,
                initial=step_dates.get(step.pk),
            )

    def _limits_shown(self):
        """Limits in the help texts, and for static/js/progress_form.js (live
        character counters)."""
        result, reason = self.fields["result_text"], self.fields["cannot_reason"]
        result.help_text = limits.result_help()
        result.widget.attrs["data-max-chars"] = limits.max_result_chars()
        reason.help_text = limits.reason_help()
        reason.widget.attrs["data-max-chars"] = limits.max_reason_chars()

    def step_rows(self):
        return [(s, self[f"step_{s.pk}"], self[f"step_{s.pk}_date"]) for s in self.steps]

    def clean_result_text(self):
        text = self.cleaned_data["result_text"]
        if errors := limits.text_errors(
            text, label=limits.RESULT_LABEL, limit=limits.max_result_chars()
        ):
            raise ValidationError(errors)
        return text

    def clean_cannot_reason(self):
        text = self.cleaned_data["cannot_reason"]
        if errors := limits.text_errors(
            text, label=limits.REASON_LABEL, limit=limits.max_reason_chars()
        ):
            raise ValidationError(errors)
        return text

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if (
            status == Progress.Status.DONE
            and not data.get("completed_on")
            and "completed_on" not in self.errors
        ):
            self.add_error("completed_on", "กรุณาระบุวันที่แล้วเสร็จ เมื่อสถานะเป็นดำเนินการแล้วเสร็จ")
        if status == Progress.Status.CANNOT and not data.get("cannot_reason", "").strip():
            self.add_error("cannot_reason", "กรุณาระบุเหตุผลที่ไม่สามารถดำเนินการได้")
        data["step_dates"] = {
            step.pk: data.get(f"step_{step.pk}_date")
            for step in self.steps
            if data.get(f"step_{step.pk}")
        }
        return data


REVIEW_COMMENT_CHARS = 2000


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="ความเห็นถึงผู้รายงาน",
        required=False,
        max_length=REVIEW_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": f"ความเห็นยาวได้ไม่เกิน {REVIEW_COMMENT_CHARS:,} ตัวอักษร "
            "(ที่พิมพ์มา %(show_value)s ตัวอักษร)"
        },
    )
    decision = forms.ChoiceField(
        choices=[("approve", "อนุมัติ"), ("return", "ส่งกลับให้แก้ไข")],
        error_messages={
            "required": "กรุณากดอนุมัติหรือส่งกลับให้แก้ไข",
            "invalid_choice": "กรุณากดอนุมัติหรือส่งกลับให้แก้ไข",
        },
    )
    # The version of the progress the coordinator read (measure page).
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            key: "ไม่ทราบว่าคุณตรวจผลการดำเนินการฉบับใด ระบบจึงยังไม่ได้บันทึกผลการตรวจ "
            "กรุณาตรวจผลด้านล่างแล้วกดอีกครั้ง"
            for key in ("required", "invalid", "min_value")
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "กรุณาระบุสิ่งที่ต้องแก้ไขเมื่อส่งกลับ")
        return data
