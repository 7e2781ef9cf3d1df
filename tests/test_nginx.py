"""The shipped deploy/nginx.conf, run in a real nginx in front of gunicorn in production.

It holds the proxy's part of the security review: nothing a visitor searched, sent or came
from reaches nginx's logs; behind a TLS load balancer the app sees https and one visitor
address, both believed from the balancer alone; slow uploads wait in nginx, not in a
gunicorn worker; readers' pages are microcached for a second, nothing else is. The test's
balancer is loopback (127.0.0.1); 127.0.0.2 is anyone else.
"""

import importlib.util
import os
import re
import secrets
import socket
import threading
import time
from collections import namedtuple
from html import unescape
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest
import yaml
from django.db import connection

from recovery_site.backup import connection_uri
from tests.helpers import form_token
from tests.servers import (
    ROOT,
    find_nginx,
    free_port,
    production_env,
    raw_request,
    start_gunicorn,
    start_nginx,
    stop,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

BALANCER, STRANGER = "127.0.0.1", "127.0.0.2"
SEARCH = "/learn/search/?q=my+son+overdosed+on+fentanyl"
REFERER = "https://search.example/results?q=naloxone+near+me"
PRIVATE = ["overdosed", "fentanyl", "naloxone", "search.example", "/learn/", "/contact/"]

Stack = namedtuple("Stack", "port app_port logs")


def nginx_or_skip() -> str:
    binary = find_nginx()
    if binary:
        return binary
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("nginx is missing in CI: `make test` installs it (scripts/install_nginx.sh)")
    pytest.skip("nginx is not installed here: `make nginx` installs it")


def shipped_site(app_port: int, port: int, folder) -> str:
    """deploy/nginx.conf as scripts/bench_nginx.py runs it, behind the test's balancer."""
    spec = importlib.util.spec_from_file_location("bench_nginx", ROOT / "scripts/bench_nginx.py")
    bench_nginx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_nginx)
    return bench_nginx.shipped_site(
        app_port=app_port, port=port, directory=folder, balancers=balancers_for_test()
    )


def balancers_for_test() -> str:
    """deploy/load-balancers.conf as an operator edits it: its one address, ours instead."""
    shipped = (ROOT / "deploy" / "load-balancers.conf").read_text()
    line = f"set_real_ip_from {BALANCER};"
    edited, count = re.subn(r"^set_real_ip_from \S+;$", line, shipped, flags=re.MULTILINE)
    assert count == 1
    return edited


@pytest.fixture
def stack(tmp_path):
    binary = nginx_or_skip()
    database = connection_uri(connection.settings_dict["NAME"])
    env = production_env(database, INTAKE_RATE_LIMIT="1", TRUSTED_PROXIES=BALANCER)
    app, app_url = start_gunicorn(env, "--workers", "2", "--forwarded-allow-ips", BALANCER)
    nginx = None
    try:
        wait_for(f"{app_url}/healthz")
        app_port, port = int(app_url.rsplit(":", 1)[1]), free_port()
        nginx = start_nginx(binary, tmp_path, shipped_site(app_port, port, tmp_path))
        wait_for(f"http://127.0.0.1:{port}/healthz", seconds=10)
        yield Stack(port, app_port, tmp_path)
    finally:
        stop(nginx, app)


def through_balancer(client: str) -> dict:
    """Headers a TLS load balancer adds for a visitor at `client` (a spoofed chain first)."""
    return {"X-Forwarded-Proto": "https", "X-Forwarded-For": client}


