#!/bin/sh
# Make a Chromium available for the browser tests. Debian's package is used where it
# exists (Playwright cannot download its own browser on networks limited to package
# registries); elsewhere, e.g. on macOS, Playwright's own download.
set -e
for path in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$path" ] && [ -x "$path" ]; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "The browser tests need Chromium: run 'apt-get install chromium' as root." >&2; exit 1
  fi
  echo "Installing Debian's chromium for the browser tests ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  exit 0
fi
echo "Installing Playwright's Chromium for the browser tests ..."
"$1" -m playwright install chromium
