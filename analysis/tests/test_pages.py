"""The coordinator's analysis page, its draft PDF (real WeasyPrint), publishing from
the page, and the public links: what each person sees."""

import pytest
from django.urls import reverse

from analysis.models import AnalysisDocument, PublishedAnalysis, WeakPointNote
from analysis.tests.conftest import EIT6, OIT10
from analysis.views import public_latest_pdf, public_version_pdf
from catalogue.models import FiscalYear
from measures.models import Measure
from organizations.models import Membership
from reports.middleware import PublishedPdfMiddleware
from testing.factories import MeasureFactory, OrganizationFactory, member
from testing.pages import element_text, visible_text
from testing.pdftext import embedded_fonts, pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PAGE = reverse("analysis:page", args=["ubon-pao", 2566])
PDF = reverse("analysis:pdf", args=["ubon-pao", 2566])
PUBLIC = "/p/ubon-pao/2566/analysis.pdf"
# The session, the user, the organization, the user's role, the fiscal year; the
# scores, the measures, the document and its notes, the publications, the publishing
# job followed; the menu's overseer scope.
PAGE_QUERIES = 12


def _post_note(client, key, found, proposed, version=0):
    data = {"tool": key[0], "number": key[1], "found": found, "proposed": proposed}
    return client.post(PAGE, {**data, "version": str(version)})


def _served(client, url) -> tuple[str, bytes]:
    """The ETag and the bytes of a public PDF (the streamed file closed)."""
    answer = client.get(url)
    assert answer.status_code == 200
    try:
        return answer["ETag"], b"".join(answer.streaming_content)
    finally:
        answer.close()


def test_the_page_shows_last_years_scores_weak_points_and_measures(
    coordinator_client, scored_twice
):
    page = coordinator_client.get(PAGE)
    text = visible_text(page)
    assert "๑. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2565" not in text  # Arabic digits
    assert "1. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2565" in text
    assert "คะแนนรวม 84.32 ระดับ B ค่าเป้าหมายของหน่วยงาน 85.00 คะแนน" in text
    # 2565 beside 2564 with the change; the weak ones marked.
    assert "IIT 1. การปฏิบัติหน้าที่ 90.50 80.00 +10.50 ผ่านค่าเป้าหมาย" in text
    assert "3. การใช้อำนาจ 80.25 80.00 +0.25 จุดอ่อน" in text
    assert "9. การเปิดเผยข้อมูล 99.00 95.00 +4.00 ผ่านค่าเป้าหมาย" in text
    weak = element_text(page, "weak-OIT-10")
    assert weak.startswith(
        "ตัวชี้วัดที่ 10 การป้องกันการทุจริต (OIT) คะแนน 60.75 ต่ำกว่าค่าเป้าหมาย 85.00 "
        "(เปลี่ยนแปลง -19.25 จากปีก่อน)"
    )
    assert "มาตรการที่กำหนด มาตรการที่ 1" in weak and "มาตรการที่ 2" in weak
    assert "ยังไม่มีมาตรการของปีนี้ที่ตอบตัวชี้วัดนี้" in element_text(page, "weak-EIT-6")
    assert element_text(page, "draft-mark") == "ฉบับร่าง ยังไม่ได้เผยแพร่"


def test_texts_are_saved_and_a_stale_form_keeps_what_was_typed(coordinator_client, scored):
    saved = _post_note(coordinator_client, EIT6, "ผู้รับบริการรอนาน", "ลดขั้นตอนการให้บริการ")
    assert saved.status_code == 302
    page = coordinator_client.get(PAGE)
    assert "บันทึกข้อความวิเคราะห์ของตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (EIT) แล้ว" in visible_text(page)
    assert "สิ่งที่พบ ผู้รับบริการรอนาน ข้อเสนอแนะ ลดขั้นตอนการให้บริการ" in element_text(page, "weak-EIT-6")
    # Another tab opened before the save: refused, its text kept, the saved one shown.
    stale = _post_note(coordinator_client, EIT6, "ข้อความจากแท็บเก่า", "", version=0)
    assert stale.status_code == 409
    form = element_text(stale, "note-EIT-6", status=409)
    assert "หลังจากที่คุณเปิดหน้านี้" in form and "“ผู้รับบริการรอนาน”" in form
    assert "ข้อความจากแท็บเก่า" in stale.content.decode()
    assert WeakPointNote.objects.get().found == "ผู้รับบริการรอนาน"
    too_long = _post_note(coordinator_client, OIT10, "ก" * 5001, "", version=0)
    assert "สิ่งที่พบยาวได้ไม่เกิน 5,000 ตัวอักษร" in visible_text(too_long, status=400)


def test_queries_do_not_grow_with_the_measures(
    coordinator_client, scored, org, django_assert_num_queries
):
    _post_note(coordinator_client, EIT6, "พบ", "เสนอ")
    with django_assert_num_queries(PAGE_QUERIES):
        coordinator_client.get(PAGE)
    indicator = Measure.objects.filter(organization=org, order=1).get().indicator
    fy = FiscalYear.objects.get(year=2566)
    for n in range(40):
        MeasureFactory(organization=org, fiscal_year=fy, indicator=indicator, order=100 + n)
    _post_note(coordinator_client, OIT10, "พบ", "เสนอ")
    with django_assert_num_queries(PAGE_QUERIES):
        page = coordinator_client.get(PAGE)
    assert "มาตรการที่ 139" in element_text(page, "weak-OIT-10")


