"""Compound words kept whole at line ends (thai.words, issue 21)."""

import re

from django.template import Context, Template

from thai.words import COMPOUNDS, keep_words


def test_compounds_are_wrapped_and_the_text_is_unchanged():
    text = "เจ้าหน้าที่ผู้รับผิดชอบของหน่วยงานให้บริการประชาชน"
    html = keep_words(text)
    assert html == (
        '<span class="kw">เจ้าหน้าที่</span><span class="kw">ผู้รับผิดชอบ</span>ของ'
        '<span class="kw">หน่วยงาน</span><span class="kw">ให้บริการ</span>ประชาชน'
    )
    assert re.sub(r"<[^>]+>", "", html) == text


def test_what_was_typed_is_escaped_and_no_span_is_nested():
    html = keep_words('<b>หน่วยงาน</b> & "ปฏิบัติหน้าที่"')
    assert html == (
        '&lt;b&gt;<span class="kw">หน่วยงาน</span>&lt;/b&gt; &amp; '
        '&quot;<span class="kw">ปฏิบัติหน้าที่</span>&quot;'
    )
    # The longer compound wins: ปฏิบัติงาน is not cut out of ปฏิบัติหน้าที่ or left
    # as ปฏิบัติ + a span, and no span opens inside another.
    for word in COMPOUNDS:
        assert keep_words(word) == f'<span class="kw">{word}</span>', word
    assert "<span" not in re.sub(
        r'<span class="kw">[^<]*</span>', "", keep_words("".join(COMPOUNDS))
    )
    assert sorted(COMPOUNDS, key=len, reverse=True) == COMPOUNDS


def test_a_compound_inside_another_syllable_is_left_alone():
    # "เงาน" / "งานั": the letters of งาน with a vowel of the syllable around them.
    assert keep_words("ของหน่วยงานั") == "ของหน่วยงานั"
    assert keep_words("เหน่วยงาน") == "เหน่วยงาน"


def test_the_template_filter():
    rendered = Template("{% load thai %}{{ text|keep_words }}").render(
        Context({"text": "ผู้บริหาร<script>"})
    )
    assert rendered == '<span class="kw">ผู้บริหาร</span>&lt;script&gt;'


def test_a_reader_of_the_page_sees_the_words_whole():
    from testing.pages import visible_text

    text = "สำหรับเจ้าหน้าที่ผู้รับผิดชอบของหน่วยงาน และผู้บริหาร"
    assert visible_text(f"<p>{keep_words(text)}</p><p>ต่อ</p>") == f"{text} ต่อ"
