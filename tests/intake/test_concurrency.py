"""Many people sending the form at the same moment: every request stored, none twice."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from intake.models import HelpRequest
from tests.helpers import form_token

pytestmark = pytest.mark.django_db(transaction=True)

VISITORS = 20


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_contact_form(base_url: str, **fields) -> tuple:
    """A browser of its own (cookies) with the form loaded: returns it and the filled post."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )
    page = opener.open(f"{base_url}/contact/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = {"csrfmiddlewaretoken": csrf, "form_token": form_token(), **fields}
    return opener, urllib.parse.urlencode(body).encode()


def send_when_all_are_ready(base_url: str, opener, body: bytes, start: threading.Barrier) -> int:
    request = urllib.request.Request(
        f"{base_url}/contact/", data=body, headers={"Referer": f"{base_url}/contact/"}
    )
    start.wait(timeout=30)
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as answer:
        return answer.code


def visitor_sends_message(base_url: str, number: int, start: threading.Barrier) -> int:
    opener, body = open_contact_form(
        base_url,
        name=f"Visitor {number}",
        email=f"visitor{number}@example.com",
        message="Please call me back.",
    )
    return send_when_all_are_ready(base_url, opener, body, start)


def test_simultaneous_submissions_each_create_exactly_one_request(live_server, settings):
    settings.INTAKE_RATE_LIMIT = 1_000
    start = threading.Barrier(VISITORS)

    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        statuses = list(
            pool.map(lambda n: visitor_sends_message(live_server.url, n, start), range(VISITORS))
        )

    assert statuses == [302] * VISITORS
    names = sorted(HelpRequest.objects.values_list("name", flat=True))
    assert names == sorted(f"Visitor {n}" for n in range(VISITORS))
    assert HelpRequest.objects.values("reference").distinct().count() == VISITORS


def test_the_same_form_sent_twice_at_once_is_stored_once(live_server, settings):
    """A double click: two posts of one form race each other."""
    settings.INTAKE_RATE_LIMIT = 1_000
    opener, body = open_contact_form(
        live_server.url, name="Double Click", email="double@example.com", message="Hello"
    )
    start = threading.Barrier(8)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(
                lambda _: send_when_all_are_ready(live_server.url, opener, body, start), range(8)
            )
        )

    assert statuses == [302] * 8
    assert HelpRequest.objects.count() == 1