def test_the_draft_pdf_prints_the_scores_weak_points_and_texts(coordinator_client, scored):
    _post_note(coordinator_client, OIT10, "ยังไม่เผยแพร่แผนป้องกันการทุจริต", "จัดทำแผนและเผยแพร่")
    answer = coordinator_client.get(PDF)
    assert answer["Content-Type"] == "application/pdf"
    pdf = answer.content
    text = squash(pdf_text(pdf))
    for expected in (
        "ฉบับร่าง",
        "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ(ITA)",
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี",
        "ผลการประเมินITAประจำปีงบประมาณพ.ศ.2565",
        "คะแนนรวม84.32ระดับB",
        "6.คุณภาพการดำเนินงาน70.00จุดอ่อน",
        "ตัวชี้วัดที่10การป้องกันการทุจริต(OIT)คะแนน60.75ต่ำกว่าค่าเป้าหมาย85.00",
        "ยังไม่เผยแพร่แผนป้องกันการทุจริต",
        "จัดทำแผนและเผยแพร่",
    ):
        assert expected in text, expected
    assert all("Sarabun" in font for font in embedded_fonts(pdf))


def test_thai_digits_when_the_agency_chose_them(coordinator_client, scored, org):
    org.thai_digits = True
    org.save(update_fields=["thai_digits"])
    text = visible_text(coordinator_client.get(PAGE))
    assert "๑. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕" in text
    assert "คะแนนรวม ๘๔.๓๒ ระดับ B" in text


def test_who_reads_and_who_edits(client, org, coordinator, scored):
    assert client.get(PAGE).status_code == 302  # to sign in
    assert client.get(PDF).status_code == 302
    client.force_login(member(org, Membership.Role.EXECUTIVE, "executive"))
    page = client.get(PAGE)
    assert (
        "คะแนนรวม 84.32" in visible_text(page) and 'class="note-form' not in page.content.decode()
    )
    assert _post_note(client, EIT6, "x", "y").status_code == 403
    client.force_login(member(org, Membership.Role.STAFF, "staff2"))
    assert client.get(PAGE).status_code == 403
    other = OrganizationFactory(slug="other")
    client.force_login(member(other, Membership.Role.COORDINATOR, "other-coord"))
    assert client.get(PAGE).status_code == 404
    assert not WeakPointNote.objects.exists()


@pytest.mark.django_db(transaction=True)  # the publishing job runs at its commit
def test_published_from_the_page_and_served_by_the_stable_link(client, coordinator_client, scored):
    assert client.get(PUBLIC).status_code == 404  # nothing published: no draft for anyone
    confirm = coordinator_client.get(reverse("analysis:publish", args=["ubon-pao", 2566]))
    assert "จะเผยแพร่เป็นฉบับที่ 1" in visible_text(confirm)
    publish = reverse("analysis:publish", args=["ubon-pao", 2566])
    started = coordinator_client.post(publish, {"confirm": "1"})  # no broker: run at once
    done = coordinator_client.get(started["Location"])
    assert "เผยแพร่การวิเคราะห์ฉบับที่ 1 แล้ว" in element_text(done, "publish-job")
    first = PublishedAnalysis.objects.get()
    _post_note(coordinator_client, EIT6, "พบเพิ่ม", "เสนอเพิ่ม")
    coordinator_client.post(publish, {"confirm": "1"})
    second = PublishedAnalysis.objects.get(version=2)
    etag, pdf = _served(client, PUBLIC)
    assert etag == f'"{second.sha256}"' and "พบเพิ่ม" in pdf_text(pdf)
    withdraw = reverse("analysis:withdraw", args=["ubon-pao", 2566, 2])
    coordinator_client.post(withdraw, {"reason": "ข้อความผิด"})
    assert _served(client, PUBLIC)[0] == f'"{first.sha256}"'
    assert _served(client, "/p/ubon-pao/2566/analysis/v2.pdf")[0] == f'"{second.sha256}"'
    listed = element_text(
        client.get(reverse("reports:public_index", args=["ubon-pao"])), "analyses"
    )
    assert listed is not None
    index = visible_text(client.get(reverse("reports:public_index", args=["ubon-pao"])))
    assert "ปีงบประมาณ 2566 เปิดการวิเคราะห์ (PDF ฉบับล่าสุด)" in index
    assert "ถอนการเผยแพร่แล้ว" in index and "เหตุผล: ข้อความผิด" in index


def test_the_public_links_are_answered_early_like_the_reports():
    """reports.middleware serves them before sessions and the rest (AnalysisConfig.ready)."""
    early = PublishedPdfMiddleware(lambda request: None)
    assert early.match(PUBLIC).func is public_latest_pdf
    found = early.match("/p/ubon-pao/2566/analysis/v2.pdf")
    assert (found.func, found.kwargs) == (
        public_version_pdf,
        {"slug": "ubon-pao", "year": 2566, "version": 2},
    )


def _published(document, version, user):
    row = PublishedAnalysis(
        document=document, version=version, sha256=f"{version:064d}", size=10, published_by=user
    )
    row.pdf.name = f"published/ubon-pao/{document.fiscal_year.year}/analysis-v{version}.pdf"
    row.save()
    return row


def test_the_public_page_lists_the_analyses_in_the_same_queries(
    client, org, coordinator, scored, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    index = reverse("reports:public_index", args=["ubon-pao"])
    recent = AnalysisDocument.objects.create(
        organization=org, fiscal_year=FiscalYear.objects.get(year=2566)
    )
    _published(recent, 1, coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(index)
    older = AnalysisDocument.objects.create(organization=org, fiscal_year=scored)
    _published(older, 1, coordinator)
    _published(recent, 2, coordinator)
    with django_assert_num_queries(len(one)):
        page = client.get(index)
    listed = element_text(page, "analyses")
    assert listed.index("ปีงบประมาณ 2566") < listed.index("ปีงบประมาณ 2565")
    assert "ฉบับที่ 2" in listed
