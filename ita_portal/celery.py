"""The Celery app that runs the portal's background jobs.

Configured from Django's settings (the CELERY_ names in ita_portal/settings.py);
tasks are found in each installed app's `tasks` module. Start a worker with
`celery -A ita_portal worker` (scripts/serve.sh does).
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal", include=["ita_portal.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def use_the_portal_logging(**kwargs):
    """Workers log like the app servers (JSON lines in production): Django's LOGGING
    instead of Celery's own set-up."""
    from django.conf import settings

    from operations.logs import configure

    configure(settings.LOGGING)
