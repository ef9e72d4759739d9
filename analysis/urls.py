from django.urls import path

from analysis import views

app_name = "analysis"

# The public PDF links, answered early by reports.middleware as the reports' are
# (AnalysisConfig.ready adds them to its patterns).
public_pdf_urlpatterns = [
    path("p/<slug:slug>/<int:year>/analysis.pdf", views.public_latest_pdf, name="public_pdf"),
    path(
        "p/<slug:slug>/<int:year>/analysis/v<int:version>.pdf",
        views.public_version_pdf,
        name="public_version",
    ),
]

urlpatterns = [
    path("reports/<slug:slug>/<int:year>/analysis/", views.analysis_page, name="page"),
    path("reports/<slug:slug>/<int:year>/analysis/pdf/", views.analysis_pdf, name="pdf"),
    path("reports/<slug:slug>/<int:year>/analysis/publish/", views.publish, name="publish"),
    path(
        "reports/<slug:slug>/<int:year>/analysis/v<int:version>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    *public_pdf_urlpatterns,
]
