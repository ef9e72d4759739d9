from django.contrib import admin
from django.urls import include, path

from home import views
from ita_portal import metrics
from operations import health

admin.site.site_header = "ITA Portal — ระบบบริหารมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Portal"
admin.site.index_title = "จัดการข้อมูล"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Prometheus' text format, for superusers and a scraper with ITA_METRICS_TOKEN.
    path("metrics", metrics.metrics, name="metrics"),
    # Signing in: Django's pages, login and the reset request accounts.views' own.
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("progress.urls")),
    path("", include("reports.urls")),
    path("", include("approvals.urls")),
    path("", include("paperwork.urls")),
    path("", include("analysis.urls")),
    path("", include("results.urls")),
    path("", include("oit.urls")),
    path("", include("oversight.urls")),
    path("", include("reminders.urls")),
]

# The Thai error page, rendered without the database (ita_portal/errors.py).
handler500 = "ita_portal.errors.server_error"

# Nothing under MEDIA_URL is served as such, in debug or production: evidence files
# only through measures:evidence (access-checked, as attachments), published PDFs
# only through the reports' views.