def send_message(port: int, headers: dict) -> int:
    """A visitor opens "Send us a message", fills it in and sends it; the send's status."""
    status, answer, page = raw_request(port, "GET", "/contact/", headers)
    assert status == 200
    cookies = SimpleCookie()
    for line in answer.get_all("Set-Cookie"):
        cookies.load(line)
    fields = {}
    for tag in re.findall(r"<input\b[^>]*\btype=\"hidden\"[^>]*>", page):
        name, value = re.search(r'\bname="([^"]+)"', tag), re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    fields.update(name="Sam", email="sam@example.com", form_token=form_token())
    fields["message"] = "My son overdosed on fentanyl last week."
    post_headers = {
        **headers,
        "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        "Origin": "https://127.0.0.1",
        "Referer": "https://127.0.0.1/contact/",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, answer, _ = raw_request(
        port, "POST", "/contact/", post_headers, urlencode(fields).encode()
    )
    if status != 303:
        return status
    # Not stored (the limit): the form is shown again on the page the 303 names, as a
    # browser follows it at once, with the session that holds what was typed.
    for line in answer.get_all("Set-Cookie") or []:
        cookies.load(line)
    again = {**headers, "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookies.items())}
    shown_again = urlsplit(answer["Location"])
    return raw_request(port, "GET", f"{shown_again.path}?{shown_again.query}", again)[0]


def test_nothing_a_visitor_searched_sent_or_came_from_is_logged(stack):
    balancer = {**through_balancer("203.0.113.9"), "Referer": REFERER}
    status, _, page = raw_request(stack.port, "GET", SEARCH, balancer)
    assert status == 200 and "fentanyl" in page
    assert send_message(stack.port, through_balancer("203.0.113.9")) == 302
    # A body nginx refuses itself is what it would log as an error, request line included.
    too_big = {**balancer, "Content-Length": "200000"}
    assert raw_request(stack.port, "POST", SEARCH, too_big)[0] == 413
    # nginx logs a refused request once it has closed the connection, a moment later.
    deadline = time.monotonic() + 5
    while " POST 413 " not in (stack.logs / "access.log").read_text():
        assert time.monotonic() < deadline, "nginx never logged the refused request"
        time.sleep(0.1)

    logs = {path.name: path.read_text() for path in stack.logs.glob("*.log")}
    assert {"access.log", "error.log", "main-error.log"} <= set(logs)
    for name, text in logs.items():
        leaked = [word for word in PRIVATE if word in text]
        assert leaked == [], f"{name} holds {leaked}"
    # Still a line per request, enough to alert on: time, method, status, size, timings.
    assert " GET 200 " in logs["access.log"] and " POST 302 " in logs["access.log"]


def test_https_from_the_balancer_is_believed_and_plain_http_redirects_once(stack):
    assert raw_request(stack.port, "GET", "/learn/", through_balancer("203.0.113.9"))[0] == 200

    plain_http = {"X-Forwarded-For": "203.0.113.9"}
    status, answer, _ = raw_request(stack.port, "GET", "/learn/", plain_http)
    assert status == 301 and answer["Location"] == "https://127.0.0.1/learn/"
    # The browser follows it over https, through the balancer: the page, not another redirect.
    path = urlsplit(answer["Location"]).path
    assert raw_request(stack.port, "GET", path, through_balancer("203.0.113.9"))[0] == 200

    # Someone reaching nginx directly cannot pass their plain http off as https.
    claim = through_balancer("203.0.113.9")
    status, answer, _ = raw_request(stack.port, "GET", "/learn/", claim, source=STRANGER)
    assert status == 301 and answer["Location"].startswith("https://")


def test_the_app_counts_a_visitor_by_the_address_the_balancer_gave(stack):
    # INTAKE_RATE_LIMIT=1 here: a second message from one visitor gets the friendly 429.
    assert send_message(stack.port, through_balancer("203.0.113.9")) == 302

    # The same visitor sends their own X-Forwarded-For and other address headers; the
    # balancer appends the address it saw. Still the same visitor.
    spoofed = {
        **through_balancer("198.51.100.7, 203.0.113.9"),
        "X-Real-IP": "198.51.100.8",
        "Forwarded": "for=198.51.100.9",
        "Client-IP": "198.51.100.10",
    }
    assert send_message(stack.port, spoofed) == 429

    # Another visitor is counted on their own: the balancer's address does reach the app.
    assert send_message(stack.port, through_balancer("198.51.100.7")) == 302


def stalled_post(port: int) -> socket.socket:
    """A form post that sends its headers and a few bytes of its 1,000-byte body, then waits."""
    # It passes Django's origin and cookie checks, so the app does wait to read its body.
    head = (
        "POST /contact/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.66\r\n"
        f"Origin: https://127.0.0.1\r\nCookie: csrftoken={secrets.token_hex(16)}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(head.encode() + b"name=Sa")
    return sock


def test_slow_uploads_wait_in_nginx_while_pages_keep_loading(stack):
    visitor = through_balancer("203.0.113.9")
    stalled = []
    try:
        # Six stalled uploads, more than gunicorn's two workers, through nginx.
        stalled += [stalled_post(stack.port) for _ in range(6)]
        time.sleep(0.5)
        started = time.monotonic()
        status = raw_request(stack.port, "GET", "/learn/", visitor, timeout=5)[0]
        assert status == 200 and time.monotonic() - started < 3

        # The same uploads sent straight to gunicorn hold both workers: the page never comes.
        stalled += [stalled_post(stack.app_port) for _ in range(6)]
        time.sleep(0.5)
        with pytest.raises(TimeoutError):
            raw_request(stack.app_port, "GET", "/learn/", visitor, timeout=2)
    finally:
        for sock in stalled:
            sock.close()


def test_the_shipped_proxy_gives_up_on_stalled_clients_and_buffers_bodies():
    site = (ROOT / "deploy" / "nginx.conf").read_text()

    assert re.search(r"^\s*proxy_request_buffering on;", site, re.MULTILINE)
    timeouts = ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout")
    for directive in timeouts:
        seconds = re.search(rf"^\s*{directive} (\d+)s;", site, re.MULTILINE)
        assert seconds and int(seconds.group(1)) <= 30, directive
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site


def test_compose_keeps_gunicorn_behind_the_proxy_and_trusts_only_the_proxy():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    web, proxy = compose["services"]["web"], compose["services"]["proxy"]
    network = compose["networks"]["default"]["ipam"]["config"][0]
    proxy_address = proxy["networks"]["default"]["ipv4_address"]

    assert "ports" not in web and web["expose"] == ["8000"]
    assert proxy["ports"] == ["127.0.0.1:8000:8080"]
    assert web["environment"]["TRUSTED_PROXIES"] == proxy_address
    assert "FORWARDED_ALLOW_IPS" not in web["environment"] and "'*'" not in web["command"]
    assert "--forwarded-allow-ips=$${TRUSTED_PROXIES}" in web["command"]
    # nginx believes the one address a TLS proxy on the host arrives from: the gateway.
    balancers = (ROOT / "deploy" / "load-balancers.conf").read_text()
    assert re.findall(r"^set_real_ip_from (\S+);", balancers, re.MULTILINE) == [network["gateway"]]


GUIDE = "/learn/heroin-withdrawal/"
# Each answer's own: when it was sent, its id, and whether it came from the microcache.
PER_ANSWER = {"Date", "X-Request-ID", "X-Cache-Status"}


def read_twice(port: int, path: str, headers: dict | None = None):
    """Two visitors ask for `path` one after the other; both answers."""
    headers = {**through_balancer("203.0.113.9"), **(headers or {})}
    return [raw_request(port, "GET", path, headers) for _ in range(2)]


def test_a_guide_comes_from_the_microcache_with_every_header_the_app_gave_it(stack, guides):
    (status, fresh, page), (again_status, kept, again) = read_twice(stack.port, GUIDE)

    assert status == again_status == 200 and again == page
    assert fresh["X-Cache-Status"] == "MISS" and kept["X-Cache-Status"] == "HIT"
    assert {k: v for k, v in kept.items() if k not in PER_ANSWER} == {
        k: v for k, v in fresh.items() if k not in PER_ANSWER
    }
    assert kept["Content-Security-Policy"] and kept["Strict-Transport-Security"]
    assert kept["X-Frame-Options"] == "DENY" and "no-cache" in kept["Cache-Control"]
    # Each answer still has an id of its own, which the app's log line names.
    assert kept["X-Request-ID"] != fresh["X-Request-ID"]


@pytest.mark.parametrize(
    "path", ["/consultation/", "/es/contact/", "/learn/search/?q=withdrawal", "/admin/login/"]
)
def test_forms_search_and_the_admin_are_never_kept(stack, guides, path):
    for _status, answer, _page in read_twice(stack.port, path):
        assert answer["X-Cache-Status"] == "BYPASS"


@pytest.mark.parametrize(
    ("path", "headers"),
    [(GUIDE, {"Cookie": "sessionid=abc"}), (f"{GUIDE}?utm_source=x", {})],
)
def test_a_visitor_with_a_session_or_a_query_string_skips_the_microcache(
    stack, guides, path, headers
):
    read_twice(stack.port, GUIDE)  # the guide is kept for others

    for status, answer, _page in read_twice(stack.port, path, headers):
        assert status == 200 and answer["X-Cache-Status"] == "BYPASS"


def test_a_staff_edit_shows_within_seconds(stack, guides, django_capture_on_commit_callbacks):
    read_twice(stack.port, GUIDE)
    guide = guides.get(slug="heroin-withdrawal")
    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Withdrawal, explained by our nurses"
        guide.save()

    deadline = time.monotonic() + 15
    while "Withdrawal, explained by our nurses" not in read_twice(stack.port, GUIDE)[1][2]:
        assert time.monotonic() < deadline, "the edit never showed through the proxy"
        time.sleep(0.5)


class SetsACookie(BaseHTTPRequestHandler):
    """An app that sets a cookie on a reader's page, and counts the requests it answers."""

    answered = 0
    PAGE = b"<p>Hello.</p>"

    def do_GET(self):
        SetsACookie.answered += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/; SameSite=Lax")
        self.send_header("Content-Length", str(len(self.PAGE)))
        self.end_headers()
        self.wfile.write(self.PAGE)

    def log_message(self, *args):
        pass


def test_an_answer_that_sets_a_cookie_is_never_kept(tmp_path):
    binary = nginx_or_skip()
    app = ThreadingHTTPServer(("127.0.0.1", 0), SetsACookie)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    nginx = None
    try:
        port = free_port()
        nginx = start_nginx(binary, tmp_path, shipped_site(app.server_port, port, tmp_path))
        wait_for(f"http://127.0.0.1:{port}{GUIDE}", seconds=10)
        SetsACookie.answered = 0

        answers = read_twice(port, GUIDE)
    finally:
        stop(nginx)
        app.shutdown()
        app.server_close()

    assert [answer["X-Cache-Status"] for _status, answer, _page in answers] == ["MISS", "MISS"]
    assert all(answer["Set-Cookie"] for _status, answer, _page in answers)
    assert SetsACookie.answered == 2
