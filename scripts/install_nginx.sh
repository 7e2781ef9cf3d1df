#!/bin/sh
# Make nginx available for tests/test_nginx.py, which runs the shipped deploy/nginx.conf in
# front of gunicorn. Debian's nginx-light is enough (it has the realip and map modules);
# the test runs it from a config under its own temporary folder, never as a system service.
set -e
for path in "${NGINX_PATH:-}" /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; do
  if [ -n "$path" ] && [ -x "$path" ]; then exit 0; fi
done
if command -v nginx >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "The proxy test needs nginx: run 'apt-get install nginx-light' as root." >&2; exit 1
  fi
  echo "Installing Debian's nginx-light for the proxy test ..."
  $SUDO apt-get update -qq
  # Debian's package starts a system nginx on port 80 where init is running; the test needs
  # only the binary, so a policy-rc.d that refuses service starts keeps it quiet.
  package=nginx-light
  apt-cache policy nginx-light 2>/dev/null | grep -q 'Candidate: [0-9]' || package=nginx
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy"
    trap '$SUDO rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  exit 0
fi
echo "The proxy test needs nginx: install it (e.g. 'brew install nginx') and run make test again." >&2
exit 1
