"""Who a visitor is for the limits (they cannot choose it), and the sliding submission limit."""

import importlib.util
import ipaddress
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, RequestFactory

from intake.models import HelpRequest, SubmissionThrottle
from intake.throttle import client_identifier, submission_allowed
from recovery_site import roles
from tests.factories import user_in_role
from tests.helpers import form_token
from tests.test_settings import PRODUCTION, ROOT, clean_environment

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.7"  # reaches gunicorn directly, past the proxy
STAFF = "203.0.113.5"
PASSWORD = "correct horse battery staple"


def production_settings(**environment):
    """The settings module as production computes it from `environment`."""
    spec = importlib.util.spec_from_file_location(
        "production_settings", ROOT / "recovery_site" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    env = {**clean_environment(), **PRODUCTION, **environment}
    with mock.patch.dict(os.environ, env, clear=True):
        spec.loader.exec_module(module)
    return module


def use_proxy_settings(settings, **environment):
    """Apply production's answer to "which proxy do we believe?" (nothing else of it)."""
    production = production_settings(**environment)
    for name in dir(production):
        if name.isupper() and ("PROXY" in name or "PROXIES" in name or "CLIENT_IP" in name):
            setattr(settings, name, getattr(production, name))
    settings.SECURE_PROXY_SSL_HEADER = None  # the test client speaks plain http


@pytest.fixture
def production_defaults(settings):
    use_proxy_settings(settings)


def send_message(address, number, **extra):
    """A message sent from `address` by a browser without cookies, as a script would send it;
    when refused, the page its 303 leads to (where the refusal is shown)."""
    data = {"name": "Sam", "email": "sam@example.com", "message": f"Message {number}",
            "form_token": form_token(), "website": ""}  # fmt: skip
    browser = Client(REMOTE_ADDR=address)
    response = browser.post("/contact/", data, **extra)
    if response.status_code == 303:
        assert response["Location"] == "/contact/?check=1"
        return browser.get(response["Location"], **extra)
    return response


# --- Finding 1: a forged X-Forwarded-For ------------------------------------------------


def test_a_forged_forwarded_address_does_not_escape_the_submission_limit(production_defaults):
    statuses = [
        send_message(ATTACKER, n, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(6)
    ]

    assert statuses == [302] * 5 + [429]
    assert HelpRequest.objects.count() == 5


def test_a_forged_forwarded_address_does_not_escape_the_sign_in_lock_out(
    production_defaults, settings
):
    settings.ADMIN_REQUIRE_2FA = False
    user_in_role(roles.COORDINATORS, username="casey")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "casey", "password": f"guess {n}"},
                      HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")  # fmt: skip

    guess = attacker.post("/admin/login/", {"username": "casey", "password": PASSWORD},
                          HTTP_X_FORWARDED_FOR="192.0.2.99")  # fmt: skip

    assert "Sign-in is locked" in guess.content.decode()


def test_nobody_can_lock_a_staff_member_out_by_claiming_their_address(
    production_defaults, settings
):
    settings.ADMIN_REQUIRE_2FA = False
    user_in_role(roles.COORDINATORS, username="casey")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post("/admin/login/", {"username": "casey", "password": f"guess {n}"},
                      HTTP_X_FORWARDED_FOR=STAFF)  # fmt: skip

    staff = Client(REMOTE_ADDR=STAFF)
    response = staff.post("/admin/login/?next=/admin/",
                          {"username": "casey", "password": PASSWORD, "next": "/admin/"})  # fmt: skip

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert staff.get("/admin/intake/helprequest/").status_code == 200


def test_behind_our_proxy_each_visitor_has_their_own_limit(settings):
    use_proxy_settings(settings, TRUSTED_PROXIES="127.0.0.1")
    settings.INTAKE_RATE_LIMIT = 1
    proxy = "127.0.0.1"  # nginx: X-Forwarded-For is $remote_addr

    first = send_message(proxy, 1, HTTP_X_FORWARDED_FOR="192.0.2.10")
    second = send_message(proxy, 2, HTTP_X_FORWARDED_FOR="192.0.2.20")
    first_again = send_message(proxy, 3, HTTP_X_FORWARDED_FOR="192.0.2.10")

    assert [first.status_code, second.status_code, first_again.status_code] == [302, 302, 429]


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        # A proxy that appends: entries left of its own were written by the client.
        ("127.0.0.1", "6.6.6.6, 192.0.2.10", "192.0.2.10"),
        # Two of our proxies in a row (a load balancer in front of nginx).
        ("127.0.0.1", "6.6.6.6, 192.0.2.10, 10.0.0.2", "192.0.2.10"),
        ("::ffff:127.0.0.1", "192.0.2.10", "192.0.2.10"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        (ATTACKER, "192.0.2.10", ATTACKER),
        # One IPv6 household or phone is given a whole /64.
        ("2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::"),
        ("fe80::1%eth0", "", "fe80::"),
    ],
)
def test_the_client_is_the_nearest_address_our_proxies_vouch_for(settings, peer, forwarded, client):
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("10.0.0.0/8"),
    ]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_identifier(request) == client


