"""The OIT items of a fiscal year's catalogue: read from a shipped file, loaded
(missing items added, what a superuser corrected kept), and copied from another
year, renumbered when the new year's list starts elsewhere.

The numbers are data ("O42" in 2566, "O26" in 2569): nothing in code names one.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalogue.models import FiscalYear, OitItem
from organizations.access import can_administer_installation
from thai.conventions import normalize_sara_am

FILLED_BY = {choice.value for choice in OitItem.FilledBy}
NUMBER = re.compile(r"^(?P<prefix>[^\d]*)(?P<digits>\d+)(?P<rest>.*)$")
NOT_ADMIN = "เฉพาะผู้ดูแลระบบเท่านั้นที่เพิ่มหรือแก้ไขรายการข้อ OIT ได้"


class OitFileError(ValueError):
    """The "oit" part of a catalogue file cannot be read; the message is Thai."""


def check_oit(data: dict, where: str) -> None:
    """The "oit" part of a catalogue file, when there is one: a source, and items
    with a number each (once), a title (may be empty while unknown), and a known
    `filled_by`."""
    oit = data.get("oit")
    if oit is None:
        return
    if not isinstance(oit, dict) or not isinstance(oit.get("source"), str):
        raise OitFileError(f"{where}: “oit” ต้องมี “source” (ที่มาของรายการข้อ)")
    items = oit.get("items", [])
    if not isinstance(items, list):
        raise OitFileError(f"{where}: “oit” “items” ต้องเป็นรายการ")
    seen = set()
    for place, item in enumerate(items, start=1):
        number = item.get("number") if isinstance(item, dict) else None
        if not isinstance(number, str) or not number.strip():
            raise OitFileError(f"{where}: ข้อ OIT ลำดับที่ {place} ต้องมี “number” เช่น O1")
        if number.strip() in seen:
            raise OitFileError(f"{where}: ข้อ OIT {number} ซ้ำ")
        seen.add(number.strip())
        if not isinstance(item.get("title", ""), str):
            raise OitFileError(f"{where}: ข้อ OIT {number}: “title” ต้องเป็นข้อความ")
        if item.get("filled_by", "") not in FILLED_BY:
            raise OitFileError(
                f"{where}: ข้อ OIT {number}: “filled_by” ต้องเป็นหนึ่งใน "
                + ", ".join(sorted(v for v in FILLED_BY if v))
            )


def load_oit(fiscal_year: FiscalYear, data: dict) -> tuple[int, list[str]]:
    """Add the items of `data["oit"]` the year does not have yet (by number);
    (how many were added, the titles that differ from the stored ones, kept)."""
    oit = data.get("oit") or {}
    existing = {item.number: item for item in OitItem.objects.filter(fiscal_year=fiscal_year)}
    new, differences = [], []
    for order, entry in enumerate(oit.get("items", []), start=1):
        number = entry["number"].strip()
        title = normalize_sara_am(entry.get("title", "").strip())
        found = existing.get(number)
        if found is not None:
            if title and found.title and found.title != title:
                differences.append(
                    f"ข้อ OIT {number}: ในระบบชื่อ “{found.title}” ไฟล์ชื่อ “{title}” คงไว้ตามเดิม"
                )
            continue
        item = OitItem(
            fiscal_year=fiscal_year,
            number=number,
            order=order,
            title=title,
            asks_for=normalize_sara_am(entry.get("asks_for", "").strip()),
            source=entry.get("source", oit["source"]).strip(),
            confirmed=bool(entry.get("confirmed", oit.get("confirmed", False))),
            filled_by=entry.get("filled_by", ""),
        )
        # The year is there and the numbers are told apart here (a number twice in
        # the file counts once): no query per item (a rollover loads a year's list).
        item.full_clean(exclude=["fiscal_year"], validate_unique=False, validate_constraints=False)
        existing[number] = item
        new.append(item)
    OitItem.objects.bulk_create(new)
    return len(new), differences


def oit_data(source: FiscalYear) -> dict | None:
    """The year's items in the file's shape (for copying), or None without items."""
    items = [
        {
            "number": item.number,
            "title": item.title,
            "asks_for": item.asks_for,
            "filled_by": item.filled_by,
        }
        for item in OitItem.objects.filter(fiscal_year=source).order_by("order", "number")
    ]
    if not items:
        return None
    return {"source": copied_source(source), "confirmed": False, "items": items}


def copied_source(source: FiscalYear) -> str:
    return f"คัดลอกจากรายการข้อ OIT ของปีงบประมาณ พ.ศ. {source.year} ยังไม่ได้ตรวจสอบกับคู่มือการประเมินของปีนี้"


# --- Copying a year with new numbers ---------------------------------------------------------


@dataclass(frozen=True)
class CopiedItem:
    old_number: str
    number: str
    title: str
    asks_for: str
    filled_by: str


def renumbered(number: str, position: int, start: int | None) -> str:
    """The item's number in the new year: as it was without `start`; else its
    prefix ("O") with `start` + its position in the list (0 for the first)."""
    if start is None:
        return number
    match = NUMBER.match(number)
    prefix = match["prefix"] if match else ""
    return f"{prefix}{start + position}"


def shift_years(text: str, source_year: int, target_year: int) -> str:
    """The years a title names, moved as far as the fiscal year moves: "ปีงบประมาณ
    2568" in 2569's list reads "ปีงบประมาณ 2569" in 2570's. Only years within two
    of the source year move (other numbers are left alone)."""
    shift = target_year - source_year

    def move(match):
        year = int(match.group(0))
        return str(year + shift) if abs(year - source_year) <= 2 else match.group(0)

    return re.sub(r"(?<!\d)2[5-6]\d\d(?!\d)", move, text)


def copy_plan(source: FiscalYear, target: FiscalYear, start: int | None) -> list[CopiedItem]:
    """What copying `source`'s items into `target` makes, for the confirmation page."""
    items = OitItem.objects.filter(fiscal_year=source).order_by("order", "number")
    return [
        CopiedItem(
            old_number=item.number,
            number=renumbered(item.number, position, start),
            title=shift_years(item.title, source.year, target.year),
            asks_for=shift_years(item.asks_for, source.year, target.year),
            filled_by=item.filled_by,
        )
        for position, item in enumerate(items)
    ]


