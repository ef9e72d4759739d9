"""The seed agency's results of 2565 (weak on IIT 3, EIT 6 and OIT 10: the results
app's fixture sheet) and 2564 (every indicator 80, then 95 on OIT 9), which lead to
its measures of 2566."""

import pytest

from catalogue.models import FiscalYear
from catalogue.services import load_catalogue, read_catalogue, shipped_file
from organizations.access import SYSTEM
from results.services import import_results
from results.tests.conftest import HEADER, UBON, UBON_ROW, csv_bytes, fy2565  # noqa: F401

# The weak points of 2565, by tool and number.
IIT3, EIT6, OIT10 = ("IIT", "3"), ("EIT", "6"), ("OIT", "10")


@pytest.fixture
def scored(fy2565):  # noqa: F811
    """อบจ.อุบลราชธานี's 2565 result: weak on IIT 3, EIT 6 and OIT 10."""
    import_results(user=SYSTEM, fiscal_year=fy2565, content=csv_bytes([HEADER, UBON_ROW]))
    return fy2565


@pytest.fixture
def scored_twice(scored):
    """And its 2564 result: 80.00 on every indicator but OIT 9 (95.00)."""
    data = read_catalogue(shipped_file(2566))
    load_catalogue({**data, "fiscal_year": 2564}, user=SYSTEM)
    fy2564 = FiscalYear.objects.get(year=2564)
    row = [UBON, *["80.00"] * 8, "95.00", "80.00", "81.50"]
    import_results(user=SYSTEM, fiscal_year=fy2564, content=csv_bytes([HEADER, row]))
    return scored
