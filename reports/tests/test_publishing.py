import hashlib
import threading

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from measures.models import Measure, Round
from organizations.models import Membership
from organizations.services import add_member
from reports.models import PublishedReport
from reports.services import publish_round
from testing.factories import OrganizationFactory, UserFactory, member
from testing.pages import element_text, visible_text
from testing.pdftext import pdf_text, squash

# Every test writes its files (published PDFs) in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
# Jobs (publishing, draft PDFs) are sent once their row is committed, as in production:
# these tests commit (no wrapping transaction), and without a broker each job runs at
# once in the request that starts it.
run_jobs = pytest.mark.django_db(transaction=True)
# The confirmation page's button: publishing asks first (test_publishing_asks_first).
CONFIRM = {"confirm": "1"}


def urls(round_):
    args = [round_.organization.slug, round_.fiscal_year.year, round_.kind]
    return {
        "page": reverse("reports:page", args=args),
        "pdf": reverse("reports:pdf", args=args),
        "publish": reverse("reports:publish", args=args),
        "public": reverse("reports:public_pdf", args=args),
        "index": reverse("reports:public_index", args=[round_.organization.slug]),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@run_jobs
def test_publish_then_edit_then_publish_again(client, six):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    u = urls(six)
    client.force_login(coordinator)
    assert client.get(u["public"]).status_code == 404  # nothing published yet

    response = client.post(u["publish"], CONFIRM, follow=True)
    assert "เผยแพร่รายงานฉบับที่ 1 แล้ว" in response.content.decode()
    first = PublishedReport.objects.get()
    client.logout()

    served = client.get(u["public"])
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    v1 = body(served)
    assert hashlib.sha256(v1).hexdigest() == first.sha256
    assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in squash(pdf_text(v1))

    # A later edit never changes the published file.
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "จัดทำประมวลจริยธรรมฉบับปรับปรุง"
    step.save()
    assert body(client.get(u["public"])) == v1

    client.force_login(coordinator)
    client.post(u["publish"], CONFIRM)
    client.logout()
    second = PublishedReport.objects.get(version=2)
    v2 = body(client.get(u["public"]))
    assert hashlib.sha256(v2).hexdigest() == second.sha256 != first.sha256
    assert "จัดทำประมวลจริยธรรมฉบับปรับปรุง" in squash(pdf_text(v2))
    old = client.get(reverse("reports:public_version", args=[six.organization.slug, 2566, 6, 1]))
    assert body(old) == v1

    index = client.get(u["index"]).content.decode()
    assert first.sha256 in index and second.sha256 in index
    assert "ฉบับที่ 2" in index


# --- Publishing as a job -------------------------------------------------------------


def refreshes(html: str) -> bool:
    return '<meta http-equiv="refresh"' in html


def job_status(page) -> str | None:
    """What the report page says of the publishing job it follows (None: no job shown)."""
    return element_text(page, "publish-job")


@run_jobs
def test_publishing_is_a_job_that_the_report_page_follows(client, six):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    client.force_login(coordinator)
    response = client.post(urls(six)["publish"], CONFIRM)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{urls(six)['page']}?job={job.pk}"
    # Without a broker the job ran at once, so the page already tells its outcome.
    page = client.get(response["Location"]).content.decode()
    assert job_status(page) == "เผยแพร่รายงานฉบับที่ 1 แล้ว ลิงก์สาธารณะแสดงฉบับนี้ตั้งแต่บัดนี้"
    assert not refreshes(page)
    job.refresh_from_db()
    report = PublishedReport.objects.get()
    assert (job.state, job.result_id, job.requested_by) == ("done", report.pk, coordinator)
    assert job.task_id and job.created_at <= job.started_at <= job.finished_at


def test_while_the_job_waits_the_page_says_so_and_a_second_press_follows_it(
    client, six, django_capture_on_commit_callbacks
):
    first = member(six.organization, Membership.Role.COORDINATOR, "first")
    second = member(six.organization, Membership.Role.COORDINATOR, "second")
    client.force_login(first)
    # The jobs are sent once the request's rows are committed; here they wait, as
    # they would for a busy worker, until the test runs them.
    with django_capture_on_commit_callbacks() as sent:
        followed = client.post(urls(six)["publish"], CONFIRM)["Location"]
        page = client.get(followed).content.decode()
        assert job_status(page) == "กำลังเผยแพร่… (รอคิว) หน้านี้จะแสดงผลเองเมื่อเผยแพร่เสร็จ"
        assert '<meta http-equiv="refresh" content="3">' in page
        # Someone else opening the report sees it too.
        client.force_login(second)
        assert "กำลังเผยแพร่…" in job_status(client.get(urls(six)["page"]).content.decode())
        again = client.post(urls(six)["publish"], CONFIRM, follow=True)
    assert again.redirect_chain[-1][0] == followed
    assert "รายงานรอบนี้กำลังเผยแพร่อยู่แล้ว หน้านี้แสดงงานนั้นแทนการเริ่มใหม่" in (again.content.decode())
    assert Job.objects.count() == 1 and len(sent) == 1

    sent[0]()  # the worker takes the job
    page = client.get(followed).content.decode()
    assert job_status(page).startswith("เผยแพร่รายงานฉบับที่ 1 แล้ว")
    assert not refreshes(page)
    assert PublishedReport.objects.get().version == 1
    # Without the job in the address, a finished job is no longer shown.
    assert job_status(client.get(urls(six)["page"])) is None


def test_a_coordinator_who_lost_the_role_before_the_job_ran_publishes_nothing(
    client, six, media_root, django_capture_on_commit_callbacks
):
    coordinator = member(
        six.organization,
        Membership.Role.COORDINATOR,
        "coord",
        first_name="สมหญิง",
        last_name="ตรวจงาน",
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks() as sent:
        followed = client.post(urls(six)["publish"], CONFIRM)["Location"]
    # Before the worker takes the job, the person becomes an executive.
    add_member(member=coordinator, organization=six.organization, role=Membership.Role.EXECUTIVE)
    sent[0]()
    page = client.get(followed).content.decode()
    assert job_status(page) == (
        "เผยแพร่ไม่สำเร็จ: เมื่องานเริ่มทำ สมหญิง ตรวจงาน ไม่มีสิทธิ์เผยแพร่รายงานของ"
        "องค์การบริหารส่วนจังหวัดอุบลราชธานี แล้ว "
        "ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง"
    )
    assert not refreshes(page)
    assert not PublishedReport.objects.exists()
    assert not (media_root / "published").exists()


@run_jobs
def test_a_publication_the_storage_refuses_fails_in_thai_and_leaves_nothing(
    client, six, settings, tmp_path
):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    client.force_login(coordinator)
    # A storage that refuses every write: its folder would have to be made inside a file.
    (tmp_path / "a-file").write_bytes(b"")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    page = client.post(urls(six)["publish"], CONFIRM, follow=True).content.decode()
    assert job_status(page) == (
        "เผยแพร่ไม่สำเร็จ: บันทึกไฟล์ลงที่เก็บไฟล์ไม่ได้ "
        "กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ "
        "ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง"
    )
    assert not PublishedReport.objects.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
    # Once the storage takes files again, nothing stands in the way.
    settings.MEDIA_ROOT = tmp_path / "media"
    page = client.post(urls(six)["publish"], CONFIRM, follow=True).content.decode()
    assert job_status(page).startswith("เผยแพร่รายงานฉบับที่ 1 แล้ว")


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Membership.Role.STAFF, 403), (Membership.Role.EXECUTIVE, 403), (None, 404)],
)
def test_only_the_coordinator_may_publish(client, six, role, expected):
    if role:
        user = member(six.organization, role, "someone")
    else:
        user = member(OrganizationFactory(), Membership.Role.COORDINATOR, "other-coord")
    client.force_login(user)
    assert client.post(urls(six)["publish"], CONFIRM).status_code == expected
    assert not PublishedReport.objects.exists()


