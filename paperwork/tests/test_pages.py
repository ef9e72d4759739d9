"""The paperwork pages: downloads for the agency's readers only, the texts edited by
its coordinator (preview, unknown placeholder refused, concurrent edit refused,
reset), and what an edit changes in the next version's memo."""

import pytest
from django.urls import reverse

from measures.models import Round
from organizations.models import Membership, OverseerScope
from paperwork import services, texts
from paperwork.models import PaperworkTemplate
from paperwork.tests.conftest import APPROVED, REQUESTED, publish_stand_in
from testing.factories import OrganizationFactory, RoundFactory, UserFactory, member
from testing.pages import element_text, visible_text
from testing.pdftext import pdf_text, squash

pytestmark = pytest.mark.django_db


def generate(report, coordinator, executive):
    return services.generate_for_approval(
        report=report,
        requested_by=coordinator,
        requested_at=REQUESTED,
        approved_by=executive,
        approved_at=APPROVED,
    )


def memo_url(slug="ban-na", version=1, document="memo"):
    return reverse("paperwork:download", args=[slug, 2566, 6, version, document])


@pytest.fixture
def generated(version, agency_coordinator, agency_executive):
    return generate(version, agency_coordinator, agency_executive)


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_coordinator_executive_and_overseer_download_memo_and_form(
    client, generated, agency_coordinator, agency_executive
):
    overseer = UserFactory(username="national")
    OverseerScope.objects.create(user=overseer, whole_installation=True)
    for user in (agency_coordinator, agency_executive, overseer):
        client.force_login(user)
        memo = client.get(memo_url())
        assert memo.status_code == 200
        assert memo["Content-Type"] == "application/pdf"
        assert "บันทึกข้อความ" in squash(pdf_text(downloaded(memo)))
        form = client.get(memo_url(document="form"))
        assert "แบบฟอร์มการเผยแพร่ข้อมูลต่อสาธารณะ" in squash(pdf_text(downloaded(form)))


def test_public_staff_and_other_agencies_cannot_download(client, generated, agency):
    assert client.get(memo_url())["Location"].startswith(reverse("login"))
    client.force_login(member(agency, Membership.Role.STAFF, "staff"))
    assert client.get(memo_url()).status_code == 403
    other = OrganizationFactory(slug="other")
    client.force_login(member(other, Membership.Role.COORDINATOR, "other-coord"))
    assert client.get(memo_url()).status_code == 404
    assert client.get(reverse("paperwork:index", args=["ban-na"])).status_code == 404


def test_unknown_version_or_document_is_404(client, generated, agency_coordinator):
    client.force_login(agency_coordinator)
    assert client.get(memo_url(version=2)).status_code == 404
    assert client.get(memo_url(document="letter")).status_code == 404


def test_index_lists_each_version_in_constant_queries(
    client, agency, agency_coordinator, agency_executive, generated, django_assert_num_queries
):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:index", args=[agency.slug])
    # session, user, agency, role, paperwork with their rounds and years, failed
    # generations still to retry, may edit the texts (access.can_manage), overseer
    # scopes (the menu)
    with django_assert_num_queries(8):
        page = client.get(url)
    assert "ประสิทธิ์ มั่นคง" in visible_text(page)
    twelve = RoundFactory(organization=agency, kind=Round.Kind.TWELVE_MONTHS)
    generate(publish_stand_in(twelve, agency_coordinator), agency_coordinator, agency_executive)
    with django_assert_num_queries(8):
        page = client.get(url)
    table = element_text(page, "paperwork")
    assert table.count("บันทึกข้อความ (PDF)") == 2


def test_edited_memo_text_shows_in_preview_and_next_memo(
    client, agency, agency_coordinator, agency_executive, version
):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:template", args=[agency.slug, "memo"])
    data = {**texts.defaults(texts.MEMO), "revision": "0", "reference": "บน 0023/{ฉบับที่}"}
    preview = client.post(url, {**data, "action": "preview"})
    assert "บน 0023/" in element_text(preview, "preview")
    assert not PaperworkTemplate.objects.exists()
    saved = client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    memo = generate(version, agency_coordinator, agency_executive)
    with memo.memo_pdf.open("rb") as f:
        assert "ที่บน0023/1" in squash(pdf_text(f.read()))


