"""The texts' placeholders: named values only, nothing read or run from a text."""

import pytest
from django.core.exceptions import ValidationError

from paperwork import texts
from paperwork.render import html, sheet

VALUES = {"organization": "อบต.บ้านนา", "version": "2", "title": "<b>รายงาน</b>"}


def test_named_placeholders_are_filled_and_doubled_braces_kept():
    filled = texts.fill("{{ตัวอย่าง}} {หน่วยงาน} ฉบับที่ { ฉบับที่ }", VALUES)
    assert filled == "{ตัวอย่าง} อบต.บ้านนา ฉบับที่ 2"


@pytest.mark.parametrize(
    "text, named",
    [
        ("{ชื่อเรื่อง}", "ไม่รู้จักช่องข้อมูล {ชื่อเรื่อง}"),
        ("{หน่วยงาน.__class__}", "ไม่รู้จักช่องข้อมูล {หน่วยงาน.__class__}"),
        ("{% load static %}", "ไม่รู้จักช่องข้อมูล {% load static %}"),
        ("ฉบับที่ {ฉบับที่", "วงเล็บปีกกา “{”"),
    ],
)
def test_anything_else_is_refused_naming_it_and_the_part(text, named):
    with pytest.raises(ValidationError) as refused:
        texts.check(texts.MEMO, {**texts.defaults(texts.MEMO), "subject": text})
    messages = refused.value.message_dict["subject"]
    assert any(m.startswith("เรื่อง: ") and named in m for m in messages), messages


def test_values_stay_text_in_the_document():
    """A value (or a text) that looks like markup is printed as typed: the templates
    escape it."""
    doc = sheet(texts.FORM, texts.defaults(texts.FORM), VALUES, ("09.30", "14.05"))
    page = html(doc)
    assert "&lt;b&gt;รายงาน&lt;/b&gt;" in page
    assert "<b>รายงาน</b>" not in page
