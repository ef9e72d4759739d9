"""/healthz: can this app server reach every part the portal needs?

For load balancers and monitoring: no login, 200 when the database, the cache, the
job broker and the file storage all answer, 503 otherwise, with each part's result
as JSON. A failed part shows only the kind of error (e.g. "error: OperationalError"):
messages can carry hosts or passwords, so they go to the log, not to the answer.

Bounded, whatever the parts do: each part is checked in a thread of its own, all at
once, and the answer waits for them at most TIMEOUT seconds; a part that has not
answered by then is "error: timeout". A hung part (a stopped Redis or PostgreSQL
accepts connections and never answers) is not asked again while its check still
hangs, so the probes that follow answer at once instead of each holding a web worker;
and a part's answer is reused for FRESH seconds, so probes that come together (a
load balancer per app server, monitoring) share one check per process.
"""

import logging
import threading
import time
import uuid
from concurrent.futures import Future
from concurrent.futures import TimeoutError as WaitedTooLong

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.dispatch import receiver
from django.http import JsonResponse
from django.test.signals import setting_changed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

# Seconds a probe waits for all parts together; a load balancer's probe usually
# waits 5 s, gunicorn kills a request after 30 s.
TIMEOUT = 3.0
# Seconds each network call of a check may take (connect, each read), below TIMEOUT.
SOCKET_TIMEOUT = 2.0
# Seconds a part's answer is given again without asking the part.
FRESH = 1.5
PROBE = b"ok"


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's own connection; the next check has another


def check_cache() -> None:
    cache = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, PROBE, timeout=30)
    try:
        if cache.get(key) != PROBE:
            raise RuntimeError("the cache did not give back the probe it was given")
    finally:
        cache.delete(key)


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {})
    if url.startswith(("redis://", "rediss://", "unix://")):
        # kombu's Redis client waits for an answer forever unless told otherwise.
        options.update(socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT)
    with Connection(url, connect_timeout=SOCKET_TIMEOUT, transport_options=options) as broker:
        broker.ensure_connection(max_retries=0, timeout=SOCKET_TIMEOUT)


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != PROBE:
                raise RuntimeError("the storage did not give back the probe it was given")
    finally:
        default_storage.delete(name)


class Part:
    """One part of the portal, checked in a thread of its own, one check at a time."""

    def __init__(self, name: str, check):
        self.name = name
        self.check = check
        self._lock = threading.Lock()
        self._running: Future | None = None
        self._started = 0.0
        self._answer: str | None = None
        self._answered = 0.0

    def ask(self) -> tuple[Future, float]:
        """The check under way (a new one unless one runs or a fresh answer is there),
        and when it started."""
        with self._lock:
            now = time.monotonic()
            if self._answer is not None and now - self._answered < FRESH:
                done = Future()
                done.set_result(self._answer)
                return done, now
            if self._running is None or self._running.done():
                self._running, self._started = Future(), now
                threading.Thread(
                    target=self._run,
                    args=(self._running,),
                    name=f"healthz-{self.name}",
                    daemon=True,  # a check that hangs never keeps the process from exiting
                ).start()
            return self._running, self._started

    def _run(self, future: Future) -> None:
        try:
            self.check()
        except Exception as error:  # any failure of a part is that part's answer
            logger.warning("healthz: %s failed", self.name, exc_info=True)
            answer = f"error: {type(error).__name__}"
        else:
            answer = "ok"
        with self._lock:
            self._answer, self._answered = answer, time.monotonic()
        future.set_result(answer)

    def forget(self) -> None:
        with self._lock:
            self._answer, self._running = None, None


PARTS = [
    Part("database", check_database),
    Part("cache", check_cache),
    Part("broker", check_broker),
    Part("storage", check_storage),
]


@receiver(setting_changed)
def forget_answers(**kwargs) -> None:
    """Answers about other settings (the tests change them) are no answers."""
    for part in PARTS:
        part.forget()


def check_all() -> dict[str, str]:
    """Every part's answer, in at most TIMEOUT seconds from when its check started."""
    asked = [(part, *part.ask()) for part in PARTS]
    results = {}
    for part, future, started in asked:
        try:
            results[part.name] = future.result(max(0.0, started + TIMEOUT - time.monotonic()))
        except WaitedTooLong:
            logger.warning("healthz: %s did not answer in %s s", part.name, TIMEOUT)
            results[part.name] = "error: timeout"
    return results


@never_cache
@require_safe
def healthz(request):
    results = check_all()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
