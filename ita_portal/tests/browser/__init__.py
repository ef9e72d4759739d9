"""Browser tests (Playwright on Debian's Chromium); scripts/screenshots.py shares the launch
settings below."""

CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by scripts/install.sh
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests and CI run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
