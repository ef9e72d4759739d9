from django.apps import AppConfig


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "การแจ้งเตือนทางอีเมล"

    def ready(self):
        from reminders import checks  # noqa: F401  (registers the system check)
