"""Staff set up their own authenticator app: a one-time code to sign in, then a page only
they can see that shows their key and turns it on once they type a code from it."""

import json
import re
from base64 import b32encode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry
from recovery_site import roles
from tests.factories import SuperuserFactory, user_in_role
from tests.helpers import authenticator_code, wrong_authenticator_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PAGE = "/admin/authenticator/"


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def secrets_of(device):
    """Every way the key could appear on a page: hex, base32, base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    grouped = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return [device.key, key, grouped, key.lower()]


def one_time_code(username):
    """What `manage.py addstatictoken <username>` prints for the administrator to hand over."""
    out = StringIO()
    call_command("addstatictoken", username, stdout=out)
    return out.getvalue().strip()


def sign_in(client, username, otp_token):
    return client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "otp_token": otp_token}
    )


def pending(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_a_coordinator_signs_in_with_a_one_time_code_and_sets_up_her_app(
    client, coordinator, two_factor
):
    assert sign_in(client, "casey", one_time_code("casey")).status_code == 302
    home = client.get("/admin/").content.decode()
    assert f'href="{PAGE}"' in home  # the admin home points her to the set-up page

    page = client.get(PAGE)
    device = pending(coordinator)
    html = page.content.decode()
    assert page.status_code == 200
    assert secrets_of(device)[2] in html and "QR code for your authenticator app" in html
    assert "<title>Set up your authenticator app" in html

    done = client.post(PAGE, {"code": authenticator_code(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    assert "Your authenticator app is set up" in done.content.decode()
    assert f'href="{PAGE}"' not in done.content.decode()  # no more pointer on the home
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.details["operation"]) == (
        coordinator, AuditEntry.Action.DEVICE, "confirmed"
    )  # fmt: skip
    assert entry.details["object"] == "Authenticator app (casey)"
    recorded = json.dumps(entry.details)
    assert not any(secret in recorded for secret in secrets_of(device))

    # Next time she signs in with the code her phone shows.
    client.post("/admin/logout/")
    assert sign_in(client, "casey", authenticator_code(device, drift=1)).status_code == 302
    assert client.get("/admin/intake/helprequest/").status_code == 200


def test_a_one_time_code_signs_her_in_while_the_app_is_still_being_set_up(
    client, coordinator, two_factor
):
    TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=False)
    device = pending(coordinator)

    # A code from an app she never finished setting up is not a second factor ...
    assert sign_in(client, "casey", authenticator_code(device)).status_code == 200
    # ... the administrator's one-time code is.
    assert sign_in(client, "casey", one_time_code("casey")).status_code == 302
    assert client.get(PAGE).status_code == 200


def test_a_password_alone_does_not_open_the_page(client, coordinator, two_factor):
    client.force_login(coordinator)  # password right, no code given

    response = client.get(PAGE)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("typed", ["wrong", "12ab56", "", "9" * 5000])
def test_a_wrong_code_does_not_turn_the_app_on(client, coordinator, typed):
    client.force_login(coordinator)
    client.get(PAGE)
    device = pending(coordinator)

    response = client.post(
        PAGE, {"code": wrong_authenticator_code(device) if typed == "wrong" else typed}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"did not match|type the 6", html)
    assert secrets_of(device)[2] in html  # the same key: she scanned it already
    assert not pending(coordinator).confirmed
    assert not AuditEntry.objects.exists()


def test_nobody_else_sees_her_key_not_even_a_superuser(client, coordinator):
    client.force_login(coordinator)
    client.get(PAGE)
    hers = pending(coordinator)
    root = SuperuserFactory(username="root")
    client.force_login(root)

    page = client.get(f"{PAGE}?user={coordinator.pk}")
    client.post(PAGE, {"code": authenticator_code(hers), "user": coordinator.pk})

    html = page.content.decode()
    assert not any(secret in html for secret in secrets_of(hers))
    assert secrets_of(pending(root))[2] in html  # his own, and only his own
    assert pending(coordinator).key == hers.key and not pending(coordinator).confirmed


def test_a_key_someone_else_arranged_is_replaced_before_she_sees_it(client, coordinator):
    # Someone made a device for her in the admin and knows its key.
    planted = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=False)
    client.force_login(coordinator)

    html = client.get(PAGE).content.decode()

    device = pending(coordinator)
    assert device.pk == planted.pk and device.key != planted.key
    assert not any(secret in html for secret in secrets_of(planted))
    assert secrets_of(device)[2] in html


def test_once_set_up_the_page_shows_no_key(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="phone")  # confirmed
    client.force_login(coordinator)

    page = client.get(PAGE)
    posted = client.post(PAGE, {"code": authenticator_code(device)})

    for response in (page, posted):
        html = response.content.decode()
        assert response.status_code == 200 and "already set up" in html
        assert "QR code" not in html and not any(s in html for s in secrets_of(device))
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [device]
    assert f'href="{PAGE}"' not in client.get("/admin/").content.decode()


def test_the_page_is_never_stored_by_a_browser_or_proxy(client, coordinator):
    client.force_login(coordinator)

    for response in (client.get(PAGE), client.post(PAGE, {"code": "000000"})):
        assert "no-store" in response["Cache-Control"]
