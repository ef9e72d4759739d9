"""The sign-in pages: Django's login and password reset, the reset offered only when
mail is configured (settings.PASSWORD_RESET_BY_MAIL). Otherwise the reset pages tell the
person whom to ask for a new password, instead of a form that pretends a mail was sent.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


def _reset_unavailable(request):
    return render(
        request,
        "registration/password_reset_unavailable.html",
        {"support_contact": settings.ITA_SUPPORT_CONTACT},
    )


class LoginView(auth_views.LoginView):
    """Django's login, offering "ลืมรหัสผ่าน" only when a reset mail can be sent."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            password_reset_by_mail=settings.PASSWORD_RESET_BY_MAIL,
            support_contact=settings.ITA_SUPPORT_CONTACT,
            **kwargs,
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form when mail is configured; otherwise whom to ask."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            return _reset_unavailable(request)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """ "Mail sent" only when a mail can have been sent."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            return _reset_unavailable(request)
        return super().dispatch(request, *args, **kwargs)
