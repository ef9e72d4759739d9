import pytest

from measures.steps_text import ItemLine, ItemTextError, format_item_lines, parse_item_lines


def test_reads_markers_depths_and_continuation_lines():
    text = (
        "- มีข้อมูลรายละเอียดการวิเคราะห์ ประกอบด้วย\n"
        "  (1) ประเด็นที่ข้อบกพร่องหรือจุดอ่อน\n"
        "ที่จะต้องแก้ไขโดยเร่งด่วน\n"
        "\t(๒) ประเด็นที่จะต้องพัฒนาให้ดีขึ้น\n"
        "1) จัดให้มีหน่วยงานตรวจสอบภายใน\n"
    )
    assert parse_item_lines(text) == [
        ItemLine(1, "-", "มีข้อมูลรายละเอียดการวิเคราะห์ ประกอบด้วย"),
        ItemLine(2, "(1)", "ประเด็นที่ข้อบกพร่องหรือจุดอ่อน ที่จะต้องแก้ไขโดยเร่งด่วน"),
        ItemLine(2, "(๒)", "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น"),
        ItemLine(1, "1)", "จัดให้มีหน่วยงานตรวจสอบภายใน"),
    ]


def test_format_is_the_inverse_of_parse():
    items = [ItemLine(1, "-", "ก"), ItemLine(2, "(1)", "ข"), ItemLine(1, "ก.", "ค")]
    assert parse_item_lines(format_item_lines(items)) == items


def test_a_first_line_without_marker_names_the_line():
    with pytest.raises(ItemTextError) as error:
        parse_item_lines("\nมีข้อมูลรายละเอียด")
    assert str(error.value) == (
        "บรรทัดที่ 2 “มีข้อมูลรายละเอียด” ไม่ได้ขึ้นต้นด้วยเครื่องหมายหัวข้อย่อย เช่น - หรือ (1) หรือ 1)"
    )
