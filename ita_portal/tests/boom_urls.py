"""The portal's URLs plus one page that fails, for tests of the error page and logs."""

from django.urls import path

from ita_portal.urls import handler500, urlpatterns


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("boom/", boom)]

__all__ = ["handler500", "urlpatterns"]
