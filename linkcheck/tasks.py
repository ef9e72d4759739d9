"""The scheduled link check (CELERY_BEAT_SCHEDULE "check-links", only when
ITA_LINK_CHECK is on): each run checks the links not yet checked today for at most
ITA_LINK_CHECK_RUN_SECONDS, so a long list spreads over the day's runs."""

from celery import shared_task
from django.conf import settings

from linkcheck import services


@shared_task(name="linkcheck.check_links", ignore_result=True)
def check_links() -> None:
    if not settings.ITA_LINK_CHECK:
        return
    services.run_checks()
