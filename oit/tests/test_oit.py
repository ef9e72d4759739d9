"""The agency's OIT page: links checked and kept with their history, concurrent
edits refused, the portal's own documents filled in once published, completeness,
the exports in the items' order, and queries that do not grow with the items."""

import csv
import hashlib
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import OitItem
from measures.models import Round
from oit import selectors
from oit.models import AgencyOitLink
from oit.services import LinkConflict, set_link
from organizations.access import SYSTEM
from organizations.models import Membership
from reports.models import PublishedReport
from reports.services import publish_round
from testing.factories import (
    FiscalYearFactory,
    OrganizationFactory,
    RoundFactory,
    UserFactory,
    member,
)
from testing.forms import form_data
from testing.pages import element_text, visible_text

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def make_items(year: int, count: int, filled: dict | None = None) -> list[OitItem]:
    """Items O1..O<count> of the year; `filled` gives some a kind of document."""
    fiscal_year = FiscalYearFactory(year=year)
    filled = filled or {}
    return [
        OitItem.objects.create(
            fiscal_year=fiscal_year,
            number=f"O{n}",
            order=n,
            title=f"ข้อทดสอบที่ {n}",
            filled_by=filled.get(n, ""),
        )
        for n in range(1, count + 1)
    ]


def publish(round_) -> PublishedReport:
    """A version as the publishing service stores it (rendering is tested in reports)."""
    content = b"%PDF-1.7\n%%EOF\n"
    report = PublishedReport(
        round=round_,
        version=1,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        published_by=UserFactory(),
    )
    report.pdf.save("report.pdf", ContentFile(content), save=False)
    report.save()
    return report


@pytest.fixture
def agency():
    return OrganizationFactory(slug="tambon-test", name="องค์การบริหารส่วนตำบลทดสอบ")


@pytest.fixture
def coordinator_of(client, agency):
    user = member(agency, Membership.Role.COORDINATOR, "coord")
    client.force_login(user)
    return client


def edit_url(agency, year=2570):
    return reverse("oit:edit", args=[agency.slug, year])


def test_a_link_that_is_not_a_web_address_is_refused_naming_the_item(agency):
    item = make_items(2570, 3)[2]
    for bad in ("www.example.go.th", "ftp://example.go.th/f", "javascript:alert(1)", "http://"):
        with pytest.raises(ValidationError) as refused:
            set_link(user=SYSTEM, organization=agency, item=item, url=bad, seen_version=0)
        assert refused.value.messages[0].startswith("ข้อ O3: ")
        assert "กรุณากรอกลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://" in refused.value.messages[0]
    assert not AgencyOitLink.objects.exists()
    link = set_link(
        user=SYSTEM,
        organization=agency,
        item=item,
        url="  https://www.อบต.ไทย/ita/o3  ",
        seen_version=0,
    )
    assert link.url == "https://www.อบต.ไทย/ita/o3"


def test_the_form_keeps_what_was_typed_and_saves_the_good_rows(coordinator_of, agency):
    items = make_items(2570, 3)
    page = coordinator_of.get(edit_url(agency))
    assert "ครบ 0 จาก 3 ข้อ" in visible_text(page)
    data = form_data(page.content.decode(), form_id="oit-form")
    data[f"url-{items[0].pk}"] = "https://example.go.th/o1"
    data[f"url-{items[1].pk}"] = "ไม่ใช่ลิงก์"
    refused = coordinator_of.post(edit_url(agency), data)
    text = visible_text(refused)
    assert "ยังไม่ได้บันทึก 1 ข้อ" in text
    assert "ข้อ O2: “ไม่ใช่ลิงก์” ไม่ใช่ลิงก์ของหน้าเว็บ" in text
    assert "ครบ 1 จาก 3 ข้อ" in text
    again = form_data(refused.content.decode(), form_id="oit-form")
    assert again[f"url-{items[1].pk}"] == "ไม่ใช่ลิงก์"  # kept as typed
    assert AgencyOitLink.objects.get(item=items[0]).url == "https://example.go.th/o1"
    again[f"url-{items[1].pk}"] = "https://example.go.th/o2"
    done = coordinator_of.post(edit_url(agency), again, follow=True)
    assert "บันทึกลิงก์ 1 ข้อแล้ว" in visible_text(done)
    assert "ครบ 2 จาก 3 ข้อ" in visible_text(done)


