"""Staff sign-in: the password, then on a page of its own a code where required; lock-out
after repeated wrong passwords, idle timeout. First setup is in tests/test_enrolment.py."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery_site import roles
from recovery_site.middleware import IDLE_CLOCK_KEY
from recovery_site.services import make_recovery_codes
from recovery_site.signin import SIGN_IN_FAILED
from tests.factories import user_in_role
from tests.helpers import (
    QUEUE,
    authenticator_code,
    sign_in_with_code,
    wrong_authenticator_code,
)
from tests.test_settings import PRODUCTION, ROOT, clean_environment

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


def test_with_two_factor_required_a_password_alone_is_not_enough(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    password = client.post("/admin/login/", {"username": "casey", "password": PASSWORD})
    assert password.status_code == 302 and password["Location"] == "/admin/login/code/"
    assert client.get("/admin/intake/helprequest/").status_code == 302
    wrong = client.post("/admin/login/code/", {"code": "000000"})
    assert wrong.status_code == 200  # still asked for the code
    assert client.get("/admin/intake/helprequest/").status_code == 302
    # django-otp slows guessing: after a wrong code the next try must wait. Time passes:
    device.refresh_from_db()
    device.throttle_reset()

    right = client.post("/admin/login/code/", {"code": authenticator_code(device)})
    assert right.status_code == 302
    assert client.get("/admin/intake/helprequest/").status_code == 200


def test_a_signed_in_but_unverified_session_is_refused_when_two_factor_is_required(
    client, coordinator, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    client.force_login(coordinator)

    response = client.get("/admin/intake/helprequest/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("environment", "required"), [("production", "True"), ("development", "False")]
)
def test_two_factor_is_on_by_default_in_production_only(environment, required):
    env = {**clean_environment(), **PRODUCTION, "DJANGO_ENV": environment}
    env.pop("ADMIN_REQUIRE_2FA", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "recovery_site.settings"},
    )  # fmt: skip

    assert result.stdout.strip() == required, result.stderr


def test_repeated_wrong_passwords_lock_the_account_out(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "casey", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert response.status_code in {403, 429}
    html = response.content.decode()
    assert "Sign-in is locked" in html
    assert settings.CLINIC["phone"] in html and 'href="tel:988"' in html
    assert client.get("/admin/intake/helprequest/").status_code == 302


def test_staff_sessions_end_after_30_idle_minutes(client, coordinator):
    client.force_login(coordinator)
    client.get("/admin/")
    session = Session.objects.get(session_key=client.session.session_key)
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)

    # Twenty minutes later she clicks again: her 30 minutes start over.
    twenty_minutes_later(client, session)
    client.get("/admin/")
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=29)


def twenty_minutes_later(client, session):
    """As if her last click were twenty minutes ago: her session row and its idle clock."""
    kept = client.session
    kept[IDLE_CLOCK_KEY] = time.time() - 20 * 60
    kept.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=10))


def test_clicks_within_a_minute_leave_the_session_row_unwritten(client, coordinator):
    client.force_login(coordinator)
    client.get("/admin/")
    session = Session.objects.get(session_key=client.session.session_key)

    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")

    assert not [
        q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date


def test_password_then_code_typed_once_are_enough_and_next_survives_both(
    client, coordinator, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    response = sign_in_with_code(
        client, "casey", PASSWORD, authenticator_code(device), next_url=QUEUE + "?status=new"
    )

    assert response.status_code == 302 and response["Location"] == QUEUE + "?status=new"
    assert client.get(QUEUE).status_code == 200


def test_a_wrong_password_gives_nothing_away_and_the_code_page_lists_no_device(
    client, coordinator, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="Pixel 8 Pro")
    StaticDevice.objects.create(user=coordinator, name="Paper backup codes")

    wrong_password = client.post(
        "/admin/login/", {"username": "casey", "password": "not it at all"}
    ).content.decode()
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})
    wrong_code = client.post("/admin/login/code/", {"code": "000000"}).content.decode()

    assert SIGN_IN_FAILED in wrong_password.replace("&#x27;", "'")
    for leak in ("Pixel 8 Pro", "Paper backup codes", "otp_device", PASSWORD, 'name="password"'):
        assert leak not in wrong_code


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_an_off_site_next_lands_on_the_admin_home(client, coordinator, settings, target):
    settings.ADMIN_REQUIRE_2FA = False

    response = client.post(
        f"/admin/login/?next={target}", {"username": "casey", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_an_off_site_next_lands_on_the_admin_home_after_the_code_too(
    client, coordinator, settings, target
):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    response = sign_in_with_code(client, "casey", PASSWORD, authenticator_code(device), target)

    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("HarborLight2026!", "too close to the clinic's name"),
        ("harbor light recovery", "too close to the clinic's name"),
        ("Harb0r-L1ght-Rec0very", "too close to the clinic's name"),
        ("Tq7#xv9!pLm", "at least 12 characters"),
        ("password1234", "too common"),
    ],
)
def test_weak_staff_passwords_are_refused(client, coordinator, settings, password, why):
    settings.CLINIC = {**settings.CLINIC, "name": "Harbor Light Recovery"}
    client.force_login(coordinator)

    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200 and why in response.content.decode().replace("&#x27;", "'")
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_a_long_unrelated_password_is_accepted(client, coordinator):
    client.force_login(coordinator)
    new = "copper kettle under the lighthouse stairs"

    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    coordinator.refresh_from_db()
    assert response.status_code == 302 and coordinator.check_password(new)


# --- Two steps: the code on a page of its own ------------------------------------------------


@pytest.fixture
def phone(coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    return TOTPDevice.objects.create(user=coordinator, name="phone")


def test_a_wrong_code_is_retried_without_typing_the_password_again(client, phone):
    client.post("/admin/login/?next=/admin/", {"username": "casey", "password": PASSWORD})

    wrong = client.post("/admin/login/code/", {"code": wrong_authenticator_code(phone)})
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert "That code did not match" in html and 'name="password"' not in html
    phone.refresh_from_db()
    phone.throttle_reset()  # she waits a moment, as the page asks

    right = client.post("/admin/login/code/", {"code": authenticator_code(phone)})

    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get(QUEUE).status_code == 200


def test_five_wrong_codes_send_her_back_to_the_password(client, phone):
    client.post(f"/admin/login/?next={QUEUE}", {"username": "casey", "password": PASSWORD})

    for _ in range(5):
        phone.refresh_from_db()
        phone.throttle_reset()
        response = client.post("/admin/login/code/", {"code": wrong_authenticator_code(phone)})

    assert response.status_code == 302 and response["Location"] == f"/admin/login/?next={QUEUE}"
    page = client.get(response["Location"]).content.decode()
    assert "That was 5 codes that did not match" in page and 'name="password"' in page
    phone.refresh_from_db()
    phone.throttle_reset()
    # The right code now is too late: the half-signed-in state is gone.
    late = client.post("/admin/login/code/", {"code": authenticator_code(phone)})
    assert late.status_code == 302 and late["Location"].startswith("/admin/login/?")
    assert client.get(QUEUE).status_code == 302


def test_the_code_page_waits_only_5_minutes(client, phone, monkeypatch):
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.post("/admin/login/code/", {"code": authenticator_code(phone)})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?")
    assert "took more than 5 minutes" in client.get(response["Location"]).content.decode()
    assert client.get(QUEUE).status_code == 302


def test_the_code_page_without_the_password_first_leads_to_the_password(client, phone):
    response = client.post("/admin/login/code/", {"code": authenticator_code(phone)})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?")
    assert client.get(QUEUE).status_code == 302


def test_signing_in_gives_the_session_a_new_key_at_each_step(client, phone):
    client.get("/admin/login/")
    planted = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})
    halfway = client.cookies["sessionid"].value

    client.post("/admin/login/code/", {"code": authenticator_code(phone)})

    assert client.cookies["sessionid"].value not in {planted, halfway}
    assert not Session.objects.filter(session_key=halfway).exists()
    assert client.get(QUEUE).status_code == 200


def test_a_recovery_code_signs_her_in_once_only(client, coordinator, phone):
    codes = make_recovery_codes(user=coordinator)

    first = sign_in_with_code(client, "casey", PASSWORD, codes[0].upper())
    client.post("/admin/logout/")
    again = sign_in_with_code(client, "casey", PASSWORD, codes[0])

    assert first.status_code == 302 and first["Location"] == "/admin/"
    assert again.status_code == 200 and "That code did not match" in again.content.decode()
    assert client.get(QUEUE).status_code == 302
    StaticDevice.objects.get(user=coordinator).throttle_reset()
    assert sign_in_with_code(client, "casey", PASSWORD, codes[1]).status_code == 302


def test_wrong_passwords_still_lock_the_account_out_with_two_steps(client, phone, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "casey", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert response.status_code in {403, 429}
    assert "Sign-in is locked" in response.content.decode()
    assert client.get("/admin/login/code/").status_code == 302  # no step 2 either
