from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"
    verbose_name = "การอนุมัติก่อนเผยแพร่"

    def ready(self):
        from approvals import analysis_publishing, publishing

        publishing.connect()
        analysis_publishing.connect()
