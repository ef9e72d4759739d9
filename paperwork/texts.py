"""The editable texts of the memo and the form: which parts each has, their shipped
defaults, and how a text is filled in.

A text names values by a small set of Thai placeholders in braces ({ชื่อเอกสาร},
{ลิงก์}); "{{" and "}}" stand for a brace itself. Nothing else is read from it:
a placeholder not in the set is refused with its name (`fill`, `check`), and the
values are put in as text (the templates escape them), so a text never runs
anything."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MEMO, FORM = "memo", "form"
KIND_LABELS = {
    MEMO: "บันทึกข้อความขออนุญาตเผยแพร่ข้อมูล",
    FORM: "แบบฟอร์มการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน",
}

# Thai name -> (the value's key, what it stands for: shown beside the editing form)
PLACEHOLDERS = {
    "หน่วยงาน": ("organization", "ชื่อหน่วยงาน"),
    "ชื่อเอกสาร": ("title", "ชื่อเอกสารที่เผยแพร่ เช่น รายงานการดำเนินการ ... รอบ 6 เดือน"),
    "ฉบับที่": ("version", "ฉบับที่ของเอกสารที่เผยแพร่"),
    "ลิงก์": ("link", "ลิงก์สาธารณะของฉบับนี้"),
    "ผู้ขอ": ("requester", "ชื่อผู้ขออนุญาตเผยแพร่"),
    "ตำแหน่งผู้ขอ": ("requester_position", "ตำแหน่งผู้ขออนุญาตเผยแพร่"),
    "วันที่ขอ": ("requested_on", "วันที่ขออนุญาต"),
    "ผู้อนุมัติ": ("approver", "ชื่อผู้บริหารผู้อนุญาต"),
    "ตำแหน่งผู้อนุมัติ": ("approver_position", "ตำแหน่งผู้บริหารผู้อนุญาต"),
    "วันที่อนุมัติ": ("approved_on", "วันที่อนุญาต"),
    "ผู้เผยแพร่": ("publisher", "ชื่อผู้นำข้อมูลขึ้นเผยแพร่"),
    "ตำแหน่งผู้เผยแพร่": ("publisher_position", "ตำแหน่งหรือบทบาทของผู้นำข้อมูลขึ้นเผยแพร่"),
    "วันที่เผยแพร่": ("published_on", "วันที่เผยแพร่"),
    "ปีงบประมาณ": ("fiscal_year", "ปีงบประมาณ พ.ศ. ของเอกสาร"),
    "หมายเหตุ": ("note", "หมายเหตุที่ผู้ขอเขียนไว้เมื่อขออนุญาต"),
}


@dataclass(frozen=True)
class Part:
    name: str
    label: str
    default: str
    long: bool = False  # several paragraphs (a blank line between them)


PARTS = {
    MEMO: (
        Part("division", "ส่วนราชการ", "{หน่วยงาน}"),
        Part("reference", "ที่ (เลขที่หนังสือ เว้นว่างไว้เพื่อเขียนด้วยมือได้)", ""),
        Part("subject", "เรื่อง", "ขออนุญาตเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน"),
        Part("addressee", "เรียน", "{ตำแหน่งผู้อนุมัติ}"),
        Part(
            "body",
            "เนื้อความ",
            "ด้วย{หน่วยงาน} ได้จัดทำ{ชื่อเอกสาร} ฉบับที่ {ฉบับที่} "
            "ตามแนวทางการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            "(Integrity and Transparency Assessment: ITA) ประจำปีงบประมาณ พ.ศ. {ปีงบประมาณ} "
            "เพื่อเผยแพร่ต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน\n\n"
            "ในการนี้ จึงขออนุญาตเผยแพร่{ชื่อเอกสาร} ฉบับที่ {ฉบับที่} "
            "ผ่านเว็บไซต์ของหน่วยงาน ที่ลิงก์ {ลิงก์}\n\n"
            "{หมายเหตุ}",
            long=True,
        ),
        Part("closing", "ข้อความปิดท้าย", "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดอนุญาต"),
    ),
    FORM: (
        Part("topic", "หัวข้อ", "{ชื่อเอกสาร} ฉบับที่ {ฉบับที่}"),
        Part(
            "details",
            "รายละเอียดข้อมูล (โดยสรุปหรือเอกสารแนบ)",
            "{ชื่อเอกสาร} ของ{หน่วยงาน} ฉบับที่ {ฉบับที่} (ไฟล์ PDF)",
            long=True,
        ),
        Part("remark", "หมายเหตุ", "{หมายเหตุ}", long=True),
    ),
}

# The longest text a part may hold (characters).
MAX_CHARS = 4000
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def defaults(kind: str) -> dict[str, str]:
    return {part.name: part.default for part in PARTS[kind]}


def _errors(text: str) -> list[str]:
    problems = []
    for match in _TOKEN.finditer(text):
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            continue
        if name is None:
            problems.append(
                f"มีวงเล็บปีกกา “{token}” ที่ไม่ได้เปิดหรือปิดให้ครบ (ใช้ {{{{ หรือ }}}} แทนวงเล็บปีกกาเอง)"
            )
        elif name.strip() not in PLACEHOLDERS:
            problems.append(
                f"ไม่รู้จักช่องข้อมูล {{{name}}}: ใช้ได้เฉพาะ "
                + " ".join(f"{{{known}}}" for known in PLACEHOLDERS)
            )
    return problems


def check(kind: str, texts: dict[str, str]) -> None:
    """Refuse texts with an unknown placeholder, a stray brace or too many characters,
    each error under its part (the form shows it beside the field)."""
    errors = {}
    for part in PARTS[kind]:
        text = texts.get(part.name, "")
        problems = _errors(text)
        if len(text) > MAX_CHARS:
            problems.append(f"ยาวได้ไม่เกิน {MAX_CHARS:,} ตัวอักษร (ที่พิมพ์มา {len(text):,} ตัวอักษร)")
        if problems:
            errors[part.name] = [f"{part.label}: {problem}" for problem in problems]
    if errors:
        raise ValidationError(errors)


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each placeholder replaced by its value (`values` by the keys of
    PLACEHOLDERS; texts are checked when
    saved; one that is not says which placeholder it does not know)."""

    def value(match: re.Match) -> str:
        token, name = match.group(0), match.group(1)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if name is None or name.strip() not in PLACEHOLDERS:
            raise ValidationError(_errors(token))
        return values.get(PLACEHOLDERS[name.strip()][0], "")

    return _TOKEN.sub(value, text)


def paragraphs(text: str) -> list[str]:
    """A long part's paragraphs: split at blank lines, empty ones dropped (a note
    left empty leaves no empty paragraph), lines inside one joined by a space."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [
        " ".join(line.strip() for line in p.split("\n") if line.strip()) for p in parts if p.strip()
    ]
