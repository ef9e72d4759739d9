"""The Celery app that runs the portal's background jobs.

Configured from Django's settings (the CELERY_ names in ita_portal/settings.py);
tasks are found in each installed app's `tasks` module. Two workers run the jobs, one
per queue (jobs.registry: "urgent" for publishing, imports and rollovers, "drafts"
for draft PDFs), each with a node name of its own: `celery -A ita_portal worker -Q
urgent -n urgent@%h` and `... -Q drafts -n drafts@%h` (scripts/serve.sh, deploy/).
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal", include=["ita_portal.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The worker takes over jobs its earlier life or a dead worker left running, and sends
# again those whose message the broker lost (jobs/worker.py).
app.steps["consumer"].add("jobs.worker:JobRecovery")


@signals.setup_logging.connect
def use_the_portal_logging(**kwargs):
    """Workers log like the app servers (JSON lines in production): Django's LOGGING
    instead of Celery's own set-up."""
    from django.conf import settings

    from operations.logs import configure

    configure(settings.LOGGING)
