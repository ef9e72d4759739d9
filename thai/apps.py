from django.apps import AppConfig


class ThaiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "thai"
    verbose_name = "ภาษาไทยและวันที่ พ.ศ."
