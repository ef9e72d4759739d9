"""/healthz: can this app server reach every part the portal needs?

For load balancers and monitoring: no login, 200 when the database, the cache, the
job broker and the file storage all answer, 503 otherwise, with each part's result
as JSON. A failed part shows only the kind of error (e.g. "error: OperationalError"):
messages can carry hosts or passwords, so they go to the log, not to the answer.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

# Seconds a broker gets to answer; a load balancer's probe usually waits 5 s.
BROKER_TIMEOUT = 2
PROBE = b"ok"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, PROBE, timeout=30)
    try:
        if cache.get(key) != PROBE:
            raise RuntimeError("the cache did not give back the probe it was given")
    finally:
        cache.delete(key)


def check_broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT) as broker:
        broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != PROBE:
                raise RuntimeError("the storage did not give back the probe it was given")
    finally:
        default_storage.delete(name)


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for part, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a part is that part's answer
            logger.warning("healthz: %s failed", part, exc_info=True)
            results[part] = f"error: {type(error).__name__}"
        else:
            results[part] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
