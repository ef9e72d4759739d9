"""The scheduled sweep: CELERY_BEAT_SCHEDULE["sweep"] (ita_portal/settings.py)."""

import logging
from datetime import timedelta

from celery import shared_task

from operations.sweep_services import sweep_orphans

logger = logging.getLogger(__name__)


@shared_task(name="operations.sweep_orphans", ignore_result=True)
def sweep_orphans_task() -> int:
    """Files of removed rows whose grace period has passed, and files no row owns
    that are older than an hour (what a killed upload left)."""
    swept = sweep_orphans(older_than=timedelta(hours=1))
    if swept:
        logger.info("sweep: %d files removed", len(swept))
    return len(swept)
