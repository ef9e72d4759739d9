"""What people read about a job: while it runs, and why it failed (Thai)."""

WORKING = {
    "publish": "กำลังเผยแพร่…",
    "draft_pdf": "กำลังจัดทำไฟล์ PDF…",
    "import": "กำลังนำเข้ามาตรการจากไฟล์…",
    "rollover": "กำลังยกมาตรการไปปีงบประมาณถัดไป…",
}
FAILED = {
    "publish": "เผยแพร่ไม่สำเร็จ",
    "draft_pdf": "จัดทำไฟล์ PDF ไม่สำเร็จ",
    "import": "นำเข้าไม่สำเร็จ",
    "rollover": "ยกมาตรการไม่สำเร็จ",
}
# What a failed job left as it was.
UNCHANGED = {
    "publish": "ยังไม่ได้เผยแพร่ รายงานที่เผยแพร่ไว้และลิงก์สาธารณะไม่เปลี่ยนแปลง",
    "draft_pdf": "",
    "import": "จึงไม่บันทึกข้อมูลใดเลย",
    "rollover": "จึงไม่ได้ยกมาตรการใดเลย",
}
DOING = {
    "publish": "เผยแพร่รายงาน",
    "draft_pdf": "ดูรายงาน",
    "import": "นำเข้ามาตรการ",
    "rollover": "ยกมาตรการ",
}

TRY_AGAIN = "กรุณาลองอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ"
NEVER_TAKEN = f"ไม่มีเครื่องประมวลผลงานรับงานนี้ไปทำภายในเวลาที่กำหนด {TRY_AGAIN}"
STOPPED = f"งานหยุดไปก่อนเสร็จ (เครื่องประมวลผลงานหยุดทำงาน) {TRY_AGAIN}"
NO_BROKER = f"ส่งงานเข้าคิวไม่ได้ เพราะระบบคิวงานไม่ตอบ {TRY_AGAIN}"
STORAGE = f"บันทึกไฟล์ลงที่เก็บไฟล์ไม่ได้ {TRY_AGAIN}"
TOO_LONG = f"งานใช้เวลานานเกินกำหนดจึงถูกหยุด {TRY_AGAIN}"
NO_USER = "บัญชีของผู้สั่งงานถูกลบหรือปิดใช้งานแล้ว"
SHEET_EXPIRED = "ไฟล์ที่ตรวจสอบไว้หมดอายุแล้ว กรุณาอัปโหลดไฟล์อีกครั้ง"


def unexpected(job) -> str:
    return f"เกิดข้อผิดพลาดในระบบ (งานหมายเลข {job.pk}) {TRY_AGAIN} พร้อมแจ้งหมายเลขงาน"


def not_allowed(job, user) -> str:
    who = user.get_full_name() or user.username
    return f"เมื่องานเริ่มทำ {who} ไม่มีสิทธิ์{DOING[job.kind]}ของ{job.organization} แล้ว"


def failure(job, reason: str) -> str:
    """The whole sentence: what failed, why, and what stayed as it was."""
    return " ".join(part for part in (f"{FAILED[job.kind]}:", reason, UNCHANGED[job.kind]) if part)
