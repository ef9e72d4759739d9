"""The admin's users and groups in Thai, written through the services.

Django stores its built-in permission names in English ("Can add measure") when it
creates them, so the user and group pages listed them in English whatever the
language; these admins label each permission in Thai from its model's verbose name
(app | model | action). Saving and removing a user or a group goes through
organizations.services (the installation's administrators only), like the other
reference data.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from organizations import services
from organizations.admin_scoping import ServiceWritesMixin

BUILT_IN_ACTIONS = {"add": "เพิ่ม", "change": "แก้ไข", "delete": "ลบ", "view": "ดู"}


def thai_permission_label(permission: Permission) -> str:
    """ "<app> | <model> | <action><model>" in Thai, or the permission's own name
    (custom permissions are named in Thai where they are declared)."""
    content_type = permission.content_type
    model = apps.get_model(content_type.app_label, content_type.model, require_ready=False)
    action, _, model_name = permission.codename.partition("_")
    verbose = str(model._meta.verbose_name) if model else content_type.model
    if model and action in BUILT_IN_ACTIONS and model_name == model._meta.model_name:
        name = f"{BUILT_IN_ACTIONS[action]}{verbose}"
    else:
        name = permission.name
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {verbose} | {name}"


class ThaiPermissionsMixin(ServiceWritesMixin):
    save_service = services.save_reference
    delete_service = services.delete_reference

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.remote_field.model is Permission:
            field.label_from_instance = thai_permission_label
        return field


class PortalUserAdmin(ThaiPermissionsMixin, auth_admin.UserAdmin):
    pass


class PortalGroupAdmin(ThaiPermissionsMixin, auth_admin.GroupAdmin):
    pass


def register() -> None:
    for model, model_admin in ((get_user_model(), PortalUserAdmin), (Group, PortalGroupAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
