"""Pages for the request-id tests: a signed-in person's page that logs a line, one
that fails, one that signs a person in, and plain error pages."""

import logging

from django.contrib.auth import get_user_model, login
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.urls import path

logger = logging.getLogger("operations.tests.pages")


def logs_a_line(request):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    logger.warning("a line in the middle of a page")
    return HttpResponse("ok")


def fails(request):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    raise RuntimeError("a bug in a view")


def fails_for_anyone(request):
    raise RuntimeError("a bug that anyone can reach")


def signs_in(request):
    user = get_user_model().objects.get(username=request.GET["username"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    logger.warning("signed in")
    return HttpResponse("ok")


urlpatterns = [
    path("logs-a-line/", logs_a_line),
    path("fails/", fails),
    path("fails-for-anyone/", fails_for_anyone),
    path("signs-in/", signs_in),
]


def not_found(request, exception):
    return HttpResponseNotFound("nothing here")


handler404 = not_found


def server_error(request):
    return HttpResponseServerError("a bug")


handler500 = server_error
