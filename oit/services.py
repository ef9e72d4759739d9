"""Writes of the agency's OIT links: set, change or clear one item's link, checked
(http/https only, a Thai message naming the item), with its history, and refused
when someone changed the link since the form was shown (never overwritten)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from catalogue.models import OitItem
from oit.models import AgencyOitLink
from organizations.access import may_set_oit_links, recorded_user
from organizations.models import Organization
from thai.conventions import normalize_sara_am

MAX_URL = 1000
_url = URLValidator(schemes=["http", "https"])


@dataclass
class LinkConflict(Exception):
    """The link changed since the form showed version `seen`: `current` is what it
    is now ("" when none)."""

    item: OitItem
    current: str

    @property
    def message(self) -> str:
        now = f"เป็น {self.current}" if self.current else "ว่าง"
        return (
            f"ข้อ {self.item.number}: มีผู้แก้ไขลิงก์ของข้อนี้หลังจากที่คุณเปิดหน้านี้ "
            f"ขณะนี้ลิงก์{now} จึงยังไม่บันทึกสิ่งที่คุณกรอก กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
        )


def checked_url(item: OitItem, url: str) -> str:
    """The link as it is kept (spaces around it removed), or a Thai error naming the
    item; "" clears it."""
    url = normalize_sara_am(url or "").strip()
    if not url:
        return ""
    where = f"ข้อ {item.number}"
    if len(url) > MAX_URL:
        raise ValidationError(f"{where}: ลิงก์ยาวเกิน {MAX_URL:,} ตัวอักษร")
    try:
        _url(url)
    except ValidationError:
        raise ValidationError(
            f"{where}: “{url[:200]}” ไม่ใช่ลิงก์ของหน้าเว็บ กรุณากรอกลิงก์ที่ขึ้นต้นด้วย http:// "
            "หรือ https:// เช่น https://www.example.go.th/ita/o1"
        ) from None
    return url


@transaction.atomic
def set_link(
    *, user, organization: Organization, item: OitItem, url: str, seen_version: int
) -> AgencyOitLink | None:
    """Set the agency's link for `item` to `url` ("" clears it). `seen_version` is
    the version the form showed (0: no link then); a link changed since is not
    overwritten (LinkConflict). Returns the link row (None if there never was one
    and none is set)."""
    if not may_set_oit_links(user, organization):
        raise PermissionDenied("คุณไม่มีสิทธิ์แก้ไขลิงก์ข้อ OIT ของหน่วยงานนี้")
    url = checked_url(item, url)
    link = (
        AgencyOitLink.objects.select_for_update()
        .filter(organization=organization, item=item)
        .first()
    )
    if (link.version if link else 0) != seen_version:
        raise LinkConflict(item, link.url if link else "")
    if link is None and not url:
        return None
    if link is not None and link.url == url:
        return link
    if link is None:
        link = AgencyOitLink(organization=organization, item=item, version=0)
    link.url = url
    link.version += 1
    link.updated_by = recorded_user(user)
    link._change_reason = "ล้างลิงก์" if not url else "บันทึกลิงก์"
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        # Another request made the item's first link at the same moment.
        current = AgencyOitLink.objects.get(organization=organization, item=item)
        raise LinkConflict(item, current.url) from None
    return link
