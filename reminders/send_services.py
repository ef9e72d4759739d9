"""Sending the day's reminders (the scheduled job `reminders.send_reminders`, and
`manage.py send_reminders` for cron).

Each item of a reminder is sent to a person once (reminders.models): an item is left
out when a row of it was SENT on any day, when another run is sending it now, or
when it failed ITA_REMINDER_MAX_ATTEMPTS times already. Items are claimed before
the e-mail goes (a row SENDING for today, unique per person, kind, key and day), so
two runs at once send nothing twice. A refused address or a mail server that is
down fails that e-mail only: its rows are FAILED with the error, the others go on,
and a later run tries them again."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from reminders import messages
from reminders.approval_reminders import approval_notices
from reminders.models import SentReminder
from reminders.selectors import Item, Notice, notices

logger = logging.getLogger(__name__)
Status = SentReminder.Status
# A row still SENDING after this long belongs to a run that died mid-send.
STALE_SENDING = timedelta(hours=1)
DUMMY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
NO_MAIL = "ยังไม่ได้ตั้งค่าการส่งอีเมล (EMAIL_HOST) จึงไม่ได้ส่งการแจ้งเตือน"


@dataclass
class Outcome:
    sent: int = 0  # e-mails
    failed: int = 0
    lines: list[str] = field(default_factory=list)  # what was (or would be) sent

    def summary(self) -> str:
        return f"ส่งแล้ว {self.sent} ฉบับ ส่งไม่สำเร็จ {self.failed} ฉบับ"


def _pending(notice: Notice) -> list[Item]:
    """The notice's items that may still be sent: never sent, not being sent by
    another run, and tried fewer times than the cap."""
    rows = SentReminder.objects.filter(
        user=notice.user, kind=notice.kind, subject_key__in=[i.key for i in notice.items]
    )
    done = set(
        rows.filter(
            Q(status=Status.SENT)
            | Q(status=Status.SENDING, updated_at__gte=timezone.now() - STALE_SENDING)
        ).values_list("subject_key", flat=True)
    )
    tries = dict(
        rows.values_list("subject_key").annotate(n=Sum("attempts")).values_list("subject_key", "n")
    )
    return [
        i
        for i in notice.items
        if i.key not in done and (tries.get(i.key) or 0) < settings.ITA_REMINDER_MAX_ATTEMPTS
    ]


def _claim(notice: Notice, items: list[Item], today: date, subject: str) -> list[Item]:
    """Today's row of each item, SENDING; the items this run got."""
    claimed = []
    for item in items:
        fields = {"email": notice.user.email, "subject": subject}
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    user=notice.user,
                    kind=notice.kind,
                    subject_key=item.key,
                    day=today,
                    status=Status.SENDING,
                    **fields,
                )
            claimed.append(item)
            continue
        except IntegrityError:
            pass
        # Today's row exists: take it again only if it failed (or its run died).
        retried = SentReminder.objects.filter(
            Q(status=Status.FAILED)
            | Q(status=Status.SENDING, updated_at__lt=timezone.now() - STALE_SENDING),
            user=notice.user,
            kind=notice.kind,
            subject_key=item.key,
            day=today,
        ).update(status=Status.SENDING, updated_at=timezone.now(), **fields)
        if retried:
            claimed.append(item)
    return claimed


def _record(notice: Notice, items: list[Item], today: date, error: str = "") -> None:
    SentReminder.objects.filter(
        user=notice.user, kind=notice.kind, subject_key__in=[i.key for i in items], day=today
    ).update(
        status=Status.FAILED if error else Status.SENT,
        attempts=F("attempts") + 1,
        error=error[:2000],
        updated_at=timezone.now(),
    )


def send_reminders(*, today: date | None = None, dry_run: bool = False) -> Outcome:
    """Send every reminder due today that was not sent yet; with `dry_run`, say
    what would be sent and change nothing."""
    today = today or timezone.localdate()
    outcome = Outcome()
    if not dry_run and settings.EMAIL_BACKEND == DUMMY_BACKEND:
        # No mail configured (EMAIL_HOST): nothing is recorded as sent that was not.
        outcome.lines.append(NO_MAIL)
        return outcome
    connection = None if dry_run else _open()
    for notice in notices(today) + approval_notices(today):
        items = _pending(notice)
        if not items:
            continue
        notice = Notice(notice.user, notice.kind, notice.organization, items)
        subject = messages.subject(notice)
        line = f"{notice.user.email}: {subject}"
        if dry_run:
            outcome.lines.append(f"{line} ({', '.join(i.key for i in items)})")
            continue
        notice.items = _claim(notice, items, today, subject)
        if not notice.items:
            continue
        try:
            messages.message(notice, connection=connection).send()
        except Exception as error:  # a refused address, a server down: this one only
            logger.warning("reminder to user %s not sent: %r", notice.user.pk, error)
            _close(connection)
            _record(notice, notice.items, today, error=f"{type(error).__name__}: {error}")
            outcome.failed += 1
            outcome.lines.append(f"{line} — ส่งไม่สำเร็จ: {error}")
            continue
        _record(notice, notice.items, today)
        outcome.sent += 1
        outcome.lines.append(line)
    _close(connection)
    return outcome


def _open():
    """One connection for the run's e-mails (each opens its own if this fails)."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # the server is down: each e-mail fails on its own
        logger.warning("mail server not reached: %r", error)
    return connection


def _close(connection) -> None:
    """Drop a connection the failure may have broken; the next e-mail opens a new one."""
    if connection is not None:
        with contextlib.suppress(Exception):  # already gone
            connection.close()