def test_superuser_may_read_but_not_publish(client, six):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(urls(six)["page"]).status_code == 200
    assert client.post(urls(six)["publish"], CONFIRM).status_code == 403


def test_the_public_never_sees_unpublished_data(client, six):
    u = urls(six)
    assert client.get(u["page"]).status_code == 302  # to the login page
    assert client.get(u["pdf"]).status_code == 302
    assert client.post(u["publish"], CONFIRM).status_code == 302
    assert client.get(u["public"]).status_code == 404
    assert "ยังไม่มีรายงานที่เผยแพร่" in client.get(u["index"]).content.decode()


@run_jobs
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Membership.Role.COORDINATOR, 200),
        (Membership.Role.EXECUTIVE, 200),
        (Membership.Role.STAFF, 403),
    ],
)
def test_draft_report_by_role(client, six, role, expected):
    client.force_login(member(six.organization, role, "person"))
    u = urls(six)
    page = client.get(u["page"])
    assert page.status_code == expected
    if expected == 200:
        html = page.content.decode()
        assert "จัดทำประมวลจริยธรรมสำหรับเจ้าหน้าที่" in visible_text(page)
        assert ("เผยแพร่รายงานฉบับนี้" in html) == (role == Membership.Role.COORDINATOR)
        pdf = client.get(u["pdf"])
        assert pdf["Content-Type"] == "application/pdf"
        assert body(pdf).startswith(b"%PDF")


