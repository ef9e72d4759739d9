from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"
    verbose_name = "ผลการดำเนินการ"

    def ready(self):
        from linkcheck import registry
        from progress import selectors, signals  # noqa: F401  (connects the receivers)

        # Evidence links are checked daily (linkcheck) and listed when broken.
        registry.register(
            "evidence",
            registry.LinkSource(
                label="ลิงก์หลักฐานผลการดำเนินการ",
                urls=selectors.evidence_link_urls,
                broken_of=selectors.broken_evidence_links,
            ),
        )
