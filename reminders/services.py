"""A person's own choice about reminders."""

from django.db import transaction

from reminders.models import ReminderPreference


@transaction.atomic
def set_reminders_enabled(*, user, enabled: bool) -> ReminderPreference:
    """Turn the user's reminders on or off (for themselves only)."""
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    if preference.enabled != enabled:
        preference.enabled = enabled
        preference.full_clean()
        preference.save()
    return preference
