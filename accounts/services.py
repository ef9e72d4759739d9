"""State changes of sign-in records: unlocking (django-axes' wrong-password records),
by the installation's administrators only (organizations.access)."""

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction

from organizations import access

ADMINISTRATORS_ONLY = "เฉพาะผู้ดูแลระบบเท่านั้นที่ปลดล็อกการเข้าสู่ระบบได้"


def _require_administrator(user) -> None:
    if not access.can_administer_installation(user):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


@transaction.atomic
def unlock(*, user, attempts) -> int:
    """Remove these wrong-password records: their usernames and addresses may sign
    in again at once. How many were removed."""
    _require_administrator(user)
    count, _ = attempts.delete()
    return count


@transaction.atomic
def forget_expired_attempts(*, user, before) -> int:
    """Remove the records whose lock ended before `before`."""
    _require_administrator(user)
    count, _ = AccessAttempt.objects.filter(attempt_time__lte=before).delete()
    return count
