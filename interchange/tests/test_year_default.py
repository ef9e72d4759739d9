"""Where a year is chosen, the one people work in is preselected (issue 21): the
year of the open round, else the newest year with measures; never the newest year
the catalogue knows, which has no measures yet (its export was an empty file)."""

import re

import pytest
from django.urls import reverse

from catalogue import services as catalogue
from catalogue.models import FiscalYear
from measures.models import Round

pytestmark = pytest.mark.django_db


def selected_year(html: str) -> str:
    select = re.search(r'<select name="fiscal_year".*?</select>', html, re.S).group(0)
    return re.search(r"<option value=\"\d+\" selected>([^<]*)</option>", select).group(1)


@pytest.mark.parametrize("page", ["admin:measures_measure_export", "admin:measures_measure_import"])
def test_the_working_year_is_preselected(coordinator_client, seed, page):
    catalogue.load_shipped()  # the catalogue knows years up to the current one
    assert FiscalYear.objects.order_by("-year").first().year > 2566
    url = reverse(page)
    assert "2566" in selected_year(coordinator_client.get(url).content.decode())

    # Every round closed: the newest year with measures.
    Round.objects.filter(organization=seed.organization).update(is_open=False)
    assert "2566" in selected_year(coordinator_client.get(url).content.decode())
