"""The OIT items in the admin (the superuser's): edited like the indicators, on
their own list and on the fiscal year's page, and a year's list copied from
another year and renumbered through a confirmation page. Every write goes through
catalogue.services / catalogue.oit_services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse

from catalogue import oit_services
from catalogue.models import FiscalYear, OitItem


class OitItemInline(admin.TabularInline):
    model = OitItem
    extra = 0
    fields = ["order", "number", "title", "filled_by", "confirmed"]
    show_change_link = True  # what the item asks for and its source: on its own page


class OitItemAdminMixin:
    list_display = ["number", "title_or_unknown", "fiscal_year", "filled_by", "confirmed"]
    list_filter = ["fiscal_year", "confirmed", "filled_by"]
    list_select_related = ["fiscal_year"]
    search_fields = ["number", "title"]
    ordering = ["-fiscal_year__year", "order", "number"]
    fields = [
        "fiscal_year",
        "order",
        "number",
        "title",
        "asks_for",
        "filled_by",
        "confirmed",
        "source",
    ]

    @admin.display(description="ชื่อข้อ", ordering="title")
    def title_or_unknown(self, obj):
        return obj.title or "(ยังไม่มีชื่อข้อในระบบ)"


class CopyOitForm(forms.Form):
    source = forms.ModelChoiceField(
        label="คัดลอกรายการข้อ OIT จากปีงบประมาณ", queryset=FiscalYear.objects.none()
    )
    start = forms.IntegerField(
        label="เรียงเลขข้อใหม่ เริ่มที่ข้อ",
        required=False,
        min_value=0,
        max_value=999,
        help_text="เช่น 1 เพื่อเรียงเป็น O1, O2, … ตามลำดับเดิม ว่างไว้เพื่อคงเลขข้อเดิม",
        error_messages={
            "invalid": "เลขข้อเริ่มต้นต้องเป็นจำนวนเต็ม",
            "min_value": "เลขข้อเริ่มต้นต้องไม่ติดลบ",
            "max_value": "เลขข้อเริ่มต้นต้องไม่เกิน 999",
        },
    )

    def __init__(self, *args, target: FiscalYear, **kwargs):
        super().__init__(*args, **kwargs)
        with_items = Exists(OitItem.objects.filter(fiscal_year=OuterRef("pk")))
        years = FiscalYear.objects.filter(with_items).exclude(pk=target.pk).order_by("-year")
        self.fields["source"].queryset = years
        self.fields["source"].error_messages["invalid_choice"] = "กรุณาเลือกปีที่มีรายการข้อ OIT"
        self.fields["source"].empty_label = None
        before = years.filter(year__lt=target.year).first()
        if before is not None:
            self.fields["source"].initial = before.pk


class CopyOitItemsMixin:
    """For FiscalYearAdmin: the action that copies another year's OIT items into
    the one selected, asking first (with the new numbers shown) and copying only
    on the confirmation."""

    actions = ["copy_oit_items"]

    @admin.action(description="คัดลอกรายการข้อ OIT จากปีอื่นและเรียงเลขข้อใหม่", permissions=["change"])
    def copy_oit_items(self, request, queryset):
        targets = list(queryset[:2])
        if len(targets) != 1:
            self.message_user(request, "กรุณาเลือกปีงบประมาณที่จะรับรายการข้อ OIT ปีเดียว", messages.ERROR)
            return None
        target = targets[0]
        asked = "source" in request.POST
        form = CopyOitForm(request.POST if asked else None, target=target)
        plan = None
        if asked and form.is_valid():
            source, start = form.cleaned_data["source"], form.cleaned_data["start"]
            if "confirm" in request.POST:
                try:
                    made = oit_services.copy_oit_items(
                        user=request.user, source=source, target=target, start=start
                    )
                except (ValidationError, PermissionDenied) as error:
                    form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
                else:
                    self.message_user(
                        request,
                        f"คัดลอกรายการข้อ OIT {len(made)} ข้อจากปีงบประมาณ พ.ศ. {source.year} "
                        f"ไปยังปีงบประมาณ พ.ศ. {target.year} แล้ว (ยังไม่ได้ตรวจสอบกับคู่มือ)",
                        messages.SUCCESS,
                    )
                    return None
            else:
                plan = oit_services.copy_plan(source, target, start)
        return TemplateResponse(
            request,
            "admin/catalogue/fiscalyear/copy_oit_items.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"คัดลอกรายการข้อ OIT ไปยังปีงบประมาณ พ.ศ. {target.year}",
                "target": target,
                "form": form,
                "plan": plan,
                "has_items": target.oit_items.exists(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
