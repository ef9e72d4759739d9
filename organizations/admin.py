"""The agencies, their divisions and people, and overseers' scopes in the admin.
Every write goes through organizations.services with the acting user."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from organizations import services
from organizations.admin_scoping import (
    CheckedAutocompleteMixin,
    OrganizationScopedMixin,
    OwnChoicesFilter,
    ServiceWritesMixin,
)
from organizations.models import (
    District,
    Division,
    Membership,
    Organization,
    OverseerScope,
    Province,
)


def _save_division(*, user, obj, relations):
    return services.save_division(user=user, division=obj)


def _delete_division(*, user, obj):
    services.delete_division(user=user, division=obj)


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0
    fields = ["order", "name", "kind"]


@admin.register(Organization)
class OrganizationAdmin(ServiceWritesMixin, OrganizationScopedMixin, admin.ModelAdmin):
    organization_path = "pk"
    list_display = ["name", "kind", "province", "district", "slug", "origin", "thai_digits"]
    list_filter = ["kind", ("province", OwnChoicesFilter), "origin"]
    list_select_related = ["province", "district"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["district"]
    inlines = [DivisionInline]
    save_service = staticmethod(
        lambda *, user, obj, relations: services.save_organization(user=user, organization=obj)
    )
    delete_service = staticmethod(
        lambda *, user, obj: services.delete_organization(user=user, organization=obj)
    )
    inline_services = {Division: (_save_division, _delete_division)}


@admin.register(Division)
class DivisionAdmin(ServiceWritesMixin, OrganizationScopedMixin, admin.ModelAdmin):
    save_service = staticmethod(_save_division)
    delete_service = staticmethod(_delete_division)
    list_display = ["name", "kind", "organization", "order"]
    list_filter = ["kind", ("organization", OwnChoicesFilter)]
    list_select_related = ["organization"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        # A division stays in its organization (its measures refer to it).
        return ["organization"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_division(user=request.user, division=obj)

    def delete_model(self, request, obj):
        services.delete_division(user=request.user, division=obj)

    def delete_queryset(self, request, queryset):
        for division in queryset:
            services.delete_division(user=request.user, division=division)


@admin.register(Membership)
class MembershipAdmin(ServiceWritesMixin, OrganizationScopedMixin, admin.ModelAdmin):
    """Roles through services.set_role and remove_member: the admin access a
    coordinator's role gives comes and goes with it."""

    list_display = ["user", "role", "organization"]
    list_filter = ["role", ("organization", OwnChoicesFilter)]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["divisions"]
    autocomplete_fields = ["user"]
    save_service = staticmethod(
        lambda *, user, obj, relations: services.set_role(
            user=user,
            member=obj.user,
            organization=obj.organization,
            role=obj.role,
            divisions=relations.get("divisions", []),
        )
    )
    delete_service = staticmethod(
        lambda *, user, obj: services.remove_member(user=user, membership=obj)
    )


class ReferenceDataAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """The installation's own data (superusers): organizations.services.save_reference."""

    save_service = staticmethod(services.save_reference)
    delete_service = staticmethod(services.delete_reference)


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["name", "province__name"]


class OverseerScopeForm(forms.ModelForm):
    class Meta:
        model = OverseerScope
        fields = [
            "user",
            "office",
            "whole_installation",
            "province",
            "organization_kind",
            "organizations",
        ]

    def clean(self):
        data = super().clean()
        if not (
            data.get("whole_installation")
            or data.get("province")
            or data.get("organization_kind")
            or data.get("organizations")
        ):
            raise ValidationError(
                "กรุณาระบุขอบเขต: ทุกหน่วยงานในระบบ หรือจังหวัด ประเภทหน่วยงาน "
                "หรือหน่วยงานที่ระบุ อย่างน้อยหนึ่งอย่าง"
            )
        return data


@admin.register(OverseerScope)
class OverseerScopeAdmin(CheckedAutocompleteMixin, ReferenceDataAdmin):
    """Overseers read the reports and dashboards of the agencies in scope
    (organizations.access) and the roll-up across them; they change nothing."""

    form = OverseerScopeForm
    list_display = ["user", "office", "scope"]
    list_select_related = ["user", "province"]
    list_filter = ["whole_installation", "organization_kind", "province"]
    search_fields = ["user__username", "user__first_name", "office"]
    autocomplete_fields = ["user", "organizations"]

    @admin.display(description="ขอบเขต")
    def scope(self, obj):
        return obj.describe()
