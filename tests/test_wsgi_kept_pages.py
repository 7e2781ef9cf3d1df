"""The WSGI layer in front of Django (recovery_site/wsgi.py) answers a kept page exactly as
Django does, headers, request id and log line included, and leaves everything else to it."""

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from education.page_cache import bump_content_version
from recovery_site.wsgi import KeptPagesApplication

pytestmark = pytest.mark.django_db

GUIDE = "/learn/heroin-withdrawal/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    settings.SECURE_HSTS_SECONDS = 3600


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Django's handler closes old connections around each request; the test client does
    not, and neither may these calls: the test's transaction lives on that connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def app():
    """The layer in front of a Django handler made now (its middleware reads the settings
    these tests change), as wsgi.py puts it in front of Django's."""
    return KeptPagesApplication(WSGIHandler())


def call(app, path, method="get", **extra) -> tuple[str, list, bytes]:
    """What a browser gets from `app` for `path`: status, headers and body."""
    environ = getattr(RequestFactory(), method)(path, **extra).environ
    answered = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: answered.append(
        (status, headers))))  # fmt: skip
    return (*answered[0], body)


def not_called(environ, start_response):
    raise AssertionError("Django was asked, not the layer")


def without_request_id(headers) -> list:
    return [(name, value) for name, value in headers if name != "X-Request-ID"]


@pytest.mark.parametrize("path", ["/", GUIDE, "/es/", "/es/learn/abstinencia-de-heroina/"])
def test_a_kept_page_comes_from_the_layer_exactly_as_django_sent_it(app, guides, path):
    call(app, path, secure=True)  # rendered
    status, headers, body = call(app, path, secure=True)  # from the page cache, remembered

    app.application = not_called  # Django would fail the test if it were asked

    again = call(app, path, secure=True)

    assert again[0] == status == "200 OK"
    assert without_request_id(again[1]) == without_request_id(headers)
    assert again[2] == body and body.startswith(b"<!doctype html>")
    assert {"Content-Security-Policy", "Strict-Transport-Security", "Content-Language"} <= {
        name for name, _value in again[1]
    }


def test_each_answer_has_its_own_request_id_and_its_one_log_line(app, guides, caplog):
    call(app, GUIDE)
    call(app, GUIDE)
    caplog.set_level(logging.INFO, logger="recovery_site.requests")
    caplog.clear()

    first = dict(call(app, GUIDE)[1])
    second = dict(call(app, GUIDE, HTTP_X_REQUEST_ID="proxy-id-12345")[1])

    assert first["X-Request-ID"] != second["X-Request-ID"] == "proxy-id-12345"
    lines = [r for r in caplog.records if r.name == "recovery_site.requests"]
    assert [(r.method, r.path, r.status) for r in lines] == [("GET", GUIDE, 200)] * 2


def test_a_staff_edit_shows_once_the_content_version_is_checked_again(app, guides, settings):
    call(app, GUIDE)
    call(app, GUIDE)
    bump_content_version()
    settings.PAGE_CACHE_VERSION_SECONDS = 0  # as when the interval has passed

    with CaptureQueriesContext(connection) as queries:
        call(app, GUIDE)

    assert len(queries) > 0, "the old page was answered after the version changed"


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("get", {"QUERY_STRING": "q=1"}),
        ("head", {}),
        ("get", {"HTTP_COOKIE": "sessionid=abc"}),
        ("get", {"HTTP_IF_NONE_MATCH": '"x"'}),
        ("get", {"HTTP_HOST": "other.example"}),
        ("get", {"HTTP_X_FORWARDED_PROTO": "https"}),
    ],
)
def test_anything_else_is_left_to_django(app, guides, method, extra):
    call(app, GUIDE)
    call(app, GUIDE)
    answered_by_django, django = [], app.application
    app.application = lambda environ, start: answered_by_django.append(environ) or \
        django(environ, start)  # fmt: skip

    call(app, GUIDE, method=method, **extra)

    assert len(answered_by_django) == 1
