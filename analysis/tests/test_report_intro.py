"""The report's introduction names the assessment its measures follow from: the
newest year with the agency's results, as the analysis reads it; the year before
when none is entered (the seed's words, unchanged)."""

import pytest

from catalogue.models import FiscalYear
from catalogue.services import load_catalogue, read_catalogue, shipped_file
from organizations.access import SYSTEM
from reports.document import build_document
from results.services import import_results
from results.tests.conftest import HEADER, UBON, csv_bytes

pytestmark = pytest.mark.django_db

INTRO = "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {}"


def test_the_intro_names_the_newest_assessed_year(six, org):
    assert build_document(six).intro.startswith(INTRO.format(2565))
    data = read_catalogue(shipped_file(2566))
    load_catalogue({**data, "fiscal_year": 2564}, user=SYSTEM)
    fy2564 = FiscalYear.objects.get(year=2564)
    import_results(
        user=SYSTEM,
        fiscal_year=fy2564,
        content=csv_bytes([HEADER, [UBON, *["90.00"] * 10, "90.00"]]),
    )
    # 2565 not entered: the analysis of 2564's result led to the measures.
    assert build_document(six).intro.startswith(INTRO.format(2564))
    org.thai_digits = True
    org.save(update_fields=["thai_digits"])
    six.organization.thai_digits = True
    assert build_document(six).intro.startswith(INTRO.format("๒๕๖๔"))
