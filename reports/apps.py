from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "รายงานผลการดำเนินการ"

    def ready(self):
        from reports import jobs, signals  # noqa: F401  (signals connects the receivers)

        jobs.register_kinds()