def test_a_link_changed_since_the_form_was_shown_is_not_overwritten(coordinator_of, agency):
    item = make_items(2570, 1)[0]
    shown = form_data(coordinator_of.get(edit_url(agency)).content.decode(), form_id="oit-form")
    set_link(user=SYSTEM, organization=agency, item=item, url="https://a.go.th/", seen_version=0)
    shown[f"url-{item.pk}"] = "https://b.go.th/"
    refused = coordinator_of.post(edit_url(agency), shown)
    assert "มีผู้แก้ไขลิงก์ของข้อนี้หลังจากที่คุณเปิดหน้านี้ ขณะนี้ลิงก์เป็น https://a.go.th/" in (visible_text(refused))
    assert AgencyOitLink.objects.get(item=item).url == "https://a.go.th/"
    with pytest.raises(LinkConflict):
        set_link(user=SYSTEM, organization=agency, item=item, url="", seen_version=0)
    # A row the form did not change is not written: the other link stays.
    untouched = coordinator_of.post(edit_url(agency), {**shown, f"url-{item.pk}": ""}, follow=True)
    assert "ไม่มีลิงก์ที่เปลี่ยน" in visible_text(untouched)


def test_each_change_is_kept_in_the_history(agency):
    item = make_items(2570, 1)[0]
    link = set_link(
        user=SYSTEM, organization=agency, item=item, url="https://a.go.th/", seen_version=0
    )
    set_link(user=SYSTEM, organization=agency, item=item, url="", seen_version=link.version)
    assert [h.url for h in AgencyOitLink.history.order_by("history_date")] == [
        "https://a.go.th/",
        "",
    ]
    assert selectors.completeness([agency.pk], 2570) == {agency.pk: (0, 1)}


def test_the_portal_fills_its_own_documents_once_published(client, agency):
    make_items(2570, 4, {1: "measures", 2: "six_months", 3: "previous_twelve_months"})
    public = reverse("oit:public", args=[agency.slug, 2570])
    assert visible_text(client.get(public)).count("ยังไม่มีลิงก์") == 4
    publish(RoundFactory(organization=agency, fiscal_year__year=2570, kind=Round.Kind.SIX_MONTHS))
    publish(RoundFactory(organization=agency, fiscal_year__year=2569, kind=12))
    text = visible_text(client.get(public))
    six = HOST + reverse("reports:public_pdf", args=[agency.slug, 2570, 6])
    before = HOST + reverse("reports:public_pdf", args=[agency.slug, 2569, 12])
    # The measures and the 6-month report: the year's 6-month report.
    assert text.count(six) == 2
    assert before in text
    assert text.count("ยังไม่มีลิงก์") == 1
    assert selectors.completeness([agency.pk], 2570) == {agency.pk: (3, 4)}
    # A withdrawn version is no link.
    PublishedReport.objects.filter(round__kind=6).update(
        withdrawn_at="2026-12-01T00:00:00Z", withdrawal_reason="ผิด"
    )
    assert selectors.completeness([agency.pk], 2570) == {agency.pk: (1, 4)}


def test_completeness_of_many_agencies_in_a_fixed_number_of_queries(
    agency, django_assert_num_queries
):
    items = make_items(2570, 5, {5: "twelve_months"})
    others = [OrganizationFactory() for _ in range(3)]
    for item in items[:2]:
        set_link(
            user=SYSTEM, organization=agency, item=item, url="https://a.go.th/", seen_version=0
        )
    set_link(
        user=SYSTEM, organization=others[0], item=items[4], url="https://b.go.th/", seen_version=0
    )
    publish(RoundFactory(organization=others[1], fiscal_year__year=2570, kind=12))
    ids = [agency.pk] + [o.pk for o in others]
    # The items by kind, the agencies' links by kind, the published rounds (and the
    # published analyses, with the analysis app).
    with django_assert_num_queries(3):
        answer = selectors.completeness(ids, 2570)
    assert answer == {
        agency.pk: (2, 5),
        others[0].pk: (1, 5),
        others[1].pk: (1, 5),
        others[2].pk: (0, 5),
    }
    assert selectors.completeness([agency.pk], 2571) == {agency.pk: (0, 0)}


