"""Published PDFs answered the way WhiteNoise answers static files: early, before
the middlewares that a public file has no use for (sessions, language, CSRF,
authentication, messages, history, login lockout), which cost more than the
answer itself. Sits right after WhiteNoise in settings.MIDDLEWARE.

A path ending in ".pdf" is resolved against the public PDF patterns alone
(reports.urls.public_pdf_urlpatterns; the project's whole URL list costs more to
search); everything else goes down the chain as usual, where the same patterns
answer too (reports.urls includes them)."""

import functools

from django.urls import Resolver404, ResolverMatch, URLResolver
from django.urls.resolvers import RegexPattern

from reports.urls import public_pdf_urlpatterns

# Paths resolved before, remembered as WhiteNoise keeps its index of files: the
# patterns never change while the process runs.
RESOLVED_PATHS = 4096


class PublishedPdfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.resolver = URLResolver(RegexPattern(r"^/"), public_pdf_urlpatterns)
        self.match = functools.lru_cache(maxsize=RESOLVED_PATHS)(self._match)

    def _match(self, path: str) -> ResolverMatch | None:
        try:
            return self.resolver.resolve(path)
        except Resolver404:
            return None

    def __call__(self, request):
        if request.path_info.endswith(".pdf"):
            match = self.match(request.path_info)
            if match is not None:
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
