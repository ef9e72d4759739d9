"""The assessed year 2565 (its catalogue copied from the seed's 2566, as a superuser
adds a year in the admin), sheets of results, and the people who import them."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from catalogue.models import FiscalYear
from catalogue.services import load_catalogue, read_catalogue, shipped_file
from organizations.access import SYSTEM
from organizations.models import OverseerScope
from testing.factories import OrganizationFactory, UserFactory

INDICATORS = [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]
HEADER = ["หน่วยงาน", *INDICATORS, "คะแนนรวม"]
UBON = "องค์การบริหารส่วนจังหวัดอุบลราชธานี"
# อบจ.อุบลราชธานี's scores of 2565: weak (under 85) on 3, 6 and 10.
UBON_SCORES = [
    "90.50",
    "88.00",
    "80.25",
    "95.00",
    "86.10",
    "70.00",
    "91.00",
    "89.00",
    "99.00",
    "60.75",
]
UBON_ROW = [UBON, *UBON_SCORES, "84.32"]


@pytest.fixture
def fy2565(seed):
    """FY 2565 with the shipped ten indicators of 2566 (IIT 1-5, EIT 6-8, OIT 9-10)
    and their variant wordings, as a superuser would load a year's catalogue file."""
    data = read_catalogue(shipped_file(2566))
    load_catalogue({**data, "fiscal_year": 2565}, user=SYSTEM)
    return FiscalYear.objects.get(year=2565)


@pytest.fixture
def other_agency(db):
    return OrganizationFactory(slug="nong-khon-sao", name="องค์การบริหารส่วนตำบลหนองขอน")


@pytest.fixture
def national(db):
    """An overseer of the whole installation (the national office)."""
    user = UserFactory(username="national", first_name="สำนักงานระดับประเทศ")
    OverseerScope.objects.create(user=user, whole_installation=True)
    return user


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(other_slug="nong-khon-sao"):
    return [
        ["ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"],
        HEADER,
        UBON_ROW,
        [other_slug, *["92.00"] * 10, "92.00"],
    ]


def send(client, url, fy, content, name="ita-2565.xlsx", *, run=True):
    """Upload the sheet at `url`. With `run`, the preview job the upload starts runs
    at its commit, as a free worker takes it; the answer is the upload's own (a
    redirect to the job's page, or the form again)."""
    data = {"fiscal_year": str(fy.pk), "file": SimpleUploadedFile(name, content)}
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(url, data)


def previewed(client, url, fy, content, name="ita-2565.xlsx"):
    """The preview job's page once the job ran (what the importer sees when the page
    stops refreshing)."""
    answer = send(client, url, fy, content, name)
    assert answer.status_code == 302, answer.status_code
    return client.get(answer["Location"])
