"""The admin's pages and writes, by every person (permission_walk.admin_site and
admin_models)."""

import pytest

from ita_portal.tests.permission_walk.admin_interchange import interchange_visits
from ita_portal.tests.permission_walk.admin_models import admin_model_visits
from ita_portal.tests.permission_walk.admin_site import admin_site_visits
from ita_portal.tests.permission_walk.walker import run

pytestmark = pytest.mark.django_db


def test_admin_pages_by_every_person(walker, world):
    failures = run(walker, admin_site_visits(world))
    assert failures == [], "\n".join(failures)


def test_every_admin_model_read_and_written_by_every_person(walker, world):
    failures = run(walker, admin_model_visits(world))
    assert failures == [], "\n".join(failures)


def test_admin_import_export_and_actions_by_every_person(walker, world):
    failures = run(walker, interchange_visits(world))
    assert failures == [], "\n".join(failures)
