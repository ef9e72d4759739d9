"""Django's sign-in pages under /accounts/ (included by ita_portal/urls.py); login and
the reset request are accounts.views' (lockout, reset offered only when mail is
configured). Same paths and names as Django's own."""

from django.urls import include, path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("", include("django.contrib.auth.urls")),
]
