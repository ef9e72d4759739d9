"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's
live server.

- The browser is /usr/bin/chromium from Debian (scripts/install.sh installs it);
  `playwright install` and its browser download are never used.
- Playwright's sync API runs an asyncio event loop on the main thread and leaves it
  marked as running for as long as the session-scoped `playwright` fixture lives,
  i.e. until the end of the pytest session. Django then refuses ORM calls from that
  thread ("SynchronousOnlyOperation: You cannot call this from an async context"),
  both in these tests (which create users and read the database) and in every test
  that runs after them in the same session. Nothing here or in the portal runs
  coroutines, so the check is switched off for the session once this folder is
  collected. It must be set before the first test, hence at import time.
"""

import os
from pathlib import Path

import pytest

from ita_portal.tests.browser import CHROMIUM, CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every wait (a page load, an element to appear) fails after this long: a broken
# page fails the test in seconds instead of Playwright's default 30 s.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (scripts/install.sh installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened relative to the live server: page.goto("/").

    Also replaces pytest-playwright 0.10.0's own `base_url`, a fixture defined as an
    instance method, which pytest 9 reports with a PytestRemovedIn10Warning (an error
    under this project's `filterwarnings = error`).
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Thai locale and time zone, a desktop-sized window."""
    return {
        **browser_context_args,
        "locale": "th-TH",
        "timezone_id": "Asia/Bangkok",
        "viewport": {"width": 1280, "height": 900},
    }


# Reports every Content-Security-Policy violation of every page and frame to the
# console, where the context's listener below collects it. Playwright runs this
# before the page's own scripts and outside the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${document.location.pathname} (${event.sourceFile || "the page"}:${event.lineNumber})`);
});
"""


def _is_csp_violation(message) -> bool:
    text = message.text
    # Ours (above), and Chromium's own "Refused to ... Content Security Policy ...".
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations():
    """What the pages of this test's browser contexts broke of the Content-Security-
    Policy. A test that leaves anything here fails."""
    violations: list[str] = []
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def new_context(new_context, csp_violations):
    """Each person gets their own browser context (their own cookies and session);
    every page they open is watched for Content-Security-Policy violations."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on(
            "console",
            lambda message: _is_csp_violation(message) and csp_violations.append(message.text),
        )
        return context

    return make
