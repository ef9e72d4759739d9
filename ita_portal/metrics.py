"""/metrics: the installation's metrics in Prometheus' text format, for the usual
scraper (issue 18, item 14).

- ita_http_requests_total{method,status}, ita_http_request_duration_seconds{method}:
  every answer of every web worker (operations/metrics.py);
- ita_jobs{queue,kind,state}: background jobs by queue, kind and state, failures
  among them (state="failed");
- ita_job_oldest_queued_seconds{queue}: how long the oldest job still waiting for a
  worker has waited (0: none waits).

Readable by a signed-in superuser, or with `Authorization: Bearer <ITA_METRICS_TOKEN>`
(organizations.access.may_read_metrics); everyone else gets the Thai 403 page. Two
queries per scrape, whatever the number of jobs (both by the jobs' state index).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily

from jobs.models import Job
from jobs.registry import kind_of
from operations.metrics import exposition
from organizations.access import may_read_metrics


class JobMetrics:
    """Read from the database at each scrape: jobs live there, not in the broker."""

    def collect(self):
        jobs = GaugeMetricFamily(
            "ita_jobs",
            "Background jobs by queue, kind and state",
            labels=["queue", "kind", "state"],
        )
        counts = {(kind, state): 0 for kind in Job.Kind.values for state in Job.State.values}
        for row in Job.objects.order_by().values("kind", "state").annotate(n=Count("pk")):
            counts[row["kind"], row["state"]] = row["n"]
        for (kind, state), n in sorted(counts.items()):
            jobs.add_metric([kind_of(kind).queue, kind, state], n)
        yield jobs

        oldest = GaugeMetricFamily(
            "ita_job_oldest_queued_seconds",
            "Age of the oldest job waiting for a worker, by queue",
            labels=["queue"],
        )
        now = timezone.now()
        waited = {kind_of(kind).queue: 0.0 for kind in Job.Kind.values}
        queued = Job.objects.filter(state=Job.State.QUEUED).order_by().values("kind")
        for row in queued.annotate(first=Min("created_at")):
            queue = kind_of(row["kind"]).queue
            waited[queue] = max(waited[queue], (now - row["first"]).total_seconds())
        for queue, seconds in sorted(waited.items()):
            oldest.add_metric([queue], seconds)
        yield oldest


def bearer_token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_GET
def metrics(request):
    if not may_read_metrics(request.user, bearer_token(request), settings.ITA_METRICS_TOKEN):
        raise PermissionDenied("เฉพาะผู้ดูแลระบบ หรือผู้ที่ส่งโทเค็นสำหรับอ่านค่าวัดของระบบ")
    return HttpResponse(exposition(JobMetrics()), content_type=CONTENT_TYPE_LATEST)