def test_unknown_placeholder_is_refused_by_name_and_text_kept(client, agency, agency_coordinator):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:template", args=[agency.slug, "memo"])
    typed = "ขออนุญาตเผยแพร่ {ชื่อเรื่อง} ของ {หน่วยงาน}"
    data = {**texts.defaults(texts.MEMO), "revision": "0", "subject": typed, "action": "save"}
    page = client.post(url, data)
    assert page.status_code == 400
    text = visible_text(page, status=400)
    assert "เรื่อง: ไม่รู้จักช่องข้อมูล {ชื่อเรื่อง}" in text
    assert typed in page.content.decode()
    assert not PaperworkTemplate.objects.exists()


def test_an_edit_made_on_an_older_revision_is_refused(client, agency, agency_coordinator):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:template", args=[agency.slug, "form"])
    first = {**texts.defaults(texts.FORM), "revision": "0", "action": "save", "topic": "ก"}
    assert client.post(url, first).status_code == 302
    late = {**first, "topic": "ข"}  # started from revision 0 too
    page = client.post(url, late)
    assert "มีผู้แก้ไขแม่แบบนี้ไปแล้ว" in visible_text(page, status=400)
    assert PaperworkTemplate.objects.get().parts["topic"] == "ก"


def test_reset_goes_back_to_the_shipped_texts(client, agency, agency_coordinator):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:template", args=[agency.slug, "memo"])
    edited = {**texts.defaults(texts.MEMO), "revision": "0", "closing": "จึงเรียนมาเพื่อทราบ"}
    client.post(url, {**edited, "action": "save"})
    assert "จึงเรียนมาเพื่อทราบ" in element_text(client.get(url), "preview")
    client.post(url, {**edited, "revision": "1", "action": "reset"})
    page = client.get(url)
    assert "ขณะนี้ใช้ข้อความตั้งต้นของระบบ" in visible_text(page)
    assert "จึงเรียนมาเพื่อโปรดพิจารณา" in element_text(page, "preview")


def test_only_the_coordinator_edits_the_texts(client, agency, agency_executive):
    client.force_login(agency_executive)
    url = reverse("paperwork:template", args=[agency.slug, "memo"])
    assert client.get(url).status_code == 403
    data = {**texts.defaults(texts.MEMO), "revision": "0", "action": "save"}
    assert client.post(url, data).status_code == 403
    assert not PaperworkTemplate.objects.exists()


def test_template_page_queries(
    client, agency, agency_coordinator, generated, django_assert_num_queries
):
    client.force_login(agency_coordinator)
    url = reverse("paperwork:template", args=[agency.slug, "memo"])
    # session, user, agency, role, may edit, the agency's texts, the newest paperwork
    # (the preview's names), the publisher's role (the preview's values), overseer
    # scopes (the menu)
    with django_assert_num_queries(9):
        page = client.get(url)
    assert "ประสิทธิ์ มั่นคง" in element_text(page, "preview")


def test_an_analysis_versions_paperwork_is_listed_and_downloaded(
    client, agency, agency_coordinator, agency_executive, analysis_version, generated
):
    generate(analysis_version, agency_coordinator, agency_executive)
    client.force_login(agency_executive)
    page = client.get(reverse("paperwork:index", args=[agency.slug]))
    table = element_text(page, "paperwork")
    assert "การวิเคราะห์ผลการประเมิน" in table and "รายงานการดำเนินการ" in table
    url = reverse("paperwork:download_analysis", args=[agency.slug, 2567, 1, "form"])
    assert url in page.content.decode()
    form = client.get(url)
    assert "/p/ban-na/2567/analysis/v1.pdf" in squash(pdf_text(downloaded(form)))
    other = member(OrganizationFactory(slug="other"), Membership.Role.COORDINATOR, "oc")
    client.force_login(other)
    assert client.get(url).status_code == 404
