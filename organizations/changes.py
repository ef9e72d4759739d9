"""What an agency's writes changed, for whoever keeps something derived from them
(the roll-up's summary rows, oversight.summaries).

The write services say which agency's year changed (`changed`) and gather their
marks to the end of their transaction (`collecting`); the marks go out as one
`agency_data_changed` signal, inside the transaction, as its last writes. The
services import nothing of the rooms that listen."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal

# Sent with `marks`: {(organization id, fiscal year id or None for every year)}.
agency_data_changed = Signal()
# Sent with `organization` when an agency is added (organizations.services), so
# that the rooms above can give it what it starts with (catalogue: the shipped years).
organization_added = Signal()


class _Pending(threading.local):
    def __init__(self):
        self.marks: set[tuple[int, int | None]] | None = None


_pending = _Pending()


def changed(organization_id: int, fiscal_year_id: int | None = None) -> None:
    """The organization's rows of the fiscal year (both rounds; every year it has
    measures in when None) no longer hold: say so in the caller's transaction
    (at the end of the outermost `collecting()` block when inside one) and refresh
    them once it commits."""
    if _pending.marks is not None:
        _pending.marks.add((organization_id, fiscal_year_id))
    else:
        agency_data_changed.send(sender=None, marks={(organization_id, fiscal_year_id)})


@contextmanager
def collecting():
    """Gather the marks of the writes made inside and make them together at the end
    of the outermost block, inside its transaction (the caller's, or this block's
    own when there is none): the last writes of the transaction. Also a decorator."""
    if _pending.marks is not None:
        yield
        return
    _pending.marks = set()
    try:
        # No savepoint inside a service's own transaction: no query of its own.
        with transaction.atomic(savepoint=False):
            yield
            marks, _pending.marks = _pending.marks, None
            # A transaction set to roll back (a dry run) writes nothing more.
            if marks and not transaction.get_rollback():
                agency_data_changed.send(sender=None, marks=marks)
    finally:
        _pending.marks = None
