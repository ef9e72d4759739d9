"""The Content-Security-Policy header, and templates that need no inline script or
style to work under it."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ita_portal.security import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_pages_carry_the_policy(client, db):
    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("'unsafe-inline'" in values for values in policy.values())
    assert not any("'unsafe-eval'" in values for values in policy.values())


def test_pdfs_carry_no_policy_that_would_blank_chromes_pdf_viewer():
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    request = RequestFactory().get("/p/ubon-pao/2566/6.pdf")
    middleware.process_request(request)
    pdf = middleware.process_response(request, HttpResponse(b"%PDF-1.7", "application/pdf"))
    assert "Content-Security-Policy" not in pdf
    page = middleware.process_response(request, HttpResponse(b"<p>", "text/html"))
    assert "Content-Security-Policy" in page


def _served_templates():
    folders = [ROOT / "templates"] + [
        ROOT / app / "templates" for app in ("measures", "reports", "ita_portal")
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            # The PDF's source: read by WeasyPrint, never served to a browser.
            if path.name != "report_pdf.html":
                yield path


INLINE = [
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("path", list(_served_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{path.relative_to(ROOT)}: {found}"


def test_charts_have_no_inline_style():
    source = (ROOT / "oversight" / "charts.py").read_text()
    assert not re.search(r"\sstyle=", source)
