from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ita_portal import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
]

# The Thai error page, rendered without the database (ita_portal/errors.py).
handler500 = "ita_portal.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
