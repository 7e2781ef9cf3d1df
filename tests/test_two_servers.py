"""Two web servers, one database: a visitor's limit and a staff session hold on both."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from recovery_site.backup import connection_uri
from tests.conftest import form_token
from tests.factories import user_in_role

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers():
    """Two gunicorn servers, as in production, on the test database."""
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": connection_uri(connection.settings_dict["NAME"]),
        "INTAKE_RATE_LIMIT": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    ports = [free_port(), free_port()]
    command = [sys.executable, "-m", "gunicorn", "recovery_site.wsgi:application",
               "--workers", "1", "--no-control-socket"]  # fmt: skip
    servers = [
        subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + 30
    for url in urls:
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    yield urls
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    """One visitor's browser: cookies kept, redirects reported rather than followed."""

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
            return answer.code, answer.read().decode()


def test_a_visitors_limit_is_shared_by_both_servers(two_servers):
    first, second = two_servers
    visitor = Browser()

    def message(number):
        return {"name": "Sam", "email": "sam@example.com", "message": f"Message {number}",
                "form_token": form_token()}  # fmt: skip

    statuses = [
        visitor.post(f"{first}/contact/", message(1))[0],
        visitor.post(f"{second}/contact/", message(2))[0],
        visitor.post(f"{first}/contact/", message(3))[0],
        visitor.post(f"{second}/contact/", message(4))[0],
    ]

    assert statuses == [302, 302, 429, 429]


def test_a_staff_session_started_on_one_server_works_on_the_other(two_servers, staff_roles):
    first, second = two_servers
    user_in_role("Intake coordinators", username="casey")
    staff = Browser()

    status, _ = staff.post(
        f"{first}/admin/login/?next=/admin/",
        {"username": "casey", "password": "correct horse battery staple", "next": "/admin/"},
    )
    assert status == 302

    status, page = staff.get(f"{second}/admin/intake/helprequest/")
    assert status == 200 and "Requests for help" in page
