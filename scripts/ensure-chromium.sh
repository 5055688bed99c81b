#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (npm run test:e2e) when it is not there yet.
# playwright-core drives it at /usr/bin/chromium; no browser download from the Playwright CDN is needed.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "/usr/bin/chromium is missing and apt-get is not available: install Chromium with your package manager." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