@transaction.atomic
def copy_oit_items(
    *, user, source: FiscalYear, target: FiscalYear, start: int | None = None
) -> list[OitItem]:
    """Give `target`, which has no OIT items yet, `source`'s items in their order,
    renumbered from `start` when given ("O1", "O2", ...), each marked unconfirmed
    with where it came from."""
    if not can_administer_installation(user):
        raise PermissionDenied(NOT_ADMIN)
    if start is not None and not 0 <= start <= 999:
        raise ValidationError("เลขข้อเริ่มต้นต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 999")
    if source.pk == target.pk:
        raise ValidationError("เลือกปีงบประมาณต้นทางที่ไม่ใช่ปีเดียวกัน")
    # Locks the target year: two copies at once make one list, not two.
    FiscalYear.objects.select_for_update().filter(pk=target.pk).first()
    if have := OitItem.objects.filter(fiscal_year=target).count():
        raise ValidationError(
            f"ปีงบประมาณ พ.ศ. {target.year} มีรายการข้อ OIT อยู่แล้ว {have} ข้อ "
            "แก้ไขทีละข้อ หรือลบรายการเดิมก่อนคัดลอก"
        )
    plan = copy_plan(source, target, start)
    if not plan:
        raise ValidationError(f"ปีงบประมาณ พ.ศ. {source.year} ยังไม่มีรายการข้อ OIT ให้คัดลอก")
    made = []
    for order, entry in enumerate(plan, start=1):
        note = "" if entry.number == entry.old_number else f" (ข้อ {entry.old_number} ของปีนั้น)"
        item = OitItem(
            fiscal_year=target,
            number=entry.number,
            order=order,
            title=entry.title,
            asks_for=entry.asks_for,
            filled_by=entry.filled_by,
            source=copied_source(source) + note,
            confirmed=False,
        )
        item.full_clean()
        item.save()
        made.append(item)
    return made
