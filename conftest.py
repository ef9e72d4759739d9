import weakref

import pytest

# org, staff, measure, coordinator, coordinator_client, six: the seed agency's people,
# its measure 2 and its six-month round, for the tests of every app.
pytest_plugins = ["testing.fixtures"]

_connections_made: weakref.WeakSet = weakref.WeakSet()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, and every connection to them closed before they
    are dropped. Playwright's sync API (the browser tests) gives the code after it a
    context of its own, where Django keeps connections apart from those made before
    (asgiref's Local follows the context): when database tests run after browser tests
    in one process, as pytest-xdist may run them, a connection of the other context
    is left open and PostgreSQL refuses to drop the database ("being accessed by
    other users")."""
    from django.db.backends.signals import connection_created

    def remember(sender, connection, **kwargs):
        _connections_made.add(connection)

    connection_created.connect(remember, weak=False)
    yield
    connection_created.disconnect(remember)
    for wrapper in list(_connections_made):
        if wrapper.connection is not None:
            wrapper.connection.close()  # the driver's own: whatever thread or context made it


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Each test starts with an empty cache: what one test cached (the newest
    published PDF of ubon-pao, say) must not answer for rows another test rolled
    back. Only the process's own memory is emptied; a Redis cache that tests are
    pointed at may be shared with a running stack."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    from reports.selectors import forget_local_pdfs

    forget_local_pdfs()


@pytest.fixture
def seed(db):
    """The FY 2566 6-month report of อบจ.อุบลราชธานี, loaded as a user would: through
    the services the first time from each starting state, then written back as that load
    left it (measures/tests/seed_once.py)."""
    from testing.seed_once import seed_for_a_test

    return seed_for_a_test()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
