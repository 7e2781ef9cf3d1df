"""Headless Chromium against a live server: Debian's browser where it exists."""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# the database calls the live server fixtures make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, serving static files as production does.

    Its default static handler looks files up through the finders, which know nothing of
    the hashed names in the manifest; passing requests straight on lets WhiteNoise serve
    the collected files, with the same names and headers as production.
    """
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


class PageWatch:
    """What a page did that a visitor would suffer from: errors and foreign requests."""

    def __init__(self, page, origin):
        self.origin = origin
        self.page = page
        self.foreign_requests = []
        self.console_errors = []
        # Content-Security-Policy violations, as the browser reports them to the page.
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def csp_violations(self):
        return self.page.evaluate("window.__cspViolations || []")

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def watch(page, live_server):
    """Attach to `page` before navigating; assert on it after."""
    return PageWatch(page, live_server.url)
