from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalogue"
    verbose_name = "เครื่องมือและตัวชี้วัดการประเมิน"

    def ready(self):
        from catalogue import services
        from organizations.changes import organization_added

        # A new agency starts in the current year: the shipped catalogues are there.
        organization_added.connect(services.load_shipped_for, dispatch_uid="catalogue.shipped")
