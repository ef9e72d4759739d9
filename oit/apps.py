from django.apps import AppConfig


class OitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit"
    verbose_name = "ลิงก์ข้อ OIT ของหน่วยงาน"
