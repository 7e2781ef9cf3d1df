#!/bin/sh
# Print the path of a Python 3.12+ interpreter, preferring 3.12: the production image runs
# it (python:3.12-slim), so tests here run what production runs. A pyenv shim for a version
# that is installed but not selected fails when run, so each candidate is tried, not just
# found.
for candidate in ${PYTHON:-} python3.12 \
    "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 \
    /usr/local/bin/python3.12 /opt/homebrew/bin/python3.12 /usr/bin/python3.12 \
    python3.13 python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "No Python 3.12 or newer found. Install Python 3.12 (python.org, your package manager," >&2
echo "or 'pyenv install 3.12'), or name one with: make PYTHON=/path/to/python3.12 ..." >&2
exit 1
