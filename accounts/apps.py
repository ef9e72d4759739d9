from axes import apps as axes_apps
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: the login and password-reset pages, the limits on wrong passwords
    (django-axes, `accounts.signin`) and the admin of their records.

    Low in the layers: it imports Django, libraries and `thai`, never a product app.
    """

    name = "accounts"
    verbose_name = "การเข้าสู่ระบบ"
    default = True

    def ready(self):
        # After django.contrib.admin's autodiscover (earlier in INSTALLED_APPS), which
        # registered Django's own user and group admins.
        from accounts import people_admin

        people_admin.register()


class AxesConfig(axes_apps.AppConfig):
    """django-axes (login lockout) under a Thai name in the admin.

    Its field and model names are translated in locale/th (axes ships no Thai);
    `accounts.admin` gives its lockout list Thai columns and an unlock action,
    its records Thai titles, and its lists and logs their times in BE.
    """

    default = False
    verbose_name = "การเข้าสู่ระบบ"

    def ready(self):
        super().ready()
        from accounts import admin

        admin.register()
