import pytest


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
    from measures.tests.seed_once import seed_for_a_test

    return seed_for_a_test()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
