from django.apps import AppConfig


class OitConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oit"
    verbose_name = "ลิงก์ข้อ OIT ของหน่วยงาน"

    def ready(self):
        from linkcheck import registry
        from oit import selectors, views
        from reports import views as report_views

        # The agency's OIT pages listed on its public page beside its reports.
        report_views.PUBLIC_SECTIONS.append(views.public_section)

        # The agencies' own OIT item links are checked daily (linkcheck), listed when broken.
        registry.register(
            "oit",
            registry.LinkSource(
                label="ลิงก์ข้อ OIT",
                urls=selectors.oit_link_urls,
                broken_of=selectors.broken_oit_links,
            ),
        )
