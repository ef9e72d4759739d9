"""Error reports to Sentry (or a service that speaks its protocol, e.g. GlitchTip)
through the Sentry SDK, when SENTRY_DSN is set; off by default, and then nothing is
sent anywhere.

Unhandled errors of pages (Django) and jobs (Celery) and ERROR log lines are
reported with the request's id as the tag `request_id` and the signed-in person's id
(operations/request_context.py), nothing else about people (no cookies, no
addresses, no form data: send_default_pii off). No performance tracing.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from operations.logs import current


def add_request_context(event, hint):
    context = current.get()
    if context is not None:
        event.setdefault("tags", {})["request_id"] = context.request_id
        if (user_id := context.user_id) is not None:
            event["user"] = {"id": str(user_id)}
    return event


def start(dsn: str, environment: str) -> bool:
    """Reports start being sent; False when there is no DSN."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
        before_send=add_request_context,
    )
    return True
