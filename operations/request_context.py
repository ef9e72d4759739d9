"""Every request's id, and who made it, in every log line of that request.

RequestIdMiddleware (first in MIDDLEWARE) takes the id a proxy or load balancer sent
in X-Request-ID when it is a sane token, makes one otherwise, and returns it in the
X-Request-ID response header. While the request is handled the id is in a context
variable (operations.logs.current), which operations.logs.RequestFields adds to each
log record as `request_id`, with `user_id` once the signed-in person is known; both
also go into the WSGI environ (`ita.request_id`, `ita.user_id`), where gunicorn's
access log line finds them (operations.logs.AccessFields).

The person is the one Django's AuthenticationMiddleware looked up for the page (it
keeps the user on the request once asked for), or the one who signs in during the
request: logging never looks anybody up itself, so it adds no query and cannot fail
when the session store or the database is down.
"""

import re
import uuid

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from operations.logs import RequestContext, current

HEADER = "X-Request-ID"
# What proxies send: UUIDs, hex or base64 tokens, "Root=1-…" (AWS); nothing that could
# break a log line or a header.
SANE = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}\Z")


def request_id_of(incoming: str) -> str:
    return incoming if SANE.match(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = RequestContext(request_id_of(request.headers.get(HEADER, "")), request)
        request.META["ita.request_id"] = context.request_id
        token = current.set(context)
        try:
            response = self.get_response(request)
        finally:
            context.user_id  # noqa: B018 (settles the person before the context goes)
            current.reset(token)
        response[HEADER] = context.request_id
        return response


@receiver(user_logged_in)
def note_who_signed_in(sender, request, user, **kwargs):
    """Lines after a login in the same request carry the person's id."""
    context = current.get()
    if context is not None:
        context.signed_in = user
