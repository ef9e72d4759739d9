"""Imports and rollovers of many measures write in bulk: the number of queries
does not grow with the number of measures, but for the database's own batches of
a bulk insert (SQLite takes 999 parameters a statement: a few more statements
for 40 measures than for 8). The speed is in docs/benchmarks.md
(`scripts/bench_import.py`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import AssessmentTool, FiscalYear, Indicator
from catalogue.services import ensure_year
from demo.generate import generate_measures
from interchange.exporters import EXPORTERS, build_sheet
from interchange.importer import import_measures
from interchange.rollover import rollover
from interchange.tests.sheets import year_state
from measures.models import Measure, Round
from organizations.models import Organization
from progress.models import Progress

pytestmark = pytest.mark.django_db

# Extra insert statements the database may need for 40 measures' rows over 8's.
BATCHES = 6


def seed_sheet(seed, count: int) -> bytes:
    """The seed's year with `count` measures in all (the seed's repeated), as XLSX."""
    six = Round.objects.get(organization=seed.organization, kind=6)
    have = Measure.objects.filter(organization=seed.organization).count()
    generate_measures(six, count - have, like=six)
    sheet = build_sheet(organization=seed.organization, fiscal_year=seed.fiscal_year)
    return EXPORTERS["xlsx"].export([sheet])[2]


def queries_of(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return len(queries), result


def import_into_new_agency(seed, content: bytes, slug: str):
    agency = Organization.objects.create(slug=slug, name=f"หน่วยงาน {slug}")
    return agency, import_measures(
        content=content,
        organization=agency,
        fiscal_year=seed.fiscal_year,
        create_divisions=True,
    )


def test_importing_new_measures_takes_the_same_queries_for_10_or_40(seed):
    small = seed_sheet(seed, 10)
    queries_10, (agency_10, result_10) = queries_of(
        lambda: import_into_new_agency(seed, small, "small")
    )
    large = seed_sheet(seed, 40)
    queries_40, (agency_40, result_40) = queries_of(
        lambda: import_into_new_agency(seed, large, "large")
    )
    assert (result_10.count("create"), result_40.count("create")) == (10, 40)
    assert queries_10 <= queries_40 <= queries_10 + BATCHES
    assert queries_40 < 150
    # Everything arrived: the new agency's year reads like the source's.
    source = year_state(seed.organization, seed.fiscal_year)
    copied = year_state(agency_40, seed.fiscal_year)
    assert copied["measures"] == source["measures"]
    assert Progress.objects.filter(measure__organization=agency_40).count() == 40
    # With history records, naming the file.
    measure = Measure.objects.filter(organization=agency_40).first()
    assert measure.history.get().history_change_reason.startswith("นำเข้าจากไฟล์")


def next_year_catalogue(fiscal_year) -> FiscalYear:
    following = FiscalYear.objects.create(year=fiscal_year.year + 1)
    for tool in AssessmentTool.objects.filter(fiscal_year=fiscal_year):
        copy = AssessmentTool.objects.create(
            fiscal_year=following, code=tool.code, order=tool.order
        )
        for indicator in tool.indicators.all():
            Indicator.objects.create(
                tool=copy, number=indicator.number, name=indicator.name, order=indicator.order
            )
    return following


def test_rollover_takes_the_same_queries_for_8_or_40_measures(seed):
    following = next_year_catalogue(seed.fiscal_year)
    other = Organization.objects.create(slug="other", name="หน่วยงานอื่น")
    content = seed_sheet(seed, 40)
    import_measures(
        content=content, organization=other, fiscal_year=seed.fiscal_year, create_divisions=True
    )
    # A year whose shipped lists are not all in the database yet (the seed's has no
    # OIT items) is completed on first use, once, whatever the measures: done here first.
    ensure_year(seed.fiscal_year.year)
    # The seed organization now has 40 measures too (seed_sheet added them).
    queries_40, result = queries_of(
        lambda: rollover(
            organization=other, from_year=seed.fiscal_year.year, to_year=following.year
        )
    )
    assert len(result.created) == 40
    fresh = Organization.objects.create(slug="fresh", name="หน่วยงานใหม่")
    import_measures(
        content=EXPORTERS["xlsx"].export(
            [build_sheet(organization=other, fiscal_year=seed.fiscal_year)]
        )[2],
        organization=fresh,
        fiscal_year=seed.fiscal_year,
        create_divisions=True,
    )
    Measure.objects.filter(organization=fresh, order__gt=8).delete()
    queries_8, result = queries_of(
        lambda: rollover(
            organization=fresh, from_year=seed.fiscal_year.year, to_year=following.year
        )
    )
    assert len(result.created) == 8
    assert queries_8 <= queries_40 <= queries_8 + BATCHES
