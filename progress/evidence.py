"""Evidence uploads: the type is read from the file's content, not its name.

A file is accepted only when its content is one of the kinds below, its name
ends with an extension of that kind, and nothing in its first few KB looks
like a web page (HTML, SVG, XML or script). Office files are zip archives,
refused from their directory when it holds too many entries or an entry that
unpacks to 100 times its packed size (a zip bomb); of their content only the
few bytes the type check needs are unpacked. The portal names the stored file
itself from the detected kind (`stored_name`); the uploaded name is kept only
as `Evidence.original_name`, for the download's filename. Files are served
only by `progress.views.evidence_file`, as attachments that a browser must not
sniff or run.
"""

import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

from progress import limits


@dataclass(frozen=True)
class Kind:
    label: str  # as the user knows it, for messages
    types: dict[str, str]  # accepted extension -> content type served for it

    @property
    def extensions(self) -> str:
        return " ".join(self.types)


PDF = Kind("ไฟล์ PDF", {".pdf": "application/pdf"})
PNG = Kind("รูปภาพ PNG", {".png": "image/png"})
JPEG = Kind("รูปภาพ JPEG", {".jpg": "image/jpeg", ".jpeg": "image/jpeg"})
GIF = Kind("รูปภาพ GIF", {".gif": "image/gif"})
# Word, Excel and PowerPoint 97-2003 share one container format (OLE).
OLE = Kind(
    "เอกสาร Word/Excel/PowerPoint รุ่นเก่า",
    {
        ".doc": "application/msword",
        ".xls": "application/vnd.ms-excel",
        ".ppt": "application/vnd.ms-powerpoint",
    },
)
DOCX = Kind(
    "เอกสาร Word",
    {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
)
XLSX = Kind(
    "เอกสาร Excel",
    {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
)
PPTX = Kind(
    "เอกสาร PowerPoint",
    {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
)
ODT = Kind("เอกสาร OpenDocument", {".odt": "application/vnd.oasis.opendocument.text"})
ODS = Kind("ตาราง OpenDocument", {".ods": "application/vnd.oasis.opendocument.spreadsheet"})
ODP = Kind("งานนำเสนอ OpenDocument", {".odp": "application/vnd.oasis.opendocument.presentation"})

KINDS = (PDF, PNG, JPEG, GIF, OLE, DOCX, XLSX, PPTX, ODT, ODS, ODP)
# For the browser's file picker: it offers only these names (the content is checked anyway).
ACCEPT = ",".join(extension for kind in KINDS for extension in kind.types)

_MAGIC = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
]
# Office Open XML and OpenDocument files are zip archives; told apart by content.
_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_OPENDOCUMENT = {kind.types[ext]: kind for kind in (ODT, ODS, ODP) for ext in kind.types}

# Office Open XML and OpenDocument files are zip archives. Before one entry is
# opened, the directory is checked as Apache POI checks Office files
# (ZipSecureFile): an entry that unpacks past 100 KB may be at most 100 times
# its packed size (deflate reaches ~1,000). Then the type check reads at most
# _TYPE_BYTES of one entry. A 1 MB .odt whose `mimetype` unpacks to 1 GiB is
# refused from the directory without being inflated.
ZIP_MAX_ENTRIES = 5000  # a Word file has a few dozen, a large PowerPoint some hundreds
ZIP_MAX_RATIO = 100
ZIP_RATIO_GRACE_BYTES = 100 * 1024
_TYPE_BYTES = 256
_END_RECORD_BYTES = 22
# An entry's directory record is 46 bytes and its name; 256 is generous.
_DIRECTORY_BYTES_PER_ENTRY = 256

ZIP_ENTRIES_MESSAGE = (
    "ไฟล์ “{name}” มีส่วนประกอบภายในมากผิดปกติ (เกิน {limit:,} ส่วน) "
    "ระบบไม่รับไฟล์ลักษณะนี้เพื่อความปลอดภัย กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)
ZIP_RATIO_MESSAGE = (
    "ไฟล์ “{name}” มีส่วน “{part}” ที่แตกออกแล้วขยายเป็น {ratio} เท่าของขนาดในไฟล์ "
    "({unpacked} MB) เกินที่รับได้ (ไม่เกิน {limit:,} เท่า) ไฟล์ลักษณะนี้ทำให้ระบบหรือเครื่องที่เปิดไฟล์ค้างได้ "
    "ระบบจึงไม่รับไว้ กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)

ALLOWED_DESCRIPTION = "PDF รูปภาพ (PNG, JPEG, GIF) หรือเอกสาร Word/Excel/PowerPoint/OpenDocument"

# Browsers decide "this is a page" from the first bytes (WHATWG MIME sniffing
# reads 1,445); a polyglot such as GIF89a<html><script> passes a magic-number
# check. Tags are matched only where a delimiter follows, and one-letter tags
# only as <a href, so that compressed image data rarely matches by chance.
MARKUP_SCAN_BYTES = 8 * 1024
_PAGE_TAGS = (
    rb"html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|math|style|"
    rb"link|meta|base|form|img|title|table|div|font|br|h[1-6]"
)
_HTML = re.compile(rb"<(?:(?:" + _PAGE_TAGS + rb")(?=[\s/>])|a\s+href|!doctype|!--)", re.I)
# Every part of a zip-based document is XML, so only page tags count there.
_XML = re.compile(rb"<(?:\?xml|!entity)", re.I)

MARKUP_MESSAGE = (
    "ไฟล์ “{name}” มีข้อความแบบหน้าเว็บ (HTML, SVG, XML หรือสคริปต์) ปนอยู่ "
    "ระบบไม่รับไฟล์ลักษณะนี้เพื่อความปลอดภัย กรุณาบันทึกเป็น PDF แล้วแนบใหม่"
)


@dataclass(frozen=True)
class CheckedFile:
    """What the portal stores for an accepted upload."""

    content_type: str
    extension: str  # with the dot, lower case, one of the kind's own
    content: bytes | None = None  # an image as the portal wrote it again, stored instead

    def stored_name(self, stem: str) -> str:
        """The file name on disk: made by the portal, never the uploaded one."""
        return f"{stem}{self.extension}"

    def stored_file(self, upload):
        """What is stored: the re-encoded image, else the upload itself."""
        return ContentFile(self.content) if self.content is not None else upload


# --- Images are stored as Pillow writes them from their pixels ------------------------------
# A scan for markup reads the first 8 KB and knows a list of tags; HTML can follow
# (after the end of the image, in a comment or metadata), and <details ontoggle>
# is not on the list. Writing the picture again keeps nothing of the uploaded bytes
# but the pixels (and an animation's timing): no trailing data, comments, EXIF,
# XMP or colour profiles. Photos are turned upright first (their EXIF orientation
# would be lost); JPEGs keep their own quantization, so little is lost in quality.
# Pillow refuses images past Image.MAX_IMAGE_PIXELS (89 megapixels), counted over
# all frames here, before decoding them.
_IMAGE_FORMATS = {"PNG": PNG, "JPEG": JPEG, "GIF": GIF}
_KEPT_INFO = ("transparency", "duration", "loop", "disposal", "background")

IMAGE_BROKEN = (
    "ไฟล์ “{name}” เป็น{label}ที่เปิดไม่ได้หรือเสียหาย "
    "กรุณาเปิดรูปในโปรแกรมแล้วบันทึกใหม่ หรือบันทึกเป็น PDF แล้วแนบอีกครั้ง"
)
IMAGE_TOO_LARGE = (
    "ไฟล์ “{name}” เป็นรูปภาพที่มีจำนวนพิกเซลมากเกินที่รับได้ "
    "(ไม่เกิน {limit:,} ล้านพิกเซลรวมทุกเฟรม) กรุณาย่อขนาดรูปแล้วแนบใหม่"
)


def _pixels(frame: Image.Image) -> Image.Image:
    """A copy of the frame that carries its pixels and timing, nothing else."""
    copy = frame.copy()
    copy.info = {key: value for key, value in frame.info.items() if key in _KEPT_INFO}
    return copy


def _write_image(image: Image.Image, kind: Kind) -> bytes:
    output = io.BytesIO()
    if kind is JPEG:
        upright = ImageOps.exif_transpose(image)
        _pixels(upright).save(
            output,
            "JPEG",
            qtables=getattr(image, "quantization", None) or None,
            subsampling=JpegImagePlugin.get_sampling(image),
        )
    else:
        frames = [_pixels(frame) for frame in ImageSequence.Iterator(image)]
        options = {"save_all": True, "append_images": frames[1:]} if len(frames) > 1 else {}
        frames[0].save(output, image.format, **options)
    return output.getvalue()


# --- Is a JPEG whole? ---------------------------------------------------------------------
# Is a JPEG whole? WeasyPrint lets Pillow load truncated images (it sets
# ImageFile.LOAD_TRUNCATED_IMAGES for the whole process), so a JPEG cut short in its
# upload decodes with its missing part grey and would be stored as a picture. Pillow's
# verify() checks nothing for JPEG; the markers do: a whole JPEG runs from its start
# (SOI) through its segments and scans to its end marker (EOI). Bytes after EOI (what
# some cameras append) do not matter: the picture is written again from its pixels.

JPEG_SOI, JPEG_EOI, JPEG_SOS = 0xD8, 0xD9, 0xDA
# Markers that stand alone, without a length: TEM and the restart markers.
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _after_scan(data: bytes, at: int) -> int:
    """Where the marker after a scan's entropy-coded data starts, or -1. Inside the
    data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return -1
        following = data[at + 1]
        if following == 0x00 or following in JPEG_STANDALONE or following == 0xFF:
            at += 1
            continue
        return at


def is_complete_jpeg(data: bytes) -> bool:
    if data[:2] != b"\xff\xd8":
        return False
    at = 2
    while at + 1 < len(data):
        if data[at] != 0xFF:
            # Extraneous bytes before a marker: decoders skip them (libjpeg warns).
            at = data.find(b"\xff", at)
            if at < 0:
                return False
            continue
        marker = data[at + 1]
        if marker == 0xFF:  # fill bytes before a marker
            at += 1
            continue
        if marker == JPEG_EOI:
            return True
        if marker in JPEG_STANDALONE:
            at += 2
            continue
        if at + 3 >= len(data):
            return False
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        at += 2 + length
        if marker == JPEG_SOS:
            at = _after_scan(data, at)
            if at < 0:
                return False
    return False


def _reencoded(upload, kind: Kind, name: str) -> bytes:
    """The image as Pillow writes it again from its pixels, or a Thai ValidationError."""
    limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            formats = [f for f, k in _IMAGE_FORMATS.items() if k is kind]
            with Image.open(upload, formats=formats) as image:
                image.verify()  # a truncated PNG (WeasyPrint lets Pillow load those)
            upload.seek(0)
            if kind is JPEG and not is_complete_jpeg(upload.read()):
                raise ValueError("truncated JPEG")  # verify() checks nothing for JPEG
            upload.seek(0)
            with Image.open(upload, formats=formats) as image:
                width, height = image.size
                if width * height * getattr(image, "n_frames", 1) > limit:
                    raise Image.DecompressionBombError(name)
                return _write_image(image, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(IMAGE_TOO_LARGE.format(name=name, limit=limit // 1_000_000)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError):
        raise ValidationError(IMAGE_BROKEN.format(name=name, label=kind.label)) from None
    finally:
        upload.seek(0)


def zip_directory_size(file) -> int:
    """The size in bytes that a zip's end record gives its directory, read from
    the file's last bytes (0 when there is none): zipfile first builds a record
    for every entry, 2.5 s for the 130,000 empty entries a 10 MB file can hold."""
    file.seek(0, os.SEEK_END)
    file.seek(max(0, file.tell() - _END_RECORD_BYTES - 0xFFFF))
    tail = file.read()
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + _END_RECORD_BYTES:
        return 0
    return int.from_bytes(tail[at + 12 : at + 16], "little")


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse, from the directory alone, an archive of too many entries or an
    entry that unpacks far beyond its packed size."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ValidationError(ZIP_ENTRIES_MESSAGE.format(name=name, limit=ZIP_MAX_ENTRIES))
    for info in infos:
        if info.file_size > ZIP_RATIO_GRACE_BYTES and (
            info.file_size > ZIP_MAX_RATIO * info.compress_size
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ValidationError(
                ZIP_RATIO_MESSAGE.format(
                    name=name,
                    part=info.filename[:60],
                    ratio=f"{ratio:,}",
                    unpacked=limits.megabytes(info.file_size),
                    limit=ZIP_MAX_RATIO,
                )
            )


def _zip_kind(upload, name: str) -> Kind | None:
    if zip_directory_size(upload) > ZIP_MAX_ENTRIES * _DIRECTORY_BYTES_PER_ENTRY:
        raise ValidationError(ZIP_ENTRIES_MESSAGE.format(name=name, limit=ZIP_MAX_ENTRIES))
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive, name)
            names = archive.namelist()
            if "mimetype" in names:
                # Only the bytes the check needs: an OpenDocument's type is ~50 bytes.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(_TYPE_BYTES).decode("ascii", "replace").strip()
                return _OPENDOCUMENT.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    except (RuntimeError, NotImplementedError):  # encrypted, or an unknown compression
        return None
    finally:
        upload.seek(0)
    return None


def _detect(upload, head: bytes, name: str) -> Kind | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload, name)
    return None


def looks_like_markup(head: bytes, *, zipped: bool = False) -> bool:
    """True when the bytes carry something a browser would take for a page."""
    return bool(_HTML.search(head) or (not zipped and _XML.search(head)))


def check_upload(upload) -> CheckedFile:
    """The evidence file's checked type and stored extension, or a Thai
    ValidationError naming the file."""
    name = upload.name
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"ไฟล์ “{name}” มีขนาด {limits.megabytes(upload.size)} MB ใหญ่เกินที่รับได้ "
            f"(ไฟล์ละไม่เกิน {limits.megabytes(settings.MAX_UPLOAD_BYTES)} MB)"
        )
    if upload.size == 0:
        raise ValidationError(f"ไฟล์ “{name}” ว่างเปล่า")
    upload.seek(0)
    head = upload.read(MARKUP_SCAN_BYTES)
    upload.seek(0)
    kind = _detect(upload, head, name)
    if kind is None:
        raise ValidationError(f"ไฟล์ “{name}” ไม่ใช่ชนิดที่รับได้ ({ALLOWED_DESCRIPTION})")
    if looks_like_markup(head, zipped=head.startswith(b"PK")):
        raise ValidationError(MARKUP_MESSAGE.format(name=name))
    extension = PurePath(name).suffix.lower()
    if extension not in kind.types:
        declared = f"ลงท้ายด้วย “{extension}”" if extension else "ไม่มีนามสกุล"
        raise ValidationError(
            f"ไฟล์ “{name}” เป็น{kind.label} แต่ชื่อไฟล์{declared} "
            f"ชื่อไฟล์ชนิดนี้ต้องลงท้ายด้วย {kind.extensions} "
            "กรุณาแก้ชื่อไฟล์ให้ตรงกับชนิดของไฟล์แล้วแนบใหม่"
        )
    content = _reencoded(upload, kind, name) if kind in (PNG, JPEG, GIF) else None
    return CheckedFile(content_type=kind.types[extension], extension=extension, content=content)


def detect_content_type(upload) -> str:
    """The evidence file's real type, or a Thai ValidationError naming the file."""
    return check_upload(upload).content_type