def test_another_organizations_member_gets_404(client, six):
    client.force_login(member(OrganizationFactory(), Membership.Role.EXECUTIVE, "outsider"))
    assert client.get(urls(six)["page"]).status_code == 404
    assert client.get(urls(six)["pdf"]).status_code == 404


@run_jobs
def test_coordinator_downloads_the_pdf_from_the_admin(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    listing = client.get(reverse("admin:measures_round_changelist")).content.decode()
    pdf_url = urls(six)["pdf"]
    assert f'href="{pdf_url}"' in listing
    assert body(client.get(pdf_url)).startswith(b"%PDF")


def test_coordinator_is_warned_of_unapproved_results_before_publishing(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    page = client.get(urls(six)["page"]).content.decode()
    assert 'id="unapproved"' not in page  # the seed's results are approved
    twelve = Round.objects.get(organization=six.organization, kind=12)
    page = client.get(urls(twelve)["page"]).content.decode()
    assert "ผลการดำเนินการ 8 จาก 8 มาตรการยังไม่ได้อนุมัติ" in page


@run_jobs
def test_public_page_shows_the_stable_link_to_copy(client, six):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    client.post(urls(six)["publish"], CONFIRM)
    client.logout()
    page = client.get(urls(six)["index"]).content.decode()
    assert f"http://testserver{urls(six)['public']}" in page


# --- Races and failures: versions n and n+1, never a file without its row ---------

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs two connections with open transactions, or a commit-time failure",
)


def stored_files(media_root) -> list:
    return sorted(p for p in (media_root / "published").rglob("*") if p.is_file())


def refuse_publications(when: str):
    """A database that refuses to store a publication, `when` = "insert" or "commit"."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert when == "insert"
            cursor.execute(
                "CREATE TRIGGER refuse_publication BEFORE INSERT ON reports_publishedreport "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
            return
        cursor.execute(
            "CREATE FUNCTION refuse_publication() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
        )
        timing = "DEFERRABLE INITIALLY DEFERRED" if when == "commit" else ""
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER refuse_publication AFTER INSERT "
            f"ON reports_publishedreport {timing} FOR EACH ROW "
            "EXECUTE FUNCTION refuse_publication()"
        )


def allow_publications():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS refuse_publication")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS refuse_publication ON reports_publishedreport")
            cursor.execute("DROP FUNCTION IF EXISTS refuse_publication()")


def test_a_publication_the_database_refuses_leaves_no_file(six, media_root):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    refuse_publications("insert")
    try:
        with pytest.raises(DatabaseError, match="refused by the test"):
            publish_round(round_=six, user=coordinator)
    finally:
        allow_publications()
    assert not PublishedReport.objects.exists()
    assert stored_files(media_root) == []
    # Nothing is in the way of the next attempt.
    assert publish_round(round_=six, user=coordinator).version == 1
    assert len(stored_files(media_root)) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_publication_whose_commit_fails_leaves_no_file(six, media_root):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    refuse_publications("commit")
    try:
        with pytest.raises(DatabaseError, match="refused by the test"):
            publish_round(round_=six, user=coordinator)
    finally:
        allow_publications()
    assert not PublishedReport.objects.exists()
    assert stored_files(media_root) == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_publish_at_the_same_moment(six, media_root):
    """The service (which the publishing job calls) from two connections at once:
    the round's lock makes them one after the other."""
    people = [member(six.organization, Membership.Role.COORDINATOR, name) for name in ("a", "b")]
    start = threading.Barrier(2)
    versions, errors = [], []

    def publish(user):
        try:
            start.wait(10)
            versions.append(publish_round(round_=six, user=user).version)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert errors == []
    # The second waited for the first and found the same report published: it makes
    # no new version (publishing unchanged content), and no second file.
    assert versions == [1, 1]
    report = PublishedReport.objects.get()
    assert report.published_by.username in ("a", "b")
    files = stored_files(media_root)
    assert len(files) == 1
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == report.sha256


@pytest.mark.parametrize(("year", "kind"), [(2566, 7), (2566, 10**20), (10**20, 6)])
def test_publishing_a_round_that_does_not_exist_is_404(client, six, year, kind):
    client.force_login(member(six.organization, Membership.Role.COORDINATOR, "coord"))
    url = reverse("reports:publish", args=[six.organization.slug, year, kind])
    assert client.post(url, CONFIRM).status_code == 404
    assert not PublishedReport.objects.exists()


# --- Asking first, unchanged content, withdrawing -----------------------------------------


@run_jobs
def test_publishing_asks_first_and_says_what_it_will_do(client, six):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    client.force_login(coordinator)
    u = urls(six)
    page = client.get(u["page"]).content.decode()
    assert f'href="{u["publish"]}"' in page  # the button leads to the confirmation
    for response in (client.get(u["publish"]), client.post(u["publish"])):
        html = response.content.decode()
        assert response.status_code == 200
        assert "ยืนยันการเผยแพร่รายงาน" in html and "จะเผยแพร่เป็นฉบับที่ 1" in html
        assert "ยืนยันเผยแพร่ฉบับที่ 1" in html
    assert not Job.objects.exists() and not PublishedReport.objects.exists()

    page = client.post(u["publish"], CONFIRM, follow=True).content.decode()
    assert job_status(page).startswith("เผยแพร่รายงานฉบับที่ 1 แล้ว")

    # Nothing changed since: the page says so, and confirming makes no new version.
    html = client.get(u["publish"]).content.decode()
    assert "รายงานไม่มีการเปลี่ยนแปลงจากฉบับที่ 1" in html
    assert "ยืนยัน (ไม่สร้างฉบับใหม่)" in html
    page = client.post(u["publish"], CONFIRM, follow=True).content.decode()
    assert job_status(page).startswith("ไม่มีการเปลี่ยนแปลงจากฉบับที่ 1 ")
    assert "จึงไม่ได้สร้างฉบับใหม่ ลิงก์สาธารณะยังแสดงฉบับที่ 1" in job_status(page)
    assert PublishedReport.objects.count() == 1

    # Results not yet approved are named before publishing the 12-month round.
    twelve = Round.objects.get(organization=six.organization, kind=12)
    html = client.get(urls(twelve)["publish"]).content.decode()
    assert "ผลการดำเนินการ 8 จาก 8 มาตรการยังไม่ได้อนุมัติ" in html


def test_unchanged_content_is_not_published_again(six, media_root):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    first = publish_round(round_=six, user=coordinator)
    assert first.is_new and first.version == 1 and len(first.content_sha256) == 64
    again = publish_round(round_=six, user=coordinator)
    assert (again.pk, again.is_new) == (first.pk, False)
    assert len(stored_files(media_root)) == 1
    # A change to what the report prints makes a new version.
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "จัดทำประมวลจริยธรรมฉบับปรับปรุง"
    step.save()
    second = publish_round(round_=six, user=coordinator)
    assert (second.version, second.is_new) == (2, True)
    assert second.content_sha256 != first.content_sha256


@run_jobs
def test_a_version_is_withdrawn_with_a_reason_and_stays_listed(client, six, media_root):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    first = publish_round(round_=six, user=coordinator)
    step = Measure.objects.get(organization=six.organization, order=1).steps.get(number=1)
    step.text = "ข้อความที่พิมพ์ผิด"
    step.save()
    second = publish_round(round_=six, user=coordinator)
    u = urls(six)
    args = [six.organization.slug, 2566, 6]
    withdraw = reverse("reports:withdraw", args=[*args, 2])
    v1 = body(client.get(reverse("reports:public_version", args=[*args, 1])))
    v2 = body(client.get(u["public"]))
    assert hashlib.sha256(v2).hexdigest() == second.sha256

    client.force_login(coordinator)
    page = client.get(u["page"]).content.decode()
    assert f'href="{withdraw}"' in page
    form = client.get(withdraw).content.decode()
    assert "ลิงก์สาธารณะ (ฉบับล่าสุด) จะแสดงฉบับที่ 1" in form
    # A reason is required; what was typed is kept when refused.
    response = client.post(withdraw, {"reason": "   "})
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลที่ถอนการเผยแพร่" in response.content.decode()
    response = client.post(withdraw, {"reason": "ก" * 1001})
    assert "เหตุผลยาวได้ไม่เกิน 1,000 ตัวอักษร (ที่พิมพ์มา 1,001 ตัวอักษร)" in (response.content.decode())
    assert "ก" * 1001 in response.content.decode()
    assert PublishedReport.objects.get(version=2).withdrawn_at is None

    reason = "ขั้นตอนที่ 1 ของมาตรการที่ 1 พิมพ์ผิด"
    response = client.post(withdraw, {"reason": reason}, follow=True)
    assert "ถอนการเผยแพร่รายงานฉบับที่ 2 แล้ว" in response.content.decode()
    second.refresh_from_db()
    assert (second.withdrawal_reason, second.withdrawn_by) == (reason, coordinator)
    assert second.withdrawn_at is not None
    # Withdrawing it again is refused in Thai.
    again = client.post(withdraw, {"reason": "อีกครั้ง"})
    assert "รายงานฉบับที่ 2 ถอนการเผยแพร่แล้วเมื่อ" in again.content.decode()
    client.logout()

    # The stable link serves version 1 again; version 2 stays listed and readable.
    with first.pdf.open("rb") as stored:
        assert body(client.get(u["public"])) == v1 == stored.read()
    assert body(client.get(reverse("reports:public_version", args=[*args, 2]))) == v2
    index = client.get(u["index"]).content.decode()
    assert "ถอนการเผยแพร่แล้ว" in index and f"เหตุผล: {reason}" in index
    assert first.sha256 in index and second.sha256 in index
    assert (media_root / second.pdf.name).exists()  # kept for the record

    # Publishing the same content again makes a new version: the newest one that is
    # served (version 1) was made from other content.
    third = publish_round(round_=six, user=coordinator)
    assert (third.version, third.is_new, third.content_sha256) == (3, True, second.content_sha256)

    # Every version withdrawn: the stable link answers 404 and the page says why.
    for report in PublishedReport.objects.filter(withdrawn_at__isnull=True):
        report.withdrawn_at, report.withdrawal_reason = timezone.now(), "ทดสอบ"
        report.withdrawn_by = coordinator
        report.save()
    assert client.get(u["public"]).status_code == 404
    assert "ทุกฉบับของรอบนี้ถอนการเผยแพร่แล้ว" in client.get(u["index"]).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Membership.Role.STAFF, 403), (Membership.Role.EXECUTIVE, 403), (None, 404)],
)
def test_only_the_coordinator_may_withdraw(client, six, role, expected):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    report = publish_round(round_=six, user=coordinator)
    if role:
        user = member(six.organization, role, "someone")
    else:
        user = member(OrganizationFactory(), Membership.Role.COORDINATOR, "other-coord")
    client.force_login(user)
    url = reverse("reports:withdraw", args=[six.organization.slug, 2566, 6, 1])
    assert client.post(url, {"reason": "ไม่ชอบ"}).status_code == expected
    report.refresh_from_db()
    assert not report.withdrawn


