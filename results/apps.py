from django.apps import AppConfig


class ResultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "results"
    verbose_name = "ผลการประเมิน ITA"

    def ready(self):
        from results import jobs

        jobs.register_kinds()
