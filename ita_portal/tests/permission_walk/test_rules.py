"""The walk covers every URL: a URL name without a GET and a POST visit fails here,
so a new page, or a new way to write, cannot ship without saying who may do what."""

import pytest
from django.urls import resolve

from ita_portal.tests.permission_walk.admin_interchange import interchange_visits
from ita_portal.tests.permission_walk.admin_models import admin_model_visits
from ita_portal.tests.permission_walk.admin_site import admin_site_visits
from ita_portal.tests.permission_walk.approvals import approval_visits
from ita_portal.tests.permission_walk.oit import oit_visits
from ita_portal.tests.permission_walk.paperwork import paperwork_visits
from ita_portal.tests.permission_walk.portal import portal_visits
from ita_portal.tests.permission_walk.results import analysis_visits, result_visits
from ita_portal.tests.permission_walk.walker import all_url_names

pytestmark = pytest.mark.django_db


def all_visits(world):
    return [
        *portal_visits(world),
        *admin_site_visits(world),
        *admin_model_visits(world),
        *interchange_visits(world),
        *result_visits(world),
        *oit_visits(world),
        *analysis_visits(world),
        *paperwork_visits(world),
        *approval_visits(world),
    ]


def test_every_url_name_is_read_and_written_by_the_walk(world):
    visits = all_visits(world)
    names = set(all_url_names())
    for method in ("get", "post"):
        walked = {v.name for v in visits if v.method == method}
        assert sorted(names - walked) == [], f"URL names without a {method.upper()} visit"
        assert sorted(walked - names) == [], f"{method.upper()} visits of no URL name"


def test_each_visit_asks_for_the_url_of_its_name(world):
    """A visit's URL resolves to the URL name it stands for."""
    wrong = [
        (v.name, v.url)
        for v in all_visits(world)
        if resolve(v.url.split("?")[0]).view_name != v.name
    ]
    assert wrong == []
