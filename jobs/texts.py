"""What people read about a job: why it failed (Thai). Each kind's own sentences
are in its entry (jobs.registry)."""

from jobs.registry import kind_of

TRY_AGAIN = "กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ"
NEVER_TAKEN = f"ไม่มีเครื่องประมวลผลงานรับงานนี้ไปทำภายในเวลาที่กำหนด {TRY_AGAIN}"
STOPPED = f"งานหยุดไปก่อนเสร็จ (เครื่องประมวลผลงานหยุดทำงาน) {TRY_AGAIN}"
NO_BROKER = f"ส่งงานเข้าคิวไม่ได้ เพราะระบบคิวงานไม่ตอบ {TRY_AGAIN}"
STORAGE = f"บันทึกไฟล์ลงที่เก็บไฟล์ไม่ได้ {TRY_AGAIN}"
TOO_LONG = f"งานใช้เวลานานเกินกำหนดจึงถูกหยุด {TRY_AGAIN}"
NO_USER = "บัญชีของผู้สั่งงานถูกลบหรือปิดใช้งานแล้ว"
# Drafts one person may have under way (ITA_DRAFTS_PER_PERSON; jobs.services.start).
TOO_MANY = (
    "กำลังจัดทำไฟล์ PDF อื่นของคุณอยู่ {count} ไฟล์ (ได้พร้อมกันไม่เกิน {limit} ไฟล์) "
    "กรุณารอให้ไฟล์เหล่านั้นเสร็จก่อน แล้วลองอีกครั้ง"
)


def stopped_again(times: int) -> str:
    """A job whose worker died each time it ran (jobs.recovery_services.MAX_ATTEMPTS)."""
    return f"งานหยุดไปก่อนเสร็จ {times} ครั้ง (เครื่องประมวลผลงานหยุดทำงานระหว่างทำงานนี้ทุกครั้ง) {TRY_AGAIN}"


def unexpected(job) -> str:
    return f"เกิดข้อผิดพลาดในระบบ (งานหมายเลข {job.pk}) {TRY_AGAIN} พร้อมแจ้งหมายเลขงาน"


def not_allowed(job, user) -> str:
    who = user.get_full_name() or user.username
    of = f"ของ{job.organization}" if job.organization_id else ""
    return f"เมื่องานเริ่มทำ {who} ไม่มีสิทธิ์{kind_of(job.kind).doing}{of} แล้ว"


def failure(job, reason: str) -> str:
    """The whole sentence: what failed, why, and what stayed as it was."""
    kind = kind_of(job.kind)
    return " ".join(part for part in (f"{kind.failed}:", reason, kind.unchanged) if part)
