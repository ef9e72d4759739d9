from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What the operator of an installation looks after: /healthz, the JSON logs with
    each request's id, `migrate` under a lock, the processes of `make serve`.

    Low in the layers: it imports Django and reads settings, never a product app.
    """

    name = "operations"
    verbose_name = "การดูแลระบบ"

    def ready(self):
        from django.conf import settings

        # Their signal receivers: who signs in during a request, settings the tests
        # change; and the hourly sweep's Celery task, known to every worker.
        from operations import error_reports, health, request_context, sweep_services  # noqa: F401

        # In every process that sets Django up: app servers, workers, commands.
        error_reports.start(
            getattr(settings, "SENTRY_DSN", ""), getattr(settings, "SENTRY_ENVIRONMENT", "")
        )
