import pytest
from django.test import Client, override_settings

from ita_portal.tests.permission_walk.walker import Walker
from ita_portal.tests.permission_walk.world import build_world
from testing.forms import copy_for_a_test, kept_for_the_scope


@pytest.fixture(scope="package")
def walk_media(tmp_path_factory):
    """The files of the module's world (evidence, published and draft PDFs)."""
    media = tmp_path_factory.mktemp("media")
    # The passwords hashed as the tests check them (the root conftest's hasher).
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        yield media


@pytest.fixture(scope="package")
def built_world(django_db_setup, django_db_blocker, walk_media):
    """The world is built once for a module (the seed, two organizations' people, a
    published report and its draft PDF) and each test gets it as built: what a test
    writes is rolled back after it (testing.forms.kept_for_the_scope)."""
    with kept_for_the_scope(django_db_blocker, build_world) as world:
        yield world


@pytest.fixture
def world(built_world, db):
    return copy_for_a_test(built_world)


@pytest.fixture
def walker(world):
    """Requests as each person, with CSRF checks on as in a browser."""
    return Walker(Client(enforce_csrf_checks=True), world.people)
