from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes (login lockout) under a Thai name in the admin.

    Its field and model names are translated in locale/th (axes ships no Thai);
    `ita_portal.signin_admin` gives its lockout list Thai columns and an unlock action,
    its records Thai titles, and its lists and logs their times in BE.
    """

    verbose_name = "การเข้าสู่ระบบ"

    def ready(self):
        super().ready()
        from ita_portal import signin_admin

        signin_admin.register()
