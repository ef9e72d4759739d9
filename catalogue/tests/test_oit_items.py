"""The OIT items of each year's catalogue: shipped with their sources (unknown
numbers and years marked unconfirmed), loaded into a database that had the
indicators before the lists shipped, edited and copied with new numbers by the
superuser (a confirmation page first)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalogue import oit_services
from catalogue import services as catalogue
from catalogue.models import FiscalYear, OitItem
from organizations.access import SYSTEM
from testing.pages import visible_text

pytestmark = pytest.mark.django_db


def items_of(year: int) -> list[tuple[str, str, str]]:
    return list(
        OitItem.objects.filter(fiscal_year__year=year)
        .order_by("order")
        .values_list("number", "title", "filled_by")
    )


def test_the_shipped_lists_load_with_their_sources_and_nothing_confirmed():
    catalogue.load_shipped()
    i2566 = items_of(2566)
    assert [n for n, _, _ in i2566] == [f"O{n}" for n in range(1, 44)]
    assert i2566[41] == ("O42", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "measures")
    assert i2566[42][2] == "six_months"
    # 2569: the list one agency published, O1–O26, the previous year's report as O26.
    i2569 = items_of(2569)
    assert len(i2569) == 26
    assert i2569[24] == ("O25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", "analysis")
    assert i2569[25] == (
        "O26",
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ 2568",
        "previous_twelve_months",
    )
    # No title is made up: numbers known to exist, titles not known, are empty.
    assert i2569[0] == ("O1", "", "")
    # 2567: nothing was found.
    assert items_of(2567) == []
    assert not OitItem.objects.filter(confirmed=True).exists()
    o26 = OitItem.objects.get(fiscal_year__year=2570, number="O26")
    assert o26.title.endswith("ปีงบประมาณ 2569")
    assert "ไม่พบแหล่งข้อมูลรายการข้อ OIT ของปี 2570" in o26.source
    assert (
        "หน้าเว็บไซต์ของหน่วยงานภาครัฐ"
        in OitItem.objects.get(fiscal_year__year=2566, number="O42").source
    )


def test_a_database_loaded_before_the_lists_shipped_gets_them_and_keeps_corrections():
    data = catalogue.read_catalogue(catalogue.shipped_file(2569))
    catalogue.load_catalogue({k: v for k, v in data.items() if k != "oit"})
    assert items_of(2569) == []
    catalogue.load_shipped()
    assert len(items_of(2569)) == 26
    OitItem.objects.filter(fiscal_year__year=2569, number="O21").update(title="แก้ไขแล้ว")
    again = catalogue.load_catalogue(data)
    assert again.oit_items == 0
    assert "ข้อ OIT O21: ในระบบชื่อ “แก้ไขแล้ว”" in again.differences[0]
    assert OitItem.objects.get(fiscal_year__year=2569, number="O21").title == "แก้ไขแล้ว"


def test_a_bad_list_is_refused_naming_the_item():
    data = catalogue.read_catalogue(catalogue.shipped_file(2569))
    data["oit"]["items"][3]["number"] = "O5"
    with pytest.raises(catalogue.CatalogueError, match="ข้อ OIT O5 ซ้ำ"):
        catalogue.check_catalogue(data)
    data["oit"]["items"][3] = {"number": "O4", "filled_by": "website"}
    with pytest.raises(catalogue.CatalogueError, match="ข้อ OIT O4: “filled_by” ต้องเป็น"):
        catalogue.check_catalogue(data)


def test_copying_a_year_renumbers_in_order_and_moves_the_years_in_titles():
    catalogue.load_shipped()
    source = FiscalYear.objects.get(year=2566)
    target = FiscalYear.objects.get(year=2567)
    made = oit_services.copy_oit_items(user=SYSTEM, source=source, target=target, start=1)
    assert [i.number for i in made] == [f"O{n}" for n in range(1, 44)]
    measures = OitItem.objects.get(fiscal_year=target, filled_by="measures")
    assert measures.number == "O42" and not measures.confirmed
    assert "คัดลอกจากรายการข้อ OIT ของปีงบประมาณ พ.ศ. 2566" in measures.source
    # A list starting elsewhere: 2569's 26 items from O5.
    OitItem.objects.filter(fiscal_year__year=2570).delete()
    target = FiscalYear.objects.get(year=2570)
    made = oit_services.copy_oit_items(
        user=SYSTEM, source=FiscalYear.objects.get(year=2569), target=target, start=5
    )
    assert (made[0].number, made[-1].number) == ("O5", "O30")
    assert made[-1].title.endswith("ปีงบประมาณ 2569")
    assert "(ข้อ O26 ของปีนั้น)" in made[-1].source
    with pytest.raises(ValidationError, match="มีรายการข้อ OIT อยู่แล้ว 26 ข้อ"):
        oit_services.copy_oit_items(user=SYSTEM, source=source, target=target)
    coordinator = get_user_model().objects.create_user("coord")
    with pytest.raises(PermissionDenied):
        oit_services.copy_oit_items(user=coordinator, source=source, target=target)


def test_the_superuser_copies_a_year_in_the_admin_after_a_confirmation(client):
    catalogue.load_shipped()
    client.force_login(get_user_model().objects.create_superuser("root", "", "pass-1234"))
    target = FiscalYear.objects.get(year=2567)
    url = reverse("admin:catalogue_fiscalyear_changelist")
    picked = {"action": "copy_oit_items", "_selected_action": [target.pk]}
    asked = client.post(url, picked)
    assert "คัดลอกรายการข้อ OIT ไปยังปีงบประมาณ พ.ศ. 2567" in visible_text(asked)
    source = FiscalYear.objects.get(year=2566)
    preview = client.post(url, {**picked, "source": source.pk, "start": "1", "preview": "1"})
    text = visible_text(preview)
    assert "ตัวอย่างรายการของปีงบประมาณ พ.ศ. 2567 (43 ข้อ)" in text
    assert not OitItem.objects.filter(fiscal_year=target).exists()  # nothing before confirming
    bad = client.post(url, {**picked, "source": source.pk, "start": "หนึ่ง", "preview": "1"})
    assert "เลขข้อเริ่มต้นต้องเป็นจำนวนเต็ม" in visible_text(bad)
    done = client.post(url, {**picked, "source": source.pk, "start": "1", "confirm": "1"})
    assert done.status_code == 302
    assert len(items_of(2567)) == 43
    listing = visible_text(client.get(reverse("admin:catalogue_oititem_changelist")))
    assert "ข้อของ OIT" in listing


def test_the_superuser_edits_an_item_through_the_services(client):
    catalogue.load_shipped()
    client.force_login(get_user_model().objects.create_superuser("root", "", "pass-1234"))
    item = OitItem.objects.get(fiscal_year__year=2569, number="O1")
    url = reverse("admin:catalogue_oititem_change", args=[item.pk])
    page = client.get(url)
    assert "ตรวจสอบกับคู่มือการประเมินแล้ว" in visible_text(page)
    data = {
        "fiscal_year": item.fiscal_year_id,
        "order": "1",
        "number": "O1",
        "title": "โครงสร้าง",
        "asks_for": "",
        "filled_by": "",
        "confirmed": "on",
        "source": "คู่มือการประเมิน ITA 2569",
        "_save": "บันทึก",
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.confirmed) == ("โครงสร้าง", True)
    clash = client.post(url, {**data, "number": "O2"})
    assert "ปีงบประมาณนี้มีข้อ OIT หมายเลขนี้อยู่แล้ว" in visible_text(clash)


def test_a_new_year_copied_from_the_last_one_gets_its_items_unconfirmed():
    catalogue.load_shipped()
    OitItem.objects.filter(fiscal_year__year=2569, number="O1").update(confirmed=True)
    new_year = FiscalYear.objects.create(year=2571)
    loaded = catalogue.copy_catalogue(
        user=SYSTEM, source=FiscalYear.objects.get(year=2569), target=new_year
    )
    assert loaded.oit_items == 26
    assert [n for n, _, _ in items_of(2571)] == [f"O{n}" for n in range(1, 27)]
    assert not OitItem.objects.filter(fiscal_year=new_year, confirmed=True).exists()
    assert all(
        s.startswith("คัดลอกจากรายการข้อ OIT ของปีงบประมาณ พ.ศ. 2569")
        for s in OitItem.objects.filter(fiscal_year=new_year).values_list("source", flat=True)
    )
