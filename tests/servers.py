"""Helpers for tests that run real servers: free ports, gunicorn, a cookie-keeping client."""

import http.client
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, *extra: str) -> tuple[subprocess.Popen, str]:
    """gunicorn as in production (one sync worker) on a free port; returns it and its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "recovery_site.wsgi:application", "--workers", "1",
         "--no-control-socket", "--bind", f"127.0.0.1:{port}", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return server, f"http://127.0.0.1:{port}"


def wait_for(url: str, seconds: float = 30) -> None:
    """Until the URL answers 200."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.2)


class Browser:
    """One visitor's browser: cookies kept, redirects reported rather than followed, except
    the 303 that shows a form again (mistakes, Send now, the limit), which every browser
    follows at once: its page's status is reported."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect()
        )

    def get(self, url):
        try:
            response = self.opener.open(url, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()

    def post(self, url, fields):
        page = self.get(url)[1]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **fields}, doseq=True)
        request = urllib.request.Request(url, data=body.encode(), headers={"Referer": url})
        try:
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            if answer.code == 303:
                return self.get(urllib.parse.urljoin(url, answer.headers["Location"]))
            return answer.code, answer.read().decode()


def production_env(database_url: str, **overrides: str) -> dict:
    """The environment of a production server (DJANGO_ENV=production, every required value)
    on the test database, with this test process's keys, so the form tokens it signs and the
    rows it reads agree with the server's."""
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        FIELD_INDEX_KEY=settings.FIELD_INDEX_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        SMTP_HOST="smtp.invalid",
        INTAKE_NOTIFY_EMAILS="intake@clinic.example.org",
        SITE_URL="https://clinic.example.org",
    )
    env.update(overrides)
    return env


def find_nginx() -> str | None:
    """An nginx binary (scripts/install_nginx.sh installs Debian's), or None."""
    for path in (os.environ.get("NGINX_PATH"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if path and os.access(path, os.X_OK):
            return path
    return None


# The main configuration around a site file, shaped like the official nginx image's own:
# its http-level access log records the request line and the Referer, so a site file that
# does not override it leaks them into image-access.log. Temporary files stay in `dir`.
NGINX_MAIN = """\
{user}pid {dir}/nginx.pid;
error_log {dir}/main-error.log notice;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status '
                    '$body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
    access_log {dir}/image-access.log main;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include site.conf;
}}
"""


def start_nginx(binary: str, directory: Path, site: str) -> subprocess.Popen:
    """nginx in the foreground with `site` as its conf.d file; relative includes resolve in
    `directory`, where its pid, logs and temporary files go too. Refuses a bad config."""
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    # As root, nginx would run its workers as nobody, who cannot enter pytest's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(NGINX_MAIN.format(user=user, dir=directory))
    command = [binary, "-p", f"{directory}/", "-c", str(main), "-e", str(directory / "startup.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    return subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def raw_request(port, method, path, headers=None, body=None, source="127.0.0.1", timeout=10):
    """One request on its own connection from `source` (any 127.x address), headers exactly
    as given; returns the status, the headers and the page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(source, 0))  # fmt: skip
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def stop(*processes: subprocess.Popen | None) -> None:
    """Stop servers started here, killing any that do not stop within 10 seconds."""
    for process in processes:
        if process is None:
            continue
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
