"""The seed for a test: loaded through the services once for each starting state, then
written back row for row into every later test that starts from that state.

Some 300 tests start from the seed (conftest.py: `seed`). Loading it through the
services (demo.seed.load_report_data: 8 measures, 46 steps, results reported,
submitted and approved, each with its history) costs about a third of a second on
SQLite and more on PostgreSQL, each time for the same rows. So the first load from a
given state is a real one, and what it changed in the database is kept; a later test
that starts from the same state gets those rows written back as they were, in a few
milliseconds.

"The same state" is checked, not assumed. The real load records every table it read
or wrote (its SQL) and every table its rows point to; a later test starts from the
same state when each of those tables holds the same rows as then, ids included (a
transactional test flushes the database: no provinces until someone puts them back,
say), on the same day (the roll-up's summary rows depend on it), with the same
settings, and inside a transaction or not as then (inside one, the load's on-commit
work never runs; in a transactional test it runs when the load commits, and what it
writes is part of what is kept). Anything else is a new state: a real load, kept in
its turn.

What differs from a real load: the ids of the rows (PostgreSQL's sequences are moved
past them), and times. Every time the load stamped (history, created and updated
times) is moved by the time since that load, as if the load had just finished; times
from the seed's own data lie outside the load's seconds and are kept. No signal is
sent for the rows written back (the history rows are written back as rows of their
own tables), and nothing the load left in the process's memory (caches) is put there
again. measures/tests/test_seed.py, which tests the loader, loads for real each time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import FiscalYear
from demo.seed import SeedResult, load_report_data, read_seed
from organizations.models import Organization

# Settings that tests set for themselves and that the load does not read.
PER_TEST_SETTINGS = {"MEDIA_ROOT", "PASSWORD_HASHERS"}
AUTO_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _tables() -> dict[str, type[models.Model]]:
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    }


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if not f.generated]


def _table_digest(table: str, model) -> str:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}")
        return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def _circumstances() -> str:
    """What besides the rows a load depends on: the settings, the day, the transaction."""
    names = sorted(n for n in dir(settings) if n.isupper() and n not in PER_TEST_SETTINGS)
    values = repr([(n, getattr(settings, n)) for n in names])
    return f"{values} {timezone.localdate()} {connection.in_atomic_block}"


def _rows(tables) -> dict[str, dict[object, tuple]]:
    """Every table's rows as the ORM reads them, by primary key."""
    found = {}
    for table, model in tables.items():
        attnames = [f.attname for f in _columns(model)]
        pk = attnames.index(model._meta.pk.attname)
        found[table] = {
            row[pk]: row for row in model._base_manager.order_by().values_list(*attnames)
        }
    return found


@dataclass
class Snapshot:
    circumstances: str
    before: dict[str, str]  # table -> digest of its rows, for every table the load concerns
    written: dict[str, list[tuple]]  # table -> rows the load inserted or changed
    removed: dict[str, list]  # table -> primary keys of rows the load deleted or changed
    started: datetime
    finished: datetime
    result: tuple[int, int, int, int]  # organization, fiscal year, created, kept


_snapshots: list[Snapshot] = []


def seed_for_a_test() -> SeedResult:
    """The seed, as load_report_data(read_seed()) leaves it (see the module docstring)."""
    tables = _tables()
    circumstances = _circumstances()
    digests: dict[str, str] = {}

    def digest(table):
        if table not in digests:
            digests[table] = _table_digest(table, tables[table])
        return digests[table]

    for snapshot in _snapshots:
        if snapshot.circumstances == circumstances and all(
            digest(table) == kept for table, kept in snapshot.before.items()
        ):
            return _write_back(snapshot, tables)
    return _load_and_keep(tables, circumstances, digest)


def _load_and_keep(tables, circumstances, digest) -> SeedResult:
    before_rows = _rows(tables)
    before_digests = {table: digest(table) for table in tables}
    started = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        result = load_report_data(read_seed())
    finished = timezone.now()
    after_rows = _rows(tables)
    written, removed = {}, {}
    for table, rows in after_rows.items():
        old = before_rows[table]
        new = [row for pk, row in rows.items() if old.get(pk) != row]
        gone = [pk for pk, row in old.items() if rows.get(pk) != row]
        if new:
            written[table] = new
        if gone:
            removed[table] = gone
    # The tables the load concerns: those its SQL named, and those its rows point to.
    named = set(re.findall(r'"([^"]+)"', " ".join(q["sql"] for q in queries.captured_queries)))
    concerned = (named & set(tables)) | set(written) | set(removed)
    for table in written:
        for field in _columns(tables[table]):
            if field.is_relation and field.related_model is not None:
                concerned.add(field.related_model._meta.db_table)
    _snapshots.append(
        Snapshot(
            circumstances=circumstances,
            before={table: before_digests[table] for table in sorted(concerned)},
            written=written,
            removed=removed,
            started=started,
            finished=finished,
            result=(result.organization.pk, result.fiscal_year.pk, result.created, result.kept),
        )
    )
    return result


def _write_back(snapshot: Snapshot, tables) -> SeedResult:
    shift = timezone.now() - snapshot.finished
    slack = timedelta(seconds=1)
    earliest, latest = snapshot.started - slack, snapshot.finished + slack

    def moved(value):
        if isinstance(value, datetime) and earliest <= value <= latest:
            return value + shift
        return value

    with transaction.atomic():
        for table, pks in snapshot.removed.items():
            tables[table]._base_manager.filter(pk__in=pks)._raw_delete(connection.alias)
        for table, rows in snapshot.written.items():
            model = tables[table]
            fields = _columns(model)
            attnames = [f.attname for f in fields]
            objects = [model(**dict(zip(attnames, map(moved, row), strict=True))) for row in rows]
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                model._base_manager._insert(
                    objects[start : start + size], fields=fields, raw=True, using=connection.alias
                )
        _move_sequences_past([tables[table] for table in snapshot.written])
    organization, fiscal_year, created, kept = snapshot.result
    return SeedResult(
        organization=Organization.objects.get(pk=organization),
        fiscal_year=FiscalYear.objects.get(pk=fiscal_year),
        created=created,
        kept=kept,
    )


def _move_sequences_past(written) -> None:
    """PostgreSQL hands out ids from sequences, which rows written with their ids do not
    move; SQLite takes the next id after the largest one by itself."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in written:
            pk = model._meta.pk
            if not isinstance(pk, AUTO_FIELDS):
                continue
            table = model._meta.db_table
            cursor.execute(
                "SELECT setval(s::regclass, GREATEST(nextval(s::regclass), "
                f"(SELECT MAX({quote(pk.column)}) FROM {quote(table)}))) "
                "FROM pg_get_serial_sequence(%s, %s) AS s WHERE s IS NOT NULL",
                [quote(table), pk.column],
            )
