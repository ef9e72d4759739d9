from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analysis"
    verbose_name = "การวิเคราะห์ผลการประเมิน ITA"

    def ready(self):
        from analysis import jobs, signals, urls, views  # noqa: F401  (signals connects)
        from reports import views as report_views
        from reports.urls import add_public_pdf_urlpatterns

        jobs.register_kinds()
        # The public links answered early, and the published analyses listed on the
        # agency's public page beside its reports.
        add_public_pdf_urlpatterns(urls.public_pdf_urlpatterns)
        report_views.PUBLIC_SECTIONS.append(views.public_section)
