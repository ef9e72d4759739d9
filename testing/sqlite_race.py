"""Races on a SQLite database file, run by test_races.test_sqlite_writers_queue in a
process of its own (DATABASE_URL points at a migrated, empty SQLite file).

Prints one JSON line: what each of two first saves of the same progress
ended in, and the versions two simultaneous publications got."""

import json
import threading
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections, transaction  # noqa: E402

from demo.seed import load_report_data, read_seed  # noqa: E402
from measures.models import Measure, Round  # noqa: E402
from organizations.models import Membership  # noqa: E402
from progress.models import Progress  # noqa: E402
from progress.services import ProgressInput, StaleEditError, save_progress  # noqa: E402
from reports.models import PublishedReport  # noqa: E402
from reports.services import publish_round  # noqa: E402
from testing.factories import member  # noqa: E402


def in_thread(job, outcomes, index):
    def run():
        try:
            outcomes[index] = job()
        except Exception as error:  # reported in the JSON line
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def two_first_saves(measure, twelve, first, second) -> list:
    """Two first saves of the same progress: the first has inserted its row and not
    committed yet when the second starts. What each ended in."""
    data = ProgressInput("in_progress", None, "", "", {})
    inserted, may_commit = threading.Event(), threading.Event()

    def slow_save():
        with transaction.atomic():
            save_progress(measure=measure, round_=twelve, user=first, data=data, seen_version=0)
            inserted.set()
            may_commit.wait(30)
        return "saved"

    def save():
        try:
            save_progress(measure=measure, round_=twelve, user=second, data=data, seen_version=0)
        except StaleEditError:
            return "stale"
        return "saved"

    saves = [None, None]
    threads = [in_thread(slow_save, saves, 0)]
    inserted.wait(30)
    threads.append(in_thread(save, saves, 1))
    time.sleep(1)  # the second save is waiting for the database now
    may_commit.set()
    for thread in threads:
        thread.join(60)
    return saves


def two_publications(six, coordinator) -> list:
    """Two publications of the round at the same moment: their versions, or errors."""
    start = threading.Barrier(2)

    def publish():
        start.wait(30)
        return publish_round(round_=six, user=coordinator).version

    published = [None, None]
    threads = [in_thread(publish, published, i) for i in range(2)]
    for thread in threads:
        thread.join(120)
    return published


def main():
    org = load_report_data(read_seed()).organization
    office = ["สำนักปลัดองค์การบริหารส่วนจังหวัด"]
    first = member(org, Membership.Role.STAFF, "first", office)
    second = member(org, Membership.Role.STAFF, "second", office)
    coordinator = member(org, Membership.Role.COORDINATOR, "coord")
    measure = Measure.objects.get(organization=org, order=2)
    twelve = Round.objects.get(organization=org, kind=12)
    saves = two_first_saves(measure, twelve, first, second)
    six = Round.objects.get(organization=org, kind=6)
    published = two_publications(six, coordinator)

    files = list((settings.MEDIA_ROOT / "published").rglob("*.pdf"))
    print(
        json.dumps(
            {
                "first_saves": saves,
                "progress_rows": Progress.objects.filter(measure=measure, round=twelve).count(),
                "published_versions": [v for v in published if isinstance(v, int)],
                "publish_errors": [v for v in published if not isinstance(v, int)],
                "files": len(files),
                "rows": PublishedReport.objects.count(),
            }
        )
    )


main()
