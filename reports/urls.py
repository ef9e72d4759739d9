from django.urls import path

from reports import settings_views, views

app_name = "reports"

# The public PDF links, which reports.middleware answers early, before the
# middlewares they have no use for, by these patterns alone.
public_pdf_urlpatterns = [
    path("p/<slug:slug>/<int:year>/<int:kind>.pdf", views.public_latest_pdf, name="public_pdf"),
    path(
        "p/<slug:slug>/<int:year>/<int:kind>/v<int:version>.pdf",
        views.public_version_pdf,
        name="public_version",
    ),
]


def add_public_pdf_urlpatterns(patterns: list) -> None:
    """Public PDF links of another app (the analysis), answered early as well; called
    from its AppConfig.ready(), before reports.middleware reads the list."""
    public_pdf_urlpatterns.extend(patterns)


urlpatterns = [
    path("reports/<slug:slug>/<int:year>/<int:kind>/", views.report_page, name="page"),
    path("reports/<slug:slug>/<int:year>/<int:kind>/pdf/", views.report_pdf, name="pdf"),
    path("reports/<slug:slug>/<int:year>/<int:kind>/publish/", views.publish, name="publish"),
    path(
        "reports/<slug:slug>/<int:year>/<int:kind>/v<int:version>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "reports/<slug:slug>/settings/",
        settings_views.document_settings,
        name="document_settings",
    ),
    path("p/<slug:slug>/", views.public_index, name="public_index"),
    *public_pdf_urlpatterns,
]