@run_jobs
def test_republishing_what_was_withdrawn_says_so_and_asks(client, six):
    coordinator = member(six.organization, Membership.Role.COORDINATOR, "coord")
    first = publish_round(round_=six, user=coordinator)
    reason = "พิมพ์ผลของมาตรการที่ 2 ผิด"
    client.force_login(coordinator)
    withdraw = reverse("reports:withdraw", args=[six.organization.slug, 2566, 6, 1])
    client.post(withdraw, {"reason": reason})
    u = urls(six)

    # Nothing was changed since: the page names the withdrawn version and its reason.
    html = client.get(u["publish"]).content.decode()
    warning = element_text(html, "publish-repeats-withdrawn")
    assert "เนื้อหาของรายงานเหมือนฉบับที่ 1 ทุกประการ" in warning and reason in warning
    assert "ยืนยันว่าต้องการเผยแพร่เนื้อหาเดียวกับฉบับที่ 1 ที่ถอนไปแล้วอีกครั้ง" in html

    # Confirming without saying so publishes nothing and asks again.
    response = client.post(u["publish"], CONFIRM)
    assert response.status_code == 400
    assert "กรุณาทำเครื่องหมายยืนยันก่อน หรือแก้ไขรายงานแล้วกลับมาเผยแพร่" in response.content.decode()
    assert not Job.objects.exists() and PublishedReport.objects.count() == 1

    # Said so: version 2, with the same content as the withdrawn version 1.
    page = client.post(u["publish"], {**CONFIRM, "republish_withdrawn": "1"}, follow=True)
    assert job_status(page.content.decode()).startswith("เผยแพร่รายงานฉบับที่ 2 แล้ว")
    second = PublishedReport.objects.get(version=2)
    assert second.content_sha256 == first.content_sha256

    # After a change the question is not asked.
    step = Measure.objects.get(organization=six.organization, order=2).steps.get(number=1)
    step.text = "แก้ไขข้อความแล้ว"
    step.save()
    assert "publish-repeats-withdrawn" not in client.get(u["publish"]).content.decode()