def test_the_exports_list_the_items_in_order(coordinator_of, agency):
    items = make_items(2570, 12)
    set_link(
        user=SYSTEM, organization=agency, item=items[10], url="https://a.go.th/11", seen_version=0
    )
    url = reverse("oit:export", args=[agency.slug, 2570, "csv"])
    response = coordinator_of.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="oit-tambon-test-2570.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["ข้อ", "ชื่อข้อ", "ลิงก์"]
    assert [r[0] for r in rows[1:]] == [f"O{n}" for n in range(1, 13)]  # O2 before O10
    assert rows[11] == ["O11", "ข้อทดสอบที่ 11", "https://a.go.th/11"]
    book = coordinator_of.get(reverse("oit:export", args=[agency.slug, 2570, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["ข้อ", "ชื่อข้อ", "ลิงก์"]
    assert [v[0] for v in values[1:]] == [f"O{n}" for n in range(1, 13)]
    assert values[11] == ["O11", "ข้อทดสอบที่ 11", "https://a.go.th/11"]
    assert (
        coordinator_of.get(reverse("oit:export", args=[agency.slug, 2570, "pdf"])).status_code
        == 404
    )


def test_the_pages_cost_the_same_for_3_items_as_for_30(client, coordinator_of, agency):
    """Edit page: session, user, agency, role, year, may-edit, items, links, published
    rounds, the analysis's link (cache miss), the link check's statuses of the agency's
    own links, the overseer scopes (the menu): 12.
    Public page (opened by the same signed-in person): agency, year, items, links,
    rounds, analysis, and the session, user and overseer scopes: 9."""
    third = make_items(2570, 3, {1: "six_months", 2: "analysis"})[2]
    set_link(user=SYSTEM, organization=agency, item=third, url="https://a.go.th/", seen_version=0)
    publish(RoundFactory(organization=agency, fiscal_year__year=2570, kind=6))
    counts = []
    for count in (3, 30):
        for n in range(OitItem.objects.count() + 1, count + 1):
            item = OitItem.objects.create(
                fiscal_year=FiscalYearFactory(year=2570), number=f"O{n}", order=n
            )
            set_link(
                user=SYSTEM, organization=agency, item=item, url="https://a.go.th/", seen_version=0
            )
        with CaptureQueriesContext(connection) as edit_queries:
            page = coordinator_of.get(edit_url(agency))
        assert f"ครบ {count - 1} จาก {count} ข้อ" in visible_text(page)
        with CaptureQueriesContext(connection) as public_queries:
            client.get(reverse("oit:public", args=[agency.slug, 2570]))
        counts.append((len(edit_queries), len(public_queries)))
    # The analysis's link costs one query on each page where the app is installed.
    analysis = int(selectors.public_analysis_url is not None)
    assert counts == [(11 + analysis, 8 + analysis)] * 2


def test_publishing_the_report_fills_the_measures_items(client, six, media_root):
    """The real publishing service: before it the item waits, after it the item
    links the round's stable PDF link, on the public page and in the completeness."""
    org = six.organization
    make_items(2566, 2, {1: "measures", 2: "twelve_months"})
    public = reverse("oit:public", args=[org.slug, 2566])
    assert visible_text(client.get(public)).count("ยังไม่มีลิงก์") == 2
    coordinator = member(org, Membership.Role.COORDINATOR, "coord")
    publish_round(round_=six, user=coordinator)
    text = visible_text(client.get(public))
    assert HOST + reverse("reports:public_pdf", args=[org.slug, 2566, 6]) in text
    assert text.count("ยังไม่มีลิงก์") == 1
    assert selectors.completeness([org.pk], 2566) == {org.pk: (1, 2)}
    # The link answers the published PDF.
    pdf = client.get(reverse("reports:public_pdf", args=[org.slug, 2566, 6]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    pdf.close()


def test_publishing_the_analysis_fills_its_item(client, six, media_root):
    from analysis.services import document_for, publish_analysis

    org = six.organization
    make_items(2566, 2, {1: "analysis"})
    coordinator = member(org, Membership.Role.COORDINATOR, "coord")
    assert selectors.completeness([org.pk], 2566) == {org.pk: (0, 2)}
    document = document_for(organization=org, fiscal_year=six.fiscal_year, user=coordinator)
    publish_analysis(document=document, user=coordinator)
    text = visible_text(client.get(reverse("oit:public", args=[org.slug, 2566])))
    assert HOST + reverse("analysis:public_pdf", args=[org.slug, 2566]) in text
    assert selectors.completeness([org.pk], 2566) == {org.pk: (1, 2)}


def test_the_agencys_public_page_lists_its_oit_pages(client, agency):
    make_items(2570, 1)
    make_items(2569, 1)
    RoundFactory(organization=agency, fiscal_year__year=2570, kind=6)
    page = client.get(reverse("reports:public_index", args=[agency.slug]))
    links = element_text(page, "oit-year-links")
    assert links == "ลิงก์ข้อ OIT ปีงบประมาณ 2570"  # 2569: no round of the agency
    assert reverse("oit:public", args=[agency.slug, 2570]) in page.content.decode()


def test_items_without_a_title_send_the_coordinator_to_the_manual(coordinator_of, agency):
    """A year shipped with numbers only (2569, 2570: fixtures/catalogue's README) says so
    above the rows and where the titles are, instead of 26 rows of "ไม่มีชื่อ" alone."""
    items = make_items(2570, 3)
    page = coordinator_of.get(edit_url(agency))
    assert element_text(page, "oit-untitled") is None
    OitItem.objects.filter(pk__in=[items[1].pk, items[2].pk]).update(title="")
    page = coordinator_of.get(edit_url(agency))
    note = element_text(page, "oit-untitled")
    assert "ข้อ OIT 2 จาก 3 ข้อของปีงบประมาณนี้ยังไม่มีชื่อในระบบ" in note
    assert "คู่มือการประเมิน ITA ของปีนี้ แล้วกรอกลิงก์ตามเลขข้อ" in note