def test_a_mistyped_trusted_proxy_stops_start_up_with_a_clear_message():
    with pytest.raises(
        ImproperlyConfigured, match=r"TRUSTED_PROXIES must be .* not '10\.0\.0\.0/33'"
    ):
        production_settings(TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/33")


# --- Finding 2: a sliding window, with Retry-After --------------------------------------

BOUNDARY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a multiple of 900 s: a clock window edge


def visitor(address=ATTACKER):
    return RequestFactory().post("/contact/", REMOTE_ADDR=address)


def test_the_sixth_send_is_refused_with_retry_after_and_when_to_send_again(settings):
    statuses = [send_message(ATTACKER, n).status_code for n in range(5)]

    refused = send_message(ATTACKER, 6)

    assert statuses == [302] * 5 and refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.INTAKE_RATE_WINDOW_SECONDS
    html = refused.content.decode()
    assert "send it again in about 15 minutes" in html
    assert settings.CLINIC["phone"] in html and "Message 6" in html


def test_sends_either_side_of_a_clock_window_edge_count_together():
    for second in range(5):
        assert submission_allowed(visitor(), now=BOUNDARY - timedelta(seconds=5 - second))

    decision = submission_allowed(visitor(), now=BOUNDARY)

    assert not decision
    assert decision.retry_after == 900 - 5


def test_one_more_is_allowed_once_the_oldest_send_leaves_the_window():
    for minute in range(5):
        submission_allowed(visitor(), now=BOUNDARY + timedelta(minutes=minute))

    early = submission_allowed(visitor(), now=BOUNDARY + timedelta(minutes=10))
    assert not early and early.retry_after == 5 * 60
    assert early.wait_in_words == "in about 5 minutes"

    assert submission_allowed(visitor(), now=BOUNDARY + timedelta(minutes=15, seconds=1))
    # The four later sends are still in the window: the next must wait for the second one.
    again = submission_allowed(visitor(), now=BOUNDARY + timedelta(minutes=15, seconds=2))
    assert not again and again.retry_after == 60 - 2


def test_waiting_as_told_always_works_however_often_a_visitor_retries():
    for second in range(5):
        submission_allowed(visitor(), now=BOUNDARY + timedelta(seconds=second))
    for minute in range(1, 15):
        assert not submission_allowed(visitor(), now=BOUNDARY + timedelta(minutes=minute))

    assert submission_allowed(visitor(), now=BOUNDARY + timedelta(seconds=900))


def test_no_address_is_stored_and_old_rows_are_deleted():
    submission_allowed(visitor("192.0.2.10"), now=BOUNDARY)
    assert "192.0.2.10" not in str(list(SubmissionThrottle.objects.values()))

    submission_allowed(visitor("192.0.2.20"), now=BOUNDARY + timedelta(seconds=901))

    assert SubmissionThrottle.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sends_from_one_client_never_pass_the_limit():
    start = threading.Barrier(12)

    def send(_):
        try:
            start.wait(timeout=30)
            return bool(submission_allowed(visitor()))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        allowed = list(pool.map(send, range(12)))

    assert allowed.count(True) == 5
