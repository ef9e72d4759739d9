from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interchange"
    verbose_name = "นำเข้าและส่งออกมาตรการ"

    def ready(self):
        from interchange import jobs

        jobs.register_kinds()
