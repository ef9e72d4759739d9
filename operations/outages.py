"""When Redis is down or hung, what needs it says so in Thai, and the rest works.

Redis holds the cache and the job queue; sessions are in the database
(ita_portal/settings.py), so people stay signed in and every page that reads and
saves (measures, progress, evidence, reports, the public PDF links) goes on working.
What needs Redis itself: putting a job in the queue (publishing, draft PDFs, imports,
rollovers: jobs.services keeps the job in the database and the worker sends it again
once Redis is back) and the imports' previews, which keep the read rows in the cache
between the preview and the confirmation. Every call to Redis gives up after
REDIS_SOCKET_TIMEOUT seconds; a view that meets such a failure (redis-py's
ConnectionError or TimeoutError, kombu's OperationalError) answers with the Thai page
operations/redis_down.html (503, Retry-After) instead of the 500 page: what is
unavailable, what still works, and that what was typed is kept by the browser's back
button. One warning line in the log, no traceback.
"""

import logging

from django.http import HttpResponse
from django.template import loader
from kombu.exceptions import OperationalError as BrokerUnreachable
from redis.exceptions import ConnectionError as RedisUnreachable
from redis.exceptions import TimeoutError as RedisHung

logger = logging.getLogger(__name__)

OUTAGES = (RedisUnreachable, RedisHung, BrokerUnreachable)
RETRY_AFTER_SECONDS = 60


class RedisOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGES):
            return None
        logger.warning(
            "redis unavailable while answering %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        # Rendered without the request's context: nothing here asks the cache again.
        page = loader.get_template("operations/redis_down.html").render({"path": request.path})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
