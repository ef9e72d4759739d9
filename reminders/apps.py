from django.apps import AppConfig


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "การแจ้งเตือนทางอีเมล"

    def ready(self):
        from reminders import checks  # registers the system check

        checks.stale_days()  # a bad ITA_REMINDER_STALE_DAYS stops the start here
