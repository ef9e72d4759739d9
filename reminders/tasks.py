"""The scheduled job: CELERY_BEAT_SCHEDULE["reminders"] (ita_portal/settings.py)."""

import logging

from celery import shared_task

from reminders.send_services import send_reminders

logger = logging.getLogger(__name__)


@shared_task(name="reminders.send_reminders")
def send_reminders_task() -> str:
    """Send the day's reminders; sending again the same day sends nothing twice."""
    outcome = send_reminders()
    logger.info("reminders: %s", outcome.summary())
    return outcome.summary()
