"""Published PDFs answered the way WhiteNoise answers static files: early, before
the middlewares that a public file has no use for (sessions, language, CSRF,
authentication, messages, history, login lockout), which cost more than the
answer itself. Sits right after WhiteNoise in settings.MIDDLEWARE.

The URLs stay in reports/urls.py: a path ending in ".pdf" is resolved against
them alone (the project's whole URL list costs more to search), and only the
public PDF views are answered here; everything else, and everything if the
reports' URLs are ever mounted elsewhere, goes down the chain as usual."""

from django.urls import Resolver404, get_resolver

from reports import views

PUBLIC_PDF_VIEWS = frozenset({views.public_latest_pdf, views.public_version_pdf})


class PublishedPdfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.resolver = get_resolver("reports.urls")

    def __call__(self, request):
        if request.path_info.endswith(".pdf"):
            try:
                match = self.resolver.resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.func in PUBLIC_PDF_VIEWS:
                return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
