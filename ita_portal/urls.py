from django.contrib import admin
from django.urls import include, path

from ita_portal import signin, views
from operations import health

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    # Django's sign-in pages; login and the reset request are ita_portal.signin's
    # (lockout, reset offered only when mail is configured). Same paths and names.
    path("accounts/login/", signin.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        signin.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("measures.urls")),
    path("", include("reports.urls")),
]

# The Thai error page, rendered without the database (ita_portal/errors.py).
handler500 = "ita_portal.errors.server_error"

# Nothing under MEDIA_URL is served as such, in debug or production: evidence files
# only through measures:evidence (access-checked, as attachments), published PDFs
# only through the reports' views.
