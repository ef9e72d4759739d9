"""The superuser's measure list at national scale (issue 18): its queries do not grow
with the measures listed, its count never joins the steps, and each row still shows
its own number of steps."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Step
from testing.factories import DivisionFactory, MeasureFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    user = get_user_model().objects.create_superuser("bench-root", "", "x")
    client = Client()
    client.force_login(user)
    return client


def add_measures(count):
    for _ in range(count):
        measure = MeasureFactory(target="ทำแผนป้องกันการทุจริต")
        measure.divisions.add(DivisionFactory(organization=measure.organization))
        StepFactory(measure=measure)
        StepFactory(measure=measure)


def list_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def test_queries_do_not_grow_with_the_measures_listed(superuser_client):
    add_measures(10)
    _, ten = list_queries(superuser_client)
    add_measures(40)
    response, fifty = list_queries(superuser_client)
    assert len(fifty) == len(ten)
    assert response.context["cl"].result_count == 50
    assert len(response.context["cl"].result_list) == 50


def test_counting_the_list_never_joins_the_steps(superuser_client):
    add_measures(3)
    _, queries = list_queries(superuser_client)
    steps = Step._meta.db_table
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and "measures_measure" in sql]
    assert counts
    for sql in counts:
        # Not a join of every measure to every step (478,000 at national scale).
        assert f'JOIN "{steps}"' not in sql, sql
    # The filters' lists of choices do not group the steps either.
    for sql in queries:
        assert f'LEFT OUTER JOIN "{steps}"' not in sql, sql


def test_each_row_shows_its_own_steps(superuser_client):
    two = MeasureFactory(target="เผยแพร่ข้อมูลสาธารณะ")
    StepFactory(measure=two)
    StepFactory(measure=two)
    none = MeasureFactory(target="ประชุมชี้แจงเจ้าหน้าที่")
    response, _ = list_queries(superuser_client)
    rows = {m.pk: m.steps_total for m in response.context["cl"].result_list}
    assert rows == {two.pk: 2, none.pk: 0}
    assert "จำนวนขั้นตอน" in response.content.decode()
