"""`manage.py migrate` under a PostgreSQL advisory lock, so that every app server of an
installation can start a release the same way, at the same time.

Django's own `migrate` otherwise races: two servers that start together both see a
migration unapplied, both apply it, and the second fails (UniqueViolation,
"relation already exists"). Here the second waits for the first to finish, then finds
nothing left to do. The lock is the database's own (pg_advisory_lock, held by this
command's connection and released when it ends, even if the process dies), so no
other service is needed. SQLite has one writer at a time anyway: the command just
runs.
"""

import contextlib
import logging

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

# One number for the whole installation (any 64-bit value no other code uses):
# the bytes of "ita-migr".
LOCK_KEY = int.from_bytes(b"ita-migr", "big", signed=True)


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Waits for any other migrate on the same database first."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            (locked,) = cursor.fetchone()
            if not locked:
                logger.warning("migrate: another server is migrating; waiting for it to finish")
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            return super().handle(*args, **options)
        finally:
            # A connection that broke meanwhile took the lock with it.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
