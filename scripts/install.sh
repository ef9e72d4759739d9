#!/usr/bin/env bash
# Installs everything the portal and its tests need on a fresh Debian machine:
# system libraries for WeasyPrint, poppler (pdftotext), Chromium for browser
# tests, and the Python virtual environment in .venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# wrk: the HTTP load generator of `make loadtest` (scripts/loadtest.py).
DEB_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium wrk)

missing=()
for package in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
fi

# Reinstall Python packages only when the requirement files change.
stamp=.venv/.requirements.sha256
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/pip install -q -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi
