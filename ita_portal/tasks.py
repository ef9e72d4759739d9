"""Project-level background tasks."""

from celery import shared_task


@shared_task(name="ita_portal.ping")
def ping() -> str:
    """Answers "pong": proves that a worker takes jobs from the broker and answers."""
    return "pong"
