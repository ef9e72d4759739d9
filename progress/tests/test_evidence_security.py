"""Evidence files cannot become pages on the portal's origin: the content decides
the type, the name must agree with it, markup is refused, the portal names the
stored file, and the only way out is the access-checked view, as an attachment
a browser must not sniff or run."""

import importlib
import io
import random
import struct
import zipfile
import zlib
from pathlib import PurePath

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from PIL import Image

from measures.models import Round
from organizations.models import Division, Membership
from progress.evidence import check_upload
from progress.models import DivisionPart, Evidence, Progress
from progress.services import ProgressInput, save_progress
from testing import helpers
from testing.factories import member
from testing.forms import form_data
from testing.helpers import PDF

pytestmark = pytest.mark.django_db

POLYGLOT = b"GIF89a<html><script>fetch('/').then(r => r.text()).then(alert)</script></html>"
MARKUP_REFUSED = (
    "ไฟล์ “{}” มีข้อความแบบหน้าเว็บ (HTML, SVG, XML หรือสคริปต์) ปนอยู่ "
    "ระบบไม่รับไฟล์ลักษณะนี้เพื่อความปลอดภัย กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        check_upload(SimpleUploadedFile(name, content))
    return raised.value.messages[0]


def docx(*, stored: bool) -> bytes:
    """A minimal Word file; `stored` leaves its XML uncompressed, readable in the bytes."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p/></w:body></w:document>',
        )
    return buffer.getvalue()


def image_bytes(format: str, size=(64, 48), **options) -> bytes:
    """A real picture, of noise (that PNG cannot pack smaller than its pixels)."""
    image = Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


# --- The checks, called directly --------------------------------------------------------


@pytest.mark.parametrize("name", ["ภาพ.gif", "ภาพ.html"])
def test_a_gif_that_carries_a_page_is_refused(name):
    assert refusal(name, POLYGLOT) == MARKUP_REFUSED.format(name)


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "ผัง.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 200 + b'<svg xmlns="http://www.w3.org/2000/svg">',
        ),
        ("รายงาน.pdf", b"%PDF-1.4\n<!DOCTYPE html><p>hi"),
        ("ภาพ.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50 + b"<ScRiPt src=//evil.example>"),
        ("ภาพ.gif", b"GIF87a" + b"\x01" * 3000 + b"<IFRAME/src=x>"),
        ("รายงาน.pdf", b"%PDF-1.7\n<?xml version='1.0'?><x/>"),
    ],
    ids=["svg-after-png", "doctype-in-pdf", "mixed-case-script", "iframe-3kb-in", "xml-in-pdf"],
)
def test_markup_after_a_valid_magic_number_is_refused(name, content):
    assert refusal(name, content) == MARKUP_REFUSED.format(name)


def test_a_pdf_named_html_is_refused_naming_the_file():
    assert refusal("report.html", PDF) == (
        "ไฟล์ “report.html” เป็นไฟล์ PDF แต่ชื่อไฟล์ลงท้ายด้วย “.html” "
        "ชื่อไฟล์ชนิดนี้ต้องลงท้ายด้วย .pdf กรุณาแก้ชื่อไฟล์ให้ตรงกับชนิดของไฟล์แล้วแนบใหม่"
    )
    assert "แต่ชื่อไฟล์ไม่มีนามสกุล" in refusal("report", PDF)
    assert "ต้องลงท้ายด้วย .docx" in refusal("สรุป.xlsx", docx(stored=False))


def test_the_name_agrees_with_the_type_in_any_case():
    assert check_upload(SimpleUploadedFile("รายงาน.PDF", PDF)).extension == ".pdf"
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert check_upload(SimpleUploadedFile("งบ.XLS", legacy)).content_type == (
        "application/vnd.ms-excel"
    )
    assert check_upload(SimpleUploadedFile("บันทึก.doc", legacy)).content_type == (
        "application/msword"
    )


def test_office_files_whose_xml_is_readable_are_not_mistaken_for_pages():
    # Every part of a .docx is XML; stored uncompressed it shows in the bytes.
    assert check_upload(SimpleUploadedFile("บันทึก.docx", docx(stored=True))).extension == ".docx"


def test_photo_metadata_is_not_mistaken_for_a_page():
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF><rdf:Description><dc:title><rdf:Alt><rdf:li xml:lang="x-default">ป้าย'
        "</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    segment = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    app1 = b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment
    photo = image_bytes("JPEG")
    jpeg = photo[:2] + app1 + photo[2:]  # as a camera writes it: right after the start
    assert check_upload(SimpleUploadedFile("ภาพกิจกรรม.jpg", jpeg)).content_type == "image/jpeg"


# --- Through the progress form and the service --------------------------------------------


def post_form(client, measure, **fields):
    return helpers.report(client, measure, status="in_progress", **fields)


def test_the_polyglot_is_refused_by_the_form_and_nothing_is_saved(
    client, staff, measure, media_root
):
    client.force_login(staff)
    response = post_form(
        client,
        measure,
        result_text="แนบรูปกิจกรรม",
        files=SimpleUploadedFile("กิจกรรม.html", POLYGLOT, content_type="image/gif"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert MARKUP_REFUSED.format("กิจกรรม.html") in page
    assert "แนบรูปกิจกรรม" in page  # what was typed is still there
    assert not Progress.objects.filter(measure=measure, round__kind=12).exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_the_service_refuses_a_misnamed_file_on_its_own(staff, measure, media_root):
    round_ = Round.objects.get(organization=measure.organization, kind=12)
    with pytest.raises(ValidationError) as raised:
        save_progress(
            measure=measure,
            round_=round_,
            user=staff,
            data=ProgressInput("in_progress", None, "ผล", ""),
            seen_version=0,
            files=[SimpleUploadedFile("report.html", PDF)],
        )
    assert raised.value.message_dict["files"] == [
        "ไฟล์ “report.html” เป็นไฟล์ PDF แต่ชื่อไฟล์ลงท้ายด้วย “.html” "
        "ชื่อไฟล์ชนิดนี้ต้องลงท้ายด้วย .pdf กรุณาแก้ชื่อไฟล์ให้ตรงกับชนิดของไฟล์แล้วแนบใหม่"
    ]
    assert not Progress.objects.filter(measure=measure, round=round_).exists()


def test_the_stored_name_is_the_portals_and_the_download_is_an_attachment(
    client, staff, measure, media_root
):
    client.force_login(staff)
    upload = SimpleUploadedFile("../รายงาน ผล<ต>.Pdf", PDF, content_type="text/html")
    assert post_form(client, measure, files=upload).status_code == 302
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    stored = PurePath(evidence.file.name)
    assert stored.suffix == ".pdf"
    assert "รายงาน" not in stored.name and ".." not in evidence.file.name
    assert evidence.original_name == "รายงาน ผล<ต>.Pdf"  # as the browser sent it, for the download
    assert evidence.content_type == "application/pdf"

    response = client.get(reverse("progress:evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_nosniff_is_sent_even_when_the_setting_is_off(client, staff, measure, media_root, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    client.force_login(staff)
    post_form(client, measure, files=SimpleUploadedFile("ผล.pdf", PDF))
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    response = client.get(reverse("progress:evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_stored_file_is_a_404_not_a_500(client, staff, measure, media_root):
    client.force_login(staff)
    post_form(client, measure, files=SimpleUploadedFile("ผล.pdf", PDF))
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    evidence.file.storage.delete(evidence.file.name)
    assert client.get(reverse("progress:evidence", args=[evidence.pk])).status_code == 404


def test_nothing_under_media_url_is_served_in_debug_or_production(
    client, staff, measure, media_root, settings
):
    client.force_login(staff)
    post_form(client, measure, files=SimpleUploadedFile("ผล.pdf", PDF))
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    path = f"/{settings.MEDIA_URL}{evidence.file.name}"
    assert (media_root / evidence.file.name).exists()
    import ita_portal.urls

    for debug in (True, False):
        settings.DEBUG = debug
        importlib.reload(ita_portal.urls)  # the URLs are built when the module loads
        clear_url_caches()
        try:
            with pytest.raises(Resolver404):
                resolve(path)
            client.logout()
            assert client.get(path).status_code == 404
            client.force_login(staff)
            assert client.get(path).status_code == 404
        finally:
            settings.DEBUG = False
            importlib.reload(ita_portal.urls)
            clear_url_caches()


# --- Zip bombs: refused from the archive's directory, before anything is unpacked -----------

BOMB_REFUSED = (
    "ไฟล์ “{}” มีส่วน “mimetype” ที่แตกออกแล้วขยายเป็น 1,011 เท่าของขนาดในไฟล์ "
    "(256 MB) เกินที่รับได้ (ไม่เกิน 100 เท่า) ไฟล์ลักษณะนี้ทำให้ระบบหรือเครื่องที่เปิดไฟล์ค้างได้ "
    "ระบบจึงไม่รับไว้ กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)
ENTRIES_REFUSED = (
    "ไฟล์ “{}” มีส่วนประกอบภายในมากผิดปกติ (เกิน 5,000 ส่วน) "
    "ระบบไม่รับไฟล์ลักษณะนี้เพื่อความปลอดภัย กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """An OpenDocument text whose `mimetype` entry unpacks to 256 MiB of zeros from
    ~250 KB (the issue's was 1 GiB from 1 MB): one deflate block of 1 MiB, ended
    by a full flush so that it stands alone, repeated. Written by hand, as an
    attacker would, because zipfile would take seconds to pack it."""
    mebibytes, zeros = 256, bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = (packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)) * mebibytes
    data += packer.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    name, size, date = b"mimetype", mebibytes << 20, (1 << 5) | 1  # 1 January 1980
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, date, crc, len(data), size, len(name), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        date,
        crc,
        len(data),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    directory_at = len(local) + len(name) + len(data)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), directory_at, 0
    )
    buffer = io.BytesIO(local + name + data + central + name + end)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def many_entries(count: int, name_length: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for number in range(count):
            archive.writestr(f"word/{number:0{name_length}d}.xml", b"")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(odt_bomb):
    with zipfile.ZipFile(io.BytesIO(odt_bomb)) as archive:
        assert archive.getinfo("mimetype").file_size == 256 * 1024 * 1024
    assert len(odt_bomb) < 300_000
    assert refusal("รายงาน.odt", odt_bomb) == BOMB_REFUSED.format("รายงาน.odt")


@pytest.mark.parametrize(
    "name_length", [5, 300], ids=["counted-from-the-entries", "seen-from-the-directory-size"]
)
def test_an_archive_of_too_many_entries_is_refused(name_length):
    # 5,001 entries: with long names the directory alone (1.5 MB) says it.
    content = many_entries(5001, name_length)
    assert refusal("บันทึก.docx", content) == ENTRIES_REFUSED.format("บันทึก.docx")
    assert check_upload(SimpleUploadedFile("บันทึก.docx", many_entries(4999, 5))).extension == (
        ".docx"
    )


def test_an_opendocument_file_is_still_told_by_its_mimetype():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    checked = check_upload(SimpleUploadedFile("บันทึก.odt", buffer.getvalue()))
    assert checked.content_type == "application/vnd.oasis.opendocument.text"


def test_the_progress_form_refuses_the_bomb_and_stores_nothing(
    client, staff, measure, media_root, odt_bomb
):
    client.force_login(staff)
    response = post_form(
        client,
        measure,
        result_text="แนบรายงาน",
        files=SimpleUploadedFile("รายงาน.odt", odt_bomb),
    )
    assert response.status_code == 200
    assert BOMB_REFUSED.format("รายงาน.odt") in response.content.decode()
    assert not Progress.objects.filter(measure=measure, round__kind=12).exists()
    assert not Evidence.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_divisions_part_refuses_the_bomb_and_stores_nothing(client, org, media_root, odt_bomb):
    every = helpers.measure(org, 4)  # every division's
    finance = member(org, Membership.Role.STAFF, "finance", ["กองคลัง"])
    division = Division.objects.get(organization=org, name="กองคลัง")
    url = reverse("progress:part", args=[every.pk, 12, division.pk])
    client.force_login(finance)
    data = form_data(client.get(url).content.decode(), form_id="part-form")
    data.update(note="ส่วนของกองคลัง", files=SimpleUploadedFile("งบ.odt", odt_bomb))
    response = client.post(url, data)
    assert response.status_code == 200
    assert BOMB_REFUSED.format("งบ.odt") in response.content.decode()
    assert not DivisionPart.objects.exists() and not Evidence.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


# --- Images: stored as the portal writes them again, so that no markup survives --------------

PAGE = b"<html><body><script>fetch('/').then(r => r.text()).then(alert)</script></body></html>"


def stored_bytes(client, measure, upload) -> bytes:
    assert post_form(client, measure, files=upload).status_code == 302
    evidence = Evidence.objects.get(progress__measure=measure, url="")
    with evidence.file.open("rb") as stored:
        content = stored.read()
    assert evidence.size == len(content)
    return content


@pytest.mark.parametrize(
    "name, content, markup",
    [
        # After the first 8 KB that the markup scan reads: behind a large picture...
        ("ผัง.png", image_bytes("PNG", (120, 120)) + PAGE, b"<script"),
        # ... and in a comment right after the header, with tags not on the scan's list.
        (
            "ภาพ.jpg",
            b"\xff\xd8\xff\xfe\x00\x2b<details open ontoggle=alert(1)>x</details>"
            + image_bytes("JPEG")[2:],
            b"ontoggle",
        ),
        ("ภาพ.gif", image_bytes("GIF", comment=b"<input autofocus onfocus=alert(1)>"), b"onfocus"),
    ],
    ids=["html-after-8kb", "details-ontoggle-in-jpeg", "input-onfocus-in-gif"],
)
def test_markup_hidden_in_an_image_is_not_stored(
    client, staff, measure, media_root, name, content, markup
):
    assert markup in content and len(content) > (8 * 1024 if name.endswith(".png") else 0)
    client.force_login(staff)
    stored = stored_bytes(client, measure, SimpleUploadedFile(name, content))
    assert markup not in stored and b"<" + markup[1:4] not in stored
    with Image.open(io.BytesIO(stored)) as picture, Image.open(io.BytesIO(content)) as original:
        assert picture.format == original.format and picture.size == original.size
        if picture.format != "JPEG":  # lossless: the very same pixels
            assert picture.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_a_photo_taken_sideways_is_stored_upright(client, staff, measure, media_root):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view", as phones write it
    client.force_login(staff)
    stored = stored_bytes(
        client, measure, SimpleUploadedFile("ป้าย.jpg", image_bytes("JPEG", exif=exif.tobytes()))
    )
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.size == (48, 64) and not picture.getexif()


def test_an_animation_keeps_its_frames(client, staff, measure, media_root):
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    with Image.open(buffer) as animation:
        assert animation.n_frames == 3
    client.force_login(staff)
    stored = stored_bytes(client, measure, SimpleUploadedFile("กิจกรรม.gif", buffer.getvalue()))
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.n_frames == 3 and picture.info["duration"] == 200


def png_header(width: int, height: int) -> bytes:
    """A PNG that says how large it is, without the pixels (a 1-bit picture packs small)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))
        )

    header = struct.pack(">2L5B", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def test_a_broken_or_oversized_image_is_refused_and_nothing_is_stored(
    client, staff, measure, media_root
):
    for broken in (image_bytes("PNG")[:2000], b"\x89PNG\r\n\x1a\n" + b"\x00" * 200):
        assert refusal("ผัง.png", broken) == (
            "ไฟล์ “ผัง.png” เป็นรูปภาพ PNGที่เปิดไม่ได้หรือเสียหาย "
            "กรุณาเปิดรูปในโปรแกรมแล้วบันทึกใหม่ หรือบันทึกเป็น PDF แล้วแนบอีกครั้ง"
        )
    huge = png_header(20_000, 20_000)  # 400 megapixels
    too_large = (
        "ไฟล์ “ภาพ.png” เป็นรูปภาพที่มีจำนวนพิกเซลมากเกินที่รับได้ "
        "(ไม่เกิน 89 ล้านพิกเซลรวมทุกเฟรม) กรุณาย่อขนาดรูปแล้วแนบใหม่"
    )
    assert refusal("ภาพ.png", huge) == too_large
    assert refusal("ภาพ.png", png_header(10_000, 9_000)) == too_large
    client.force_login(staff)
    response = post_form(client, measure, files=SimpleUploadedFile("ภาพ.png", huge))
    assert response.status_code == 200 and too_large in response.content.decode()
    assert not Evidence.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_jpeg_cut_short_is_refused_and_whole_ones_are_kept():
    """WeasyPrint makes Pillow load truncated images (grey where the data ends), and
    Pillow's verify() checks nothing for JPEG: the markers decide (progress.jpeg)."""
    photo = image_bytes("JPEG", (200, 150))
    for cut in (len(photo) // 2, len(photo) - 2, 400):
        assert refusal("ภาพ.jpg", photo[:cut]) == (
            "ไฟล์ “ภาพ.jpg” เป็นรูปภาพ JPEGที่เปิดไม่ได้หรือเสียหาย "
            "กรุณาเปิดรูปในโปรแกรมแล้วบันทึกใหม่ หรือบันทึกเป็น PDF แล้วแนบอีกครั้ง"
        )
    progressive = image_bytes("JPEG", (200, 150), progressive=True, optimize=True)
    with_restarts = image_bytes("JPEG", (200, 150), restart_marker_blocks=1)
    for whole in (photo, progressive, with_restarts, photo + b"camera trailer"):
        assert check_upload(SimpleUploadedFile("ภาพ.jpg", whole)).content_type == "image/jpeg"
    assert refusal("ภาพ.jpg", progressive[: len(progressive) * 2 // 3])
