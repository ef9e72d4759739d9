"""The shipped Sarabun fonts must give PDFs a text layer that copies out as the Thai typed.

Stock Sarabun + WeasyPrint share one glyph between า and the tail of ำ, so one of them extracts
wrongly ("ดำเนินการ" -> "ดำเนินกำร", "น้ำ" -> "นำ"; WeasyPrint issue #2841). static/fonts holds
copies patched by scripts/patch_sarabun.py; these tests render through WeasyPrint and read the
PDF back with pypdf. Plain pytest functions: no Django needed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
import weasyprint

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FACES = {
    (400, "normal"): "Sarabun-Regular.ttf",
    (700, "normal"): "Sarabun-Bold.ttf",
    (400, "italic"): "Sarabun-Italic.ttf",
    (700, "italic"): "Sarabun-BoldItalic.ttf",
}
# SARA AM without and with each tone mark, plain SARA AA, and ป้ำ (not a word: it exercises the
# .narrow nikhahit+tone ligature used after ป ฝ ฟ). การ comes both before and after ดำเนินการ
# because WeasyPrint keeps the first text it sees for a glyph.
WORDS = [
    "การ",
    "ดำเนินการ",
    "น้ำ",
    "ค่ำ",
    "ต่ำ",
    "ซ้ำ",
    "ก๋ำ",
    "ก๊ำ",
    "คำ",
    "กำหนด",
    "ราชการ",
    "ป้ำ",
    "การ",
]


def _render(weight: int, style: str) -> pypdf.PdfReader:
    faces = "".join(
        f"@font-face {{ font-family: Sarabun; font-weight: {w}; font-style: {s};"
        f" src: url('{(FONT_DIR / name).as_uri()}'); }}"
        for (w, s), name in FACES.items()
    )
    html = (
        f"<html><head><meta charset='utf-8'><style>{faces}"
        f" body {{ font-family: Sarabun; font-size: 16pt; font-weight: {weight};"
        f" font-style: {style}; }}</style></head>"
        f"<body><p>{' '.join(WORDS)}</p></body></html>"
    )
    return pypdf.PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))


def test_font_files_are_shipped():
    for name in [*FACES.values(), "OFL.txt"]:
        assert (FONT_DIR / name).is_file(), f"missing {name}: run python scripts/patch_sarabun.py"


@pytest.mark.parametrize(
    ("weight", "style", "postscript"),
    [
        (400, "normal", "Sarabun"),
        (700, "normal", "Sarabun-Bold"),
        (400, "italic", "Sarabun-Italic"),
        (700, "italic", "Sarabun-Bold-Italic"),
    ],
)
def test_thai_words_extract_exactly(weight, style, postscript):
    reader = _render(weight, style)
    extracted = " ".join(page.extract_text() for page in reader.pages).split()

    for word in dict.fromkeys(WORDS):
        assert word in extracted, f"{word!r} not extracted exactly; got {extracted}"
    assert extracted == WORDS

    base_fonts = [
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    ]
    assert base_fonts, "no font embedded"
    # No silent fallback to another family, and the weight asked for is the one embedded
    # (subset names look like "/ABCDEF+Sarabun-Bold").
    assert all("Sarabun" in name for name in base_fonts), base_fonts
    assert any(name.split("+")[-1] == postscript for name in base_fonts), base_fonts
