from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"
    verbose_name = "ผลการดำเนินการ"

    def ready(self):
        from progress import signals  # noqa: F401  (connects the receivers)
