"""Admin pieces every app's admin uses: a coordinator sees, picks and changes only
rows of the organizations they coordinate (the rulebook decides), in lists, forms,
filters and history pages."""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q

from organizations import access
from organizations.models import Organization
from thai.admin_dates import ThaiHistoryValues


def organization_path(model) -> str | None:
    """How a row of `model` leads to its organization, for the foreign keys a
    coordinator may only point at rows of their own organizations: an organization
    itself, or any model with an `organization` foreign key (divisions, rounds,
    measures...)."""
    if model is Organization:
        return "pk"
    field = next((f for f in model._meta.fields if f.name == "organization"), None)
    if field is not None and field.related_model is Organization:
        return "organization"
    return None


def organization_id_of(obj, path: str) -> int | None:
    """The organization id of `obj` by a lookup path such as "measure__organization"."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class _KeysOnly:
    """Django's autocomplete widgets look up the values a form was sent back with as
    they came: a value that is no key ("²", a long text) fails the page (ValueError)
    after the field has already said it is no choice. Only values the key field
    takes are looked up; the field's own message says what is wrong."""

    def optgroups(self, name, value, attr=None):
        related = self.field.remote_field.model._meta
        key_name = getattr(self.field.remote_field, "field_name", None)
        key = related.get_field(key_name) if key_name else related.pk
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class CheckedAutocompleteSelect(_KeysOnly, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_KeysOnly, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteMixin:
    """The admin's autocomplete fields with widgets that a bad value sent back does
    not fail (every admin with autocomplete_fields uses it)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OrganizationScopedMixin(CheckedAutocompleteMixin):
    """The admin asks the rulebook (organizations.access): coordinators see, pick and
    change only rows of the organizations they coordinate, in lists, forms,
    filters, history and deletion alike."""

    organization_path = "organization"
    parent_organization_path = "organization"

    def _scope(self, request, queryset, path):
        return access.managed(request.user, queryset, path)

    def get_queryset(self, request):
        return self._scope(request, super().get_queryset(request), self.organization_path)

    def _owns(self, request, obj) -> bool:
        # An inline is asked about its parent object (a measure, an organization).
        path = (
            self.parent_organization_path
            if isinstance(self, InlineModelAdmin)
            else self.organization_path
        )
        return obj is None or access.can_manage(request.user, organization_id_of(obj, path))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        path = organization_path(db_field.related_model)
        if path and field is not None and hasattr(field, "queryset"):
            field.queryset = self._scope(request, field.queryset, path)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        path = organization_path(db_field.related_model)
        if path and field is not None:
            field.queryset = self._scope(request, field.queryset, path)
        return field


class AgencyRecordsMixin(OrganizationScopedMixin):
    """An agency's records that the portal's pages write (through their services, with
    their state and version checks), shown read only: the rulebook lets coordinators
    see their own organizations' rows and the superuser all
    (access.may_read_agency_records), without model permissions."""

    def has_view_permission(self, request, obj=None):
        return access.may_read_agency_records(request.user) and self._owns(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OwnChoicesFilter(admin.RelatedOnlyFieldListFilter):
    """A filter offering only the values found in the rows the user may see (their
    own organization's divisions, say), and none when those are too many to list
    on a page (a superuser over thousands of agencies searches by name instead)."""

    most = 100

    def field_choices(self, field, request, model_admin):
        # The related rows that some visible row points at, asked of the related
        # table (a semi-join by the foreign key's index that stops at most + 1)
        # rather than a DISTINCT over every visible row: 0.1-0.3 s each over
        # 83,000 measures at national scale (issue 18).
        rows = (
            self.visible_rows(request, model_admin)
            .order_by()
            .filter(**{self.field_path: OuterRef("pk")})
        )
        used = Q(Exists(rows))
        related = field.related_model._default_manager.filter(used).order_by()
        if related[: self.most + 1].count() > self.most:
            return []
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=used, ordering=ordering)

    def visible_rows(self, request, model_admin):
        """The rows whose related values are offered (a subclass narrows them)."""
        return model_admin.get_queryset(request)


class ScopedHistoryMixin:
    """History pages for SimpleHistoryAdmin subclasses: only of objects the user may
    see now (otherwise the admin's "does not exist", as on the change page), and
    read only. Reverting to an
    old version would write around the services (and could move an object into
    another organization), so it is switched off (SIMPLE_HISTORY_REVERT_DISABLED)
    and a POST to a version's page is refused."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ThaiHistoryValues(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The current object decides (an old version may name another organization).
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if request.method != "GET":
            raise PermissionDenied("ย้อนกลับไปใช้ฉบับเดิมจากหน้าประวัติไม่ได้ กรุณาแก้ไขในหน้าแก้ไขตามปกติ")
        return super().history_form_view(request, object_id, version_id, extra_context)


def kept_forms(formset):
    """The valid, filled-in forms of a formset that are not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ServiceWritesMixin:
    """The admin writes through the app's services, with the acting user: the object
    and its many-to-many fields by `save_service`, its removal by `delete_service`,
    and each inline's rows by the services that `inline_services` names for the
    inline's model. Django's own writes (save_model, formset.save) never run."""

    save_service = None  # (user=, obj=, relations=) -> obj
    delete_service = None  # (user=, obj=) -> None
    inline_services: dict = {}  # model -> (save service, delete service)

    def save_model(self, request, obj, form, change):
        pass  # saved with its relations in save_related, once every form is valid

    def save_related(self, request, form, formsets, change):
        relations = {
            field.name: form.cleaned_data[field.name]
            for field in form.instance._meta.many_to_many
            if field.name in form.cleaned_data
        }
        form.instance = type(self).save_service(
            user=request.user, obj=form.instance, relations=relations
        )
        for formset in formsets:
            formset.instance = form.instance
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        save, delete = self.inline_services[formset.model]
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                delete(user=request.user, obj=inline_form.instance)
        for inline_form in kept_forms(formset):
            if inline_form.has_changed() or not inline_form.instance.pk:
                row = inline_form.save(commit=False)
                setattr(row, formset.fk.name, formset.instance)
                save(user=request.user, obj=row, relations={})
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        type(self).delete_service(user=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
