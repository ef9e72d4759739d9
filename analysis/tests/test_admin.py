"""The analyses in the admin, read only: the documents with their weak-point texts and
the published versions, in Thai with BE dates; a coordinator sees their own agency's
only, the superuser every agency's; nobody adds, changes or removes one here (the
analysis page does, through analysis.services); the lists cost the same number of
queries whatever their rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from analysis.models import AnalysisDocument, PublishedAnalysis, WeakPointNote
from catalogue.models import FiscalYear
from organizations.models import Membership
from testing.admin_pages import admin_url, hidden_from, list_page, root_client, writes_refused
from testing.factories import OrganizationFactory, member
from testing.pages import visible_text

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok"))
WHEN_BE = "15 ม.ค. 2569 09:30 น."


def analysis_of(organization, user, versions: int = 1) -> AnalysisDocument:
    """The agency's analysis of 2566 with a text on IIT 3 and `versions` published."""
    document = AnalysisDocument.objects.create(
        organization=organization, fiscal_year=FiscalYear.objects.get(year=2566)
    )
    WeakPointNote.objects.create(
        document=document,
        tool_code="IIT",
        indicator_number="3",
        found="เจ้าหน้าที่ยังไม่เข้าใจการใช้ทรัพย์สินของราชการ",
        proposed="จัดอบรมปีละครั้ง",
        updated_by=user,
    )
    for version in range(1, versions + 1):
        PublishedAnalysis.objects.create(
            document=document,
            version=version,
            pdf=f"published/{organization.slug}/2566/analysis-v{version}.pdf",
            sha256=f"{version:064d}",
            size=9,
            published_by=user,
        )
    AnalysisDocument.objects.filter(pk=document.pk).update(created_at=WHEN)
    PublishedAnalysis.objects.filter(document=document).update(published_at=WHEN)
    WeakPointNote.objects.filter(document=document).update(updated_at=WHEN)
    return document


@pytest.fixture
def analyses(org, coordinator):
    other = OrganizationFactory(name="เทศบาลตำบลอื่น", slug="other")
    theirs = analysis_of(other, member(other, Membership.Role.COORDINATOR, "coord-b"))
    return analysis_of(org, coordinator, versions=2), theirs


def test_the_superuser_reads_every_agencys_analyses_in_thai(analyses, org):
    own, _ = analyses
    client = root_client()
    text, _ = list_page(client, AnalysisDocument)
    for heading in ("หน่วยงาน", "ปีงบประมาณของมาตรการ", "สร้างเมื่อ", "หน้าการวิเคราะห์"):
        assert heading in text, heading
    assert f"{org.name} ปีงบประมาณ พ.ศ. 2566 {WHEN_BE} เปิดหน้าการวิเคราะห์" in text
    assert "เทศบาลตำบลอื่น" in text and "2026" not in text
    page = visible_text(client.get(admin_url(AnalysisDocument, "change", own.pk)))
    assert "สิ่งที่พบ: เจ้าหน้าที่ยังไม่เข้าใจการใช้ทรัพย์สินของราชการ" in page
    assert f"แก้ไขเมื่อ: {WHEN_BE}" in page and "2026" not in page

    text, _ = list_page(client, PublishedAnalysis)
    for heading in ("การวิเคราะห์", "ฉบับที่", "เผยแพร่เมื่อ", "เผยแพร่โดย", "ไฟล์"):
        assert heading in text, heading
    assert f"การวิเคราะห์ผลการประเมิน {org.name} ปีงบประมาณ 2566 2 {WHEN_BE} coord" in text
    assert "2026" not in text
    version = own.publications.get(version=2)
    page = client.get(admin_url(PublishedAnalysis, "change", version.pk)).content.decode()
    assert f'href="/p/{org.slug}/2566/analysis/v2.pdf"' in page


def test_a_coordinator_reads_their_own_agencys_analyses_only(analyses, org, coordinator_client):
    own, theirs = analyses
    for model in (AnalysisDocument, PublishedAnalysis):
        text, _ = list_page(coordinator_client, model)
        assert org.name in text and "เทศบาลตำบลอื่น" not in text, model
    page = visible_text(coordinator_client.get(admin_url(AnalysisDocument, "change", own.pk)))
    assert "ข้อเสนอแนะ: จัดอบรมปีละครั้ง" in page
    hidden_from(coordinator_client, theirs)
    hidden_from(coordinator_client, theirs.publications.get())


def test_nobody_adds_changes_or_removes_an_analysis_here(analyses, coordinator_client):
    own, _ = analyses
    for client in (root_client(), coordinator_client):
        writes_refused(client, own)
        writes_refused(client, own.publications.first())
    # Nor its texts, from the document's page.
    page = coordinator_client.get(admin_url(AnalysisDocument, "change", own.pk)).content.decode()
    assert 'name="notes-0-found"' not in page


def test_the_lists_cost_the_same_whatever_their_rows(analyses, coordinator):
    client = root_client()
    models = (AnalysisDocument, PublishedAnalysis)
    before = {model: list_page(client, model)[1] for model in models}
    for n in range(6):
        analysis_of(OrganizationFactory(name=f"เทศบาลตำบลที่ {n}"), coordinator, versions=2)
    for model in models:
        text, queries = list_page(client, model)
        assert "เทศบาลตำบลที่ 5" in text
        # The session and its user, the page's rows (agencies and years joined), the
        # count, the filters' choices.
        assert queries == before[model] <= 8, model
