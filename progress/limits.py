"""Limits on what people send with a progress report, and the Thai sentences
that state and enforce them.

The numbers are settings (ita_portal/settings.py, each overridable from the
environment); nothing else in the code repeats them. The progress form shows
them in its help texts and checks them field by field, and
`check_progress_input` checks them again in the write service, with the same
messages, so every path that saves progress obeys them. Uploads larger than a
request may carry are refused before they are read (ita_portal/uploads.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from progress import evidence
from progress.models import Evidence, Progress

RESULT_LABEL = "รายละเอียดผลการดำเนินการ"
REASON_LABEL = "เหตุผลที่ดำเนินการไม่ได้"
NOTE_LABEL = "สิ่งที่ส่วนราชการดำเนินการ"


def megabytes(size: int) -> str:
    """10485760 -> "10", 1572864 -> "1.5" (for "… MB" in Thai text)."""
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def max_result_chars() -> int:
    return settings.MAX_RESULT_CHARS


def max_reason_chars() -> int:
    return settings.MAX_REASON_CHARS


def max_link_chars() -> int:
    """The database column's width: a longer link cannot be stored."""
    return Evidence._meta.get_field("url").max_length


def count_chars(text: str) -> int:
    """Characters as the live counter under the text box counts them: a line
    break is one character (browsers send it as two), outer blanks do not count
    because the service strips them."""
    return len(text.replace("\r\n", "\n").strip())


# --- What the form says before anyone types -----------------------------------------------


def result_help() -> str:
    return (
        "จะพิมพ์ต่อท้ายสถานะในคอลัมน์ผลการดำเนินการของรายงาน "
        f"พิมพ์ได้ไม่เกิน {max_result_chars():,} ตัวอักษร "
        "(รายละเอียดที่ยาวกว่านี้ให้แนบเป็นไฟล์หลักฐาน)"
    )


def reason_help() -> str:
    return f"พิมพ์ได้ไม่เกิน {max_reason_chars():,} ตัวอักษร"


def files_help() -> str:
    return (
        "PDF รูปภาพ หรือเอกสารสำนักงาน เลือกได้หลายไฟล์: "
        f"ไฟล์ละไม่เกิน {megabytes(settings.MAX_UPLOAD_BYTES)} MB "
        f"ครั้งละไม่เกิน {settings.MAX_FILES_PER_REQUEST:,} ไฟล์ "
        f"รวมไม่เกิน {megabytes(settings.MAX_UPLOAD_TOTAL_BYTES)} MB "
        f"และแนบไว้ได้รวมไม่เกิน {settings.MAX_EVIDENCE_FILES:,} ไฟล์ต่อรอบการรายงาน"
    )


def links_help() -> str:
    return (
        "เช่น หน้าเว็บไซต์ของหน่วยงานที่เผยแพร่ผลการดำเนินการ (ผู้ประเมิน OIT ตรวจจากลิงก์) "
        f"ลิงก์ละไม่เกิน {max_link_chars():,} ตัวอักษร "
        f"รวมไม่เกิน {settings.MAX_EVIDENCE_LINKS:,} ลิงก์ต่อรอบการรายงาน"
    )


# --- Checks: each returns the Thai messages of what is wrong (empty when fine) -------------


def text_errors(text: str, *, label: str, limit: int) -> list[str]:
    length = count_chars(text)
    if length <= limit:
        return []
    return [
        f"{label}ยาว {length:,} ตัวอักษร เกินที่รับได้ ({limit:,} ตัวอักษร) "
        "กรุณาสรุปให้สั้นลง แล้วแนบรายละเอียดเป็นไฟล์หลักฐาน"
    ]


def link_length_errors(links: list[str], typed: list[str] | None = None) -> list[str]:
    """`links` as they will be stored; `typed` as the user typed them, to quote."""
    limit = max_link_chars()
    errors = []
    for number, (link, as_typed) in enumerate(zip(links, typed or links, strict=True), start=1):
        if len(link) > limit:
            errors.append(
                f"ลิงก์บรรทัดที่ {number} ยาว {len(link):,} ตัวอักษร เกินที่รับได้ "
                f"({limit:,} ตัวอักษร): “{as_typed[:60]}…” กรุณาใช้ลิงก์ที่สั้นกว่านี้ "
                "เช่น ลิงก์หน้าเว็บของหน่วยงานที่รวบรวมหลักฐานไว้"
            )
    return errors


