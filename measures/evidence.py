"""Evidence uploads: the type is read from the file's content, not its name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

# Office Open XML and OpenDocument files are zip archives; told apart by content.
_ZIP_KINDS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # legacy .doc/.xls/.ppt
]
ALLOWED_DESCRIPTION = "PDF รูปภาพ (PNG, JPEG, GIF) หรือเอกสาร Word/Excel/PowerPoint/OpenDocument"


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return mimetype
            for prefix, kind in _ZIP_KINDS.items():
                if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
                    return kind
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return None


def detect_content_type(upload) -> str:
    """The evidence file's real type, or a Thai ValidationError naming the file."""
    name = upload.name
    if upload.size > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"ไฟล์ “{name}” ใหญ่เกิน {limit} MB")
    if upload.size == 0:
        raise ValidationError(f"ไฟล์ “{name}” ว่างเปล่า")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04") and (kind := _zip_kind(upload)):
        return kind
    raise ValidationError(f"ไฟล์ “{name}” ไม่ใช่ชนิดที่รับได้ ({ALLOWED_DESCRIPTION})")
