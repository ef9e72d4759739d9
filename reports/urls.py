from django.urls import path

from reports import oversight_views, settings_views, views

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
    path("dashboard/<slug:slug>/<int:year>/<int:kind>/", views.dashboard, name="dashboard"),
    # Overseers: every agency in their scope (reports.oversight).
    path("oversight/", oversight_views.oversight_index, name="oversight_index"),
    path("oversight/<int:year>/<int:kind>/", oversight_views.oversight, name="oversight"),
    path(
        "oversight/<int:year>/<int:kind>/export.<str:fmt>",
        oversight_views.oversight_export,
        name="oversight_export",
    ),
]