def link_count_errors(new: int, existing: int) -> list[str]:
    limit = settings.MAX_EVIDENCE_LINKS
    if new == 0 or new + existing <= limit:
        return []
    return [
        f"แนบลิงก์ได้ไม่เกิน {limit:,} ลิงก์ต่อรอบการรายงาน "
        f"(มีอยู่แล้ว {existing:,} ลิงก์ เพิ่มใหม่ {new:,} ลิงก์) "
        "กรุณาลบลิงก์เดิมที่ไม่ใช้แล้ว หรือใช้ลิงก์หน้าเว็บที่รวบรวมหลักฐานไว้"
    ]


def file_batch_errors(files) -> list[str]:
    """One request's files: how many and how large together."""
    errors = []
    if len(files) > settings.MAX_FILES_PER_REQUEST:
        errors.append(
            f"แนบไฟล์ได้ครั้งละไม่เกิน {settings.MAX_FILES_PER_REQUEST:,} ไฟล์ "
            f"(เลือกไว้ {len(files):,} ไฟล์) กรุณาแบ่งแนบหลายครั้ง"
        )
    total = sum(upload.size for upload in files)
    if total > settings.MAX_UPLOAD_TOTAL_BYTES:
        errors.append(
            f"ไฟล์ที่เลือกมีขนาดรวม {megabytes(total)} MB เกินที่ส่งได้ต่อครั้ง "
            f"({megabytes(settings.MAX_UPLOAD_TOTAL_BYTES)} MB) กรุณาแบ่งแนบหลายครั้ง"
        )
    return errors


def file_count_errors(new: int, existing: int) -> list[str]:
    limit = settings.MAX_EVIDENCE_FILES
    if new == 0 or new + existing <= limit:
        return []
    return [
        f"แนบไฟล์ได้ไม่เกิน {limit:,} ไฟล์ต่อรอบการรายงาน "
        f"(มีอยู่แล้ว {existing:,} ไฟล์ เพิ่มใหม่ {new:,} ไฟล์) "
        "กรุณาลบไฟล์เดิมที่ไม่ใช้แล้ว หรือรวมเป็นไฟล์ PDF เดียว"
    ]


def file_errors(files) -> tuple[list[str], list]:
    """Each file's own check (size, type, name, markup): (messages, checked files)."""
    errors, checked = [], []
    for upload in files:
        try:
            checked.append((upload, evidence.check_upload(upload)))
        except ValidationError as error:
            errors += error.messages
    return errors, checked


def check_progress_input(
    progress, *, status: str, result_text: str, cannot_reason: str, files, links, remove_evidence
) -> list:
    """Everything a progress save adds, against the limits; raises a
    ValidationError keyed by the progress form's fields. Returns the files
    with their checked types, as (upload, evidence.CheckedFile)."""
    errors: dict[str, list[str]] = {}
    errors["result_text"] = text_errors(result_text, label=RESULT_LABEL, limit=max_result_chars())
    if status == Progress.Status.CANNOT:
        errors["cannot_reason"] = text_errors(
            cannot_reason, label=REASON_LABEL, limit=max_reason_chars()
        )
    # The result's own evidence: the divisions' parts keep theirs (check_part_input).
    own = progress.evidence.filter(part=None) if progress.pk else None
    return _check_evidence(errors, own, files=files, links=links, remove_evidence=remove_evidence)


def check_part_input(part, *, note: str, files, links, remove_evidence) -> list:
    """A division's part of a shared measure (DivisionPart): its note and what it
    adds of evidence, against the same limits as a result; raises a ValidationError
    keyed by the part form's fields."""
    errors = {"note": text_errors(note, label=NOTE_LABEL, limit=max_result_chars())}
    own = part.evidence.all() if part.pk else None
    return _check_evidence(errors, own, files=files, links=links, remove_evidence=remove_evidence)


def _check_evidence(errors: dict, own, *, files, links, remove_evidence) -> list:
    """Add the evidence checks to `errors` (`own`: the evidence already attached, or
    None) and raise them all; or return the files with their checked types."""
    kept = (
        list(own.exclude(pk__in=list(remove_evidence)).values_list("url", flat=True))
        if own is not None
        else []
    )
    existing_links = sum(1 for url in kept if url)
    link_errors = link_length_errors(list(links))
    validate = URLValidator(schemes=["http", "https"])
    for number, link in enumerate(links, start=1):
        try:
            if len(link) <= max_link_chars():
                validate(link)
        except ValidationError:
            link_errors.append(f"ลิงก์บรรทัดที่ {number} “{link[:60]}” ไม่ใช่ลิงก์เว็บที่ถูกต้อง")
    link_errors += link_count_errors(len(links), existing_links)
    errors["links"] = link_errors
    own_errors, checked = file_errors(files)
    errors["files"] = (
        file_batch_errors(files)
        + own_errors
        + file_count_errors(len(files), len(kept) - existing_links)
    )
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return checked
