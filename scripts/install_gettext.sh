#!/bin/sh
# Make GNU gettext available: `make messages` (makemessages, compilemessages) and the test
# that the shipped catalogues hold every string the code marks for translation use it.
set -e
if command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Translations need GNU gettext: run 'apt-get install gettext' as root." >&2; exit 1
  fi
  echo "Installing Debian's gettext for the translation catalogues ..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gettext >/dev/null
  exit 0
fi
echo "Translations need GNU gettext: install it (e.g. 'brew install gettext') and try again." >&2
exit 1
