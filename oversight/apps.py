from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight"
    verbose_name = "ภาพรวมและการกำกับติดตาม"

    def ready(self):
        from organizations.changes import agency_data_changed
        from oversight import summaries

        # The roll-up's rows follow every write service's marks (organizations.changes).
        agency_data_changed.connect(summaries.mark_changed, dispatch_uid="oversight.summaries")
