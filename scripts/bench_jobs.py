"""What a person's request costs now that PDFs render as jobs: the draft PDF link
(rendered once, then served from storage by its content hash), the report page, and
the publish and changed-draft requests when a broker takes the job (Redis; skipped
without one). Prints figures; records nothing.

Runs on a throwaway SQLite database so it never touches your data:
    .venv/bin/python scripts/bench_jobs.py        (part of `make bench`)
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="ita-bench-jobs-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
REDIS_URL = os.getenv("ITA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

import django  # noqa: E402

django.setup()
import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from demo.generate import generate_measures  # noqa: E402
from demo.seed import load_report_data, read_seed  # noqa: E402
from ita_portal.celery import app  # noqa: E402
from jobs.models import Job  # noqa: E402
from measures.models import Measure, Round  # noqa: E402
from organizations.models import Membership  # noqa: E402
from organizations.services import add_member  # noqa: E402
from testing.factories import UserFactory  # noqa: E402

BASE = "/reports/ubon-pao/2566/6/"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed = load_report_data(read_seed())
    six = Round.objects.get(organization=seed.organization, kind=Round.Kind.SIX_MONTHS)
    coordinator = UserFactory(username="bench-coordinator")
    add_member(member=coordinator, organization=seed.organization, role=Membership.Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)

    print("Without a broker (the job runs in the request), medians:")
    count = 8
    for wanted in (8, 100, 800):
        if wanted > count:
            generate_measures(six, wanted - count, like=six)
            count = wanted
        first = median_ms(lambda: read(client.get(BASE + "pdf/")), 1)
        again = median_ms(lambda: read(client.get(BASE + "pdf/")), 3)
        page = median_ms(lambda: client.get(BASE).content, 3)
        print(
            f"  {count:4d} measures: draft PDF first asked {first:8.0f} ms (rendered)"
            f"  unchanged, from storage {again:6.0f} ms  report page {page:6.0f} ms"
        )

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        print(f"No Redis at {REDIS_URL}: the requests with a broker are not measured.")
        return
    # A queue nobody takes from: the requests only send their jobs.
    queue = f"ita-bench-{uuid.uuid4().hex}"
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    try:

        def publish():
            Job.objects.filter(state__in=Job.ACTIVE).update(state=Job.State.FAILED)
            assert client.post(BASE + "publish/").status_code == 302

        measure = Measure.objects.filter(organization=seed.organization).first()

        def changed_draft():
            measure.target = f"มาตรการ {uuid.uuid4().hex[:6]}"
            measure.save()
            assert client.get(BASE + "pdf/").status_code == 202

        print(f"With a broker ({count} measures), medians:")
        print(f"  publish request (job sent)                       {median_ms(publish, 3):6.0f} ms")
        changed = median_ms(changed_draft, 3)
        print(f"  draft PDF after a change (hash, job sent, page)  {changed:6.0f} ms")
        waiting = Job.objects.filter(kind=Job.Kind.DRAFT_PDF, state=Job.State.QUEUED).first()

        def reload():
            assert client.get(f"{BASE}pdf/?job={waiting.pk}").status_code == 202

        print(f"  the waiting page reloading (follows the job)     {median_ms(reload, 5):6.0f} ms")
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        connection.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        connection.close()


if __name__ == "__main__":
    main()
