"""A published version to write paperwork for, without rendering a report: version 1
of a 6-month round of 2566, recorded through reports' stand-in service (the paperwork
reads the version's row, never its PDF)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from analysis.models import AnalysisDocument, PublishedAnalysis
from measures.models import Round
from organizations.access import SYSTEM
from organizations.models import Membership
from reports.models import PublishedReport
from reports.services import record_stand_in_publications
from testing.factories import FiscalYearFactory, OrganizationFactory, RoundFactory, member

BANGKOK = ZoneInfo("Asia/Bangkok")
REQUESTED = datetime(2026, 12, 3, 9, 30, tzinfo=BANGKOK)
APPROVED = datetime(2026, 12, 4, 14, 5, tzinfo=BANGKOK)


@pytest.fixture
def agency(db):
    return OrganizationFactory(slug="ban-na", name="องค์การบริหารส่วนตำบลบ้านนา", thai_digits=False)


@pytest.fixture
def agency_coordinator(agency):
    return member(agency, Membership.Role.COORDINATOR, "somsri", first_name="สมศรี", last_name="ใจดี")


@pytest.fixture
def agency_executive(agency):
    return member(
        agency, Membership.Role.EXECUTIVE, "prasit", first_name="ประสิทธิ์", last_name="มั่นคง"
    )


def publish_stand_in(round_: Round, by, version_pdf="published/stand-in.pdf") -> PublishedReport:
    record_stand_in_publications(
        user=SYSTEM,
        publications=[(round_, APPROVED)],
        pdf=version_pdf,
        sha256="0" * 64,
        size=9,
        published_by=by,
    )
    return PublishedReport.objects.get(round=round_, version=1)


@pytest.fixture
def version(agency, agency_coordinator, media_root):
    """Version 1 of the agency's 6-month report of 2566, its sign-off block naming
    the executive's position."""
    round_ = RoundFactory(
        organization=agency,
        kind=Round.Kind.SIX_MONTHS,
        approver_name="ประสิทธิ์ มั่นคง",
        approver_position="นายกองค์การบริหารส่วนตำบลบ้านนา",
    )
    return publish_stand_in(round_, agency_coordinator)


@pytest.fixture
def analysis_version(agency, agency_coordinator, media_root):
    """Version 1 of the agency's analysis for the measures of 2567 (its row only: the
    paperwork never reads the analysis's PDF)."""
    document = AnalysisDocument.objects.create(
        organization=agency, fiscal_year=FiscalYearFactory(year=2567)
    )
    return PublishedAnalysis.objects.create(
        document=document,
        version=1,
        pdf="published/stand-in-analysis.pdf",
        sha256="0" * 64,
        size=9,
        published_by=agency_coordinator,
    )
