"""Staff sign-in: a TOTP code where required, lock-out after repeated failures, idle timeout."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery_site import roles
from tests.factories import user_in_role
from tests.helpers import authenticator_code
from tests.test_settings import PRODUCTION, ROOT, clean_environment

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


def test_with_two_factor_required_a_password_alone_is_not_enough(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    wrong = client.post(
        "/admin/login/",
        {"username": "casey", "password": PASSWORD, "otp_device": device.persistent_id,
         "otp_token": "000000"},
    )  # fmt: skip
    assert wrong.status_code == 200  # back on the sign-in form
    assert client.get("/admin/intake/helprequest/").status_code == 302
    # django-otp slows guessing: after a wrong code the next try must wait. Time passes:
    device.refresh_from_db()
    device.throttle_reset()

    right = client.post(
        "/admin/login/",
        {"username": "casey", "password": PASSWORD, "otp_device": device.persistent_id,
         "otp_token": authenticator_code(device)},
    )  # fmt: skip
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
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=10))
    client.get("/admin/")
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=29)


def test_username_password_and_code_typed_once_are_enough(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "casey", "password": PASSWORD, "otp_token": authenticator_code(device),
         "next": "/admin/"},
    )  # fmt: skip

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/intake/helprequest/").status_code == 200


def test_a_right_password_with_a_wrong_code_gives_nothing_away(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="Pixel 8 Pro")
    StaticDevice.objects.create(user=coordinator, name="Paper backup codes")

    wrong_code = client.post(
        "/admin/login/", {"username": "casey", "password": PASSWORD, "otp_token": "000000"}
    ).content.decode()
    wrong_password = client.post(
        "/admin/login/", {"username": "casey", "password": "not it at all", "otp_token": "000000"}
    ).content.decode()

    for leak in ("Pixel 8 Pro", "Paper backup codes", "otp_device", PASSWORD):
        assert leak not in wrong_code
    # The same answer whichever was wrong: a guesser cannot tell the password was right.
    assert "We could not sign you in" in wrong_code and "We could not sign you in" in wrong_password


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
@pytest.mark.parametrize("two_factor", [False, True])
def test_an_off_site_next_lands_on_the_admin_home(
    client, coordinator, settings, target, two_factor
):
    settings.ADMIN_REQUIRE_2FA = two_factor
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    response = client.post(
        f"/admin/login/?next={target}",
        {"username": "casey", "password": PASSWORD, "otp_token": authenticator_code(device),
         "next": target},
    )  # fmt: skip

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
