"""The limits on what a progress report carries: shown on the form, enforced by
the form (Thai message naming the field or file, what was typed kept) and by the
service on its own, and oversized requests refused before they are read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart

from measures.models import Round
from progress.models import Evidence, Progress
from progress.services import ProgressInput, save_progress
from progress.uploads import LimitedTemporaryFileUploadHandler
from testing import helpers
from testing.helpers import PDF, progress_url

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
# A long real result (the seed's longest is ~1,900; agencies write up to ~5,300).
LONG_RESULT = "ประชาสัมพันธ์ช่องทางการร้องเรียนการทุจริตผ่านเว็บไซต์และเพจของหน่วยงาน " * 75


@pytest.fixture
def round_(org):
    return Round.objects.get(organization=org, kind=12)


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    return client


def fields(client, measure, **changes):
    """The progress form as the browser sends it, with `changes` (in progress unless
    they say otherwise)."""
    return {**helpers.open_form(client, measure), "status": "in_progress", **changes}


def pdfs(count, size=None):
    body = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return [SimpleUploadedFile(f"หลักฐาน{n}.pdf", body) for n in range(1, count + 1)]


NOTHING_TYPED = ProgressInput("in_progress", None, "", "")


def refused_by_the_service(staff, measure, round_, data=NOTHING_TYPED, **attached) -> dict:
    """What the save service refuses on its own (no form in front of it): its Thai
    messages by field."""
    with pytest.raises(ValidationError) as raised:
        save_progress(
            measure=measure, round_=round_, user=staff, data=data, seen_version=0, **attached
        )
    return raised.value.message_dict


def saved(measure):
    return Progress.objects.filter(measure=measure, round__kind=12).first()


# --- Shown before anyone types --------------------------------------------------------------


def test_the_form_states_the_limits_and_loads_the_counter(logged_in, measure):
    page = logged_in.get(progress_url(measure)).content.decode()
    assert "พิมพ์ได้ไม่เกิน 10,000 ตัวอักษร" in page
    assert "พิมพ์ได้ไม่เกิน 3,000 ตัวอักษร" in page
    assert (
        "ไฟล์ละไม่เกิน 10 MB ครั้งละไม่เกิน 10 ไฟล์ รวมไม่เกิน 50 MB "
        "และแนบไว้ได้รวมไม่เกิน 20 ไฟล์ต่อรอบการรายงาน" in page
    )
    assert "ลิงก์ละไม่เกิน 1,000 ตัวอักษร รวมไม่เกิน 20 ลิงก์ต่อรอบการรายงาน" in page
    assert 'data-max-chars="10000"' in page and 'data-max-file-bytes="10485760"' in page
    assert '<script src="/static/js/progress_form.js" defer></script>' in page
    assert "<script>" not in page  # no inline script: a Content-Security-Policy is coming


# --- Text ----------------------------------------------------------------------------------


def test_a_long_real_result_is_saved(logged_in, measure):
    assert 5000 < len(LONG_RESULT.strip()) < 10_000
    response = logged_in.post(
        progress_url(measure), fields(logged_in, measure, result_text=LONG_RESULT)
    )
    assert response.status_code == 302
    assert saved(measure).result_text == LONG_RESULT.strip()


def test_a_result_past_the_limit_is_refused_and_kept(logged_in, measure):
    text = "ก" * 10_001
    response = logged_in.post(progress_url(measure), fields(logged_in, measure, result_text=text))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "รายละเอียดผลการดำเนินการยาว 10,001 ตัวอักษร เกินที่รับได้ (10,000 ตัวอักษร) "
        "กรุณาสรุปให้สั้นลง แล้วแนบรายละเอียดเป็นไฟล์หลักฐาน" in page
    )
    assert text in page  # still in the text box
    assert saved(measure) is None


def test_line_breaks_count_once_as_the_counter_counts_them(logged_in, measure, settings):
    settings.MAX_RESULT_CHARS = 10
    text = "ก\r\nข\r\nค\r\nง\r\nจ"  # 9 characters as typed; the browser sends 13
    response = logged_in.post(progress_url(measure), fields(logged_in, measure, result_text=text))
    assert response.status_code == 302


def test_a_long_reason_is_refused(logged_in, measure):
    data = fields(logged_in, measure, status="cannot", cannot_reason="เหตุผล" * 600)
    page = logged_in.post(progress_url(measure), data).content.decode()
    assert "เหตุผลที่ดำเนินการไม่ได้ยาว 3,600 ตัวอักษร เกินที่รับได้ (3,000 ตัวอักษร)" in page


def test_the_service_refuses_long_text_on_its_own(staff, measure, round_):
    refused = refused_by_the_service(
        staff, measure, round_, data=ProgressInput("cannot", None, "ก" * 10_001, "ข" * 3_001)
    )
    assert set(refused) == {"result_text", "cannot_reason"}
    assert "ยาว 10,001 ตัวอักษร" in refused["result_text"][0]
    assert saved(measure) is None


# --- Links ---------------------------------------------------------------------------------

LONG_LINK = "https://www.ubonpao.go.th/ita/" + "o42-" * 300  # 1,230 characters


def test_a_link_past_1000_characters_gets_a_thai_message_and_is_kept(logged_in, measure):
    data = fields(logged_in, measure, result_text="ผลที่พิมพ์ไว้", links=LONG_LINK)
    response = logged_in.post(progress_url(measure), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "ลิงก์บรรทัดที่ 1 ยาว 1,230 ตัวอักษร เกินที่รับได้ (1,000 ตัวอักษร): "
        "“https://www.ubonpao.go.th/ita/o42-o42-o42-o42-o42-o42-o42-o4…”" in page
    )
    assert LONG_LINK in page and "ผลที่พิมพ์ไว้" in page
    assert saved(measure) is None


def test_the_service_refuses_a_long_link_instead_of_a_database_error(staff, measure, round_):
    refused = refused_by_the_service(
        staff, measure, round_, links=[LONG_LINK, "javascript:alert(1)"]
    )
    assert refused["links"] == [
        "ลิงก์บรรทัดที่ 1 ยาว 1,230 ตัวอักษร เกินที่รับได้ (1,000 ตัวอักษร): "
        "“https://www.ubonpao.go.th/ita/o42-o42-o42-o42-o42-o42-o42-o4…” "
        "กรุณาใช้ลิงก์ที่สั้นกว่านี้ เช่น ลิงก์หน้าเว็บของหน่วยงานที่รวบรวมหลักฐานไว้",
        "ลิงก์บรรทัดที่ 2 “javascript:alert(1)” ไม่ใช่ลิงก์เว็บที่ถูกต้อง",
    ]
    assert not Evidence.objects.exists()


def test_links_per_round_count_what_is_already_attached(logged_in, measure, settings):
    settings.MAX_EVIDENCE_LINKS = 2
    first = fields(logged_in, measure, links="https://a.go.th/1\nhttps://a.go.th/2")
    assert logged_in.post(progress_url(measure), first).status_code == 302
    page = logged_in.post(
        progress_url(measure), fields(logged_in, measure, links="https://a.go.th/3")
    ).content.decode()
    assert "แนบลิงก์ได้ไม่เกิน 2 ลิงก์ต่อรอบการรายงาน (มีอยู่แล้ว 2 ลิงก์ เพิ่มใหม่ 1 ลิงก์)" in page
    # Removing one in the same save makes room.
    data = fields(logged_in, measure, links="https://a.go.th/3")
    data["remove_evidence"] = [str(Evidence.objects.get(url="https://a.go.th/1").pk)]
    assert logged_in.post(progress_url(measure), data).status_code == 302
    assert sorted(Evidence.objects.values_list("url", flat=True)) == [
        "https://a.go.th/2",
        "https://a.go.th/3",
    ]


# --- Files ---------------------------------------------------------------------------------


def test_too_many_files_in_one_request(logged_in, measure, media_root):
    data = fields(logged_in, measure, result_text="ผลที่พิมพ์ไว้", files=pdfs(11))
    page = logged_in.post(progress_url(measure), data).content.decode()
    assert "แนบไฟล์ได้ครั้งละไม่เกิน 10 ไฟล์ (เลือกไว้ 11 ไฟล์) กรุณาแบ่งแนบหลายครั้ง" in page
    assert "ผลที่พิมพ์ไว้" in page
    assert saved(measure) is None


def test_files_per_round_count_what_is_already_attached(logged_in, measure, media_root, settings):
    settings.MAX_EVIDENCE_FILES = 2
    assert (
        logged_in.post(progress_url(measure), fields(logged_in, measure, files=pdfs(2))).status_code
        == 302
    )
    page = logged_in.post(
        progress_url(measure), fields(logged_in, measure, files=pdfs(1))
    ).content.decode()
    assert (
        "แนบไฟล์ได้ไม่เกิน 2 ไฟล์ต่อรอบการรายงาน (มีอยู่แล้ว 2 ไฟล์ เพิ่มใหม่ 1 ไฟล์) "
        "กรุณาลบไฟล์เดิมที่ไม่ใช้แล้ว หรือรวมเป็นไฟล์ PDF เดียว" in page
    )
    assert Evidence.objects.count() == 2


def test_the_total_size_of_one_request(logged_in, measure, media_root, settings):
    settings.MAX_UPLOAD_TOTAL_BYTES = 3 * MB
    data = fields(logged_in, measure, files=pdfs(2, size=2 * MB))
    page = logged_in.post(progress_url(measure), data).content.decode()
    assert "ไฟล์ที่เลือกมีขนาดรวม 4 MB เกินที่ส่งได้ต่อครั้ง (3 MB) กรุณาแบ่งแนบหลายครั้ง" in page
    assert saved(measure) is None


def test_the_service_counts_files_on_its_own(staff, measure, round_, media_root, settings):
    settings.MAX_FILES_PER_REQUEST = 1
    refused = refused_by_the_service(staff, measure, round_, files=pdfs(2))
    assert refused["files"] == ["แนบไฟล์ได้ครั้งละไม่เกิน 1 ไฟล์ (เลือกไว้ 2 ไฟล์) กรุณาแบ่งแนบหลายครั้ง"]
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


class MeasuredPayload(FakePayload):
    """The request body as a network would deliver it, noting after each read how
    many bytes the upload handlers keep in the temporary-file folder."""

    def __init__(self, body, folder):
        super().__init__(body)
        self.folder = folder
        self.peak = 0

    def read(self, size=-1, /):
        content = super().read(size)
        kept = sum(p.stat().st_size for p in self.folder.iterdir() if p.is_file())
        self.peak = max(self.peak, kept)
        return content


def test_an_oversized_file_is_not_kept_and_named_in_the_form(
    logged_in, measure, media_root, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    data = fields(logged_in, measure, result_text="ผลที่พิมพ์ไว้")
    data["files"] = SimpleUploadedFile("ภาพถ่ายทั้งหมด.pdf", PDF + b"0" * (12 * MB))
    body = encode_multipart(BOUNDARY, data)
    payload = MeasuredPayload(body, tmp_path / "uploads")
    response = logged_in.generic(
        "POST",
        progress_url(measure),
        body,
        content_type=MULTIPART_CONTENT,
        **{"wsgi.input": payload},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ไฟล์ “ภาพถ่ายทั้งหมด.pdf” มีขนาด 12 MB ใหญ่เกินที่รับได้ (ไฟล์ละไม่เกิน 10 MB)" in page
    assert "ผลที่พิมพ์ไว้" in page  # the fields after the file arrived too
    assert payload.peak <= settings.MAX_UPLOAD_BYTES  # never the whole 12 MB on disk
    assert not list((tmp_path / "uploads").iterdir())
    assert saved(measure) is None


def test_the_upload_handler_stops_storing_past_the_limit(settings, rf, tmp_path):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = LimitedTemporaryFileUploadHandler(rf.post("/"))
    handler.new_file("files", "ใหญ่.pdf", "application/pdf", None)
    start = 0
    for _ in range(10):  # 10 chunks of 64 KiB: 640 KiB
        chunk = b"x" * 65536
        handler.receive_data_chunk(chunk, start)
        start += len(chunk)
        assert sum(p.stat().st_size for p in tmp_path.iterdir()) <= 100_000
    refused = handler.file_complete(start)
    assert (refused.name, refused.size, refused.too_large) == ("ใหญ่.pdf", 655_360, True)
    assert refused.read() == b""
    assert not list(tmp_path.iterdir())  # the partial temporary file is gone


# --- Refused before the form is read ---------------------------------------------------------


class UnreadBody(FakePayload):
    def read(self, size=-1, /):
        raise AssertionError("the body was read")

    readline = read


def test_a_request_past_the_hard_cap_is_answered_413_unread(logged_in, measure):
    response = logged_in.generic(
        "POST",
        progress_url(measure),
        b"x",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": UnreadBody(b"x")},
    )
    page = response.content.decode()
    assert response.status_code == 413
    assert "ข้อมูลที่ส่งมามีขนาด 300 MB เกินที่ระบบรับได้ต่อครั้ง (52 MB)" in page
    assert "แนบไฟล์ได้ไฟล์ละไม่เกิน 10 MB ครั้งละไม่เกิน 10 ไฟล์ รวมไม่เกิน 50 MB" in page
    assert "somchai" in page  # the portal's own page, for the signed-in user
    assert saved(measure) is None


def test_thirty_large_files_are_refused_before_reading(logged_in, measure):
    # 30 × 9.9 MB, the reported case: the Content-Length alone refuses it.
    length = 30 * int(9.9 * MB)
    response = logged_in.generic(
        "POST",
        progress_url(measure),
        b"x",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadBody(b"x")},
    )
    assert response.status_code == 413


def test_more_files_than_django_accepts_get_a_thai_page(logged_in, measure, settings):
    settings.MAX_FILES_PER_REQUEST = 2
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    # Past the form's limit but within Django's: the form names it, keeping the text.
    page = logged_in.post(
        progress_url(measure), fields(logged_in, measure, result_text="ผลที่พิมพ์ไว้", files=pdfs(3))
    ).content.decode()
    assert "แนบไฟล์ได้ครั้งละไม่เกิน 2 ไฟล์ (เลือกไว้ 3 ไฟล์)" in page and "ผลที่พิมพ์ไว้" in page
    # Past Django's ceiling: TooManyFilesSent, answered in Thai.
    response = logged_in.post(progress_url(measure), fields(logged_in, measure, files=pdfs(4)))
    assert response.status_code == 413
    assert "แนบไฟล์มาในครั้งเดียวมากเกินไป (รับได้ครั้งละไม่เกิน 2 ไฟล์)" in response.content.decode()
    assert saved(measure) is None


def test_fields_past_djangos_memory_limit_get_a_thai_page(logged_in, measure, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    data = fields(logged_in, measure, result_text="ก" * 4000)  # 12,000 bytes of UTF-8
    response = logged_in.post(progress_url(measure), data)
    assert response.status_code == 413
    assert "ข้อความที่ส่งมายาวเกินที่ระบบรับได้ต่อครั้ง" in response.content.decode()


def test_a_broken_multipart_body_gets_a_thai_page(logged_in, measure):
    response = logged_in.generic(
        "POST", progress_url(measure), b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "ข้อมูลที่ส่งมาไม่ครบหรือเสียหาย" in response.content.decode()
