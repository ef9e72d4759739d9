"""After a bulk load, PostgreSQL's statistics (issue 18, item 11).

A table filled in bulk (demo generate_agencies: 8,300 agencies, 83,000 measures,
128,000 progress rows; a large import) has no statistics until ANALYZE runs, and
autovacuum may be off or not yet come round: the planner then guesses (a semi-join
over 8,300 ids estimated at one row) and the first roll-up read after the load took
24-35 s. `analyze_after_bulk_load` runs ANALYZE on the tables that were filled (or on
the whole database), at the end of the load, outside its transaction. ANALYZE reads a
sample of each table (at most 30,000 rows with the default statistics target), so its
cost does not grow with the table: about a second for the whole generated database.
SQLite plans without such statistics: nothing to do there.
"""

import logging
import time

from django.db import connection, models

logger = logging.getLogger(__name__)

# An import writing at least this many rows analyzes the tables it wrote.
LARGE_LOAD_ROWS = 1000


def analyze_after_bulk_load(tables: list[type[models.Model] | str] | None = None) -> float:
    """ANALYZE these models' tables (or table names; the whole database without any)
    on PostgreSQL; the seconds it took (0 on another database)."""
    if connection.vendor != "postgresql":
        return 0.0
    names = sorted({t if isinstance(t, str) else t._meta.db_table for t in tables or ()})
    started = time.monotonic()
    with connection.cursor() as cursor:
        if not names:
            cursor.execute("ANALYZE")
        for name in names:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    took = time.monotonic() - started
    logger.info("analyzed %s in %.1f s", ", ".join(names) or "the whole database", took)
    return took
