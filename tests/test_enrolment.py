"""Staff set up their own sign-in: an administrator creates the account; at first sign-in
the person chooses their own password, sets up their authenticator app on a page only they
can see, and is shown their recovery codes once."""

import json
import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import AuditEntry
from recovery_site import roles
from recovery_site.services import make_recovery_codes
from tests.factories import SuperuserFactory, user_in_role
from tests.helpers import authenticator_code, sign_in_with_code, wrong_authenticator_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "copper kettle under the lighthouse stairs"
PAGE = "/admin/authenticator/"


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


def secrets_of(device):
    """Every way the key could appear on a page: hex, base32, base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    grouped = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return [device.key, key, grouped, key.lower()]


def pending(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def signed_in_administrator(client):
    """An administrator signed in with her own app's code, as in production."""
    root = SuperuserFactory(username="root")
    sign_in_with_code(
        client, "root", PASSWORD, authenticator_code(TOTPDevice.objects.create(user=root))
    )
    return root


def create_account(client, username, password, role):
    """What an administrator does in the admin: the account, a first password, a role."""
    client.post(
        "/admin/auth/user/add/",
        {"username": username, "usable_password": "true", "password1": password,
         "password2": password},
    )  # fmt: skip
    user = get_user_model().objects.get(username=username)
    client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"username": username, "is_active": "on", "is_staff": "on",
         "groups": [Group.objects.get(name=role).pk], "date_joined_0": "2026-11-21",
         "date_joined_1": "09:00:00"},
    )  # fmt: skip
    user.refresh_from_db()
    return user


def test_first_sign_in_from_account_creation_to_the_queue(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    administrator = Client()
    root = signed_in_administrator(administrator)
    casey = create_account(administrator, "casey", "temporary passphrase 41", roles.COORDINATORS)
    assert casey.is_staff and not TOTPDevice.objects.filter(user=casey).exists()

    # Her password alone signs her in to setup, and only to setup.
    signed = client.post(
        "/admin/login/", {"username": "casey", "password": "temporary passphrase 41"}
    )
    assert signed["Location"] == PAGE
    for elsewhere in ("/admin/", "/admin/intake/helprequest/", "/admin/password_change/"):
        assert client.get(elsewhere, follow=True).redirect_chain[-1][0] == "/admin/setup/password/"

    # First a password only she knows.
    chosen = client.post(
        "/admin/setup/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert chosen["Location"] == PAGE

    # Then her app: the QR code and the key, confirmed with a code.
    html = client.get(PAGE).content.decode()
    device = pending(casey)
    assert secrets_of(device)[2] in html and "QR code for your authenticator app" in html
    assert "<title>Set up your authenticator app" in html
    assert client.get("/admin/intake/helprequest/").status_code == 302  # not yet
    confirmed = client.post(PAGE, {"code": authenticator_code(device)})
    assert confirmed["Location"] == "/admin/recovery-codes/"

    # Ten recovery codes, once.
    shown = client.get("/admin/recovery-codes/").content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(set(codes)) == 10 and "I have saved these codes" in shown
    again = client.get("/admin/recovery-codes/").content.decode()
    assert not any(code in again for code in codes) and "shown only once" in again
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/intake/helprequest/").status_code == 200

    # Nobody else knows her password; the administrator saw no key and no code.
    casey.refresh_from_db()
    assert casey.check_password(NEW_PASSWORD)
    assert not casey.check_password("temporary passphrase 41")
    device.refresh_from_db()
    assert device.confirmed
    entries = AuditEntry.objects.filter(actor=casey).order_by("created_at", "pk")
    assert [(e.action, e.details["operation"], e.details["object"]) for e in entries] == [
        ("user", "changed", "casey"),
        ("device", "confirmed", "Authenticator app (casey)"),
        ("device", "added", "Recovery codes (casey)"),
    ]
    assert AuditEntry.objects.filter(actor=root, details__object="casey").exists()
    recorded = json.dumps([e.details for e in AuditEntry.objects.all()])
    assert not any(secret in recorded for secret in [*secrets_of(device), *codes, NEW_PASSWORD])

    # Next time: her password, then the code her phone shows.
    client.post("/admin/logout/")
    device.refresh_from_db()
    client.post("/admin/login/", {"username": "casey", "password": NEW_PASSWORD})
    signed_in = client.post("/admin/login/code/", {"code": authenticator_code(device, drift=1)})
    assert signed_in["Location"] == "/admin/"


def test_setup_must_be_done_within_enrolment_days_of_the_account(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.ENROLMENT_DAYS = 7
    get_user_model().objects.filter(pk=coordinator.pk).update(
        date_joined=timezone.now() - timedelta(days=7, minutes=1)
    )

    response = client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert response.status_code == 200
    assert "ask an administrator to reset your sign-in" in response.content.decode()
    assert client.get(PAGE).status_code == 302
    assert not TOTPDevice.objects.exists()


def test_a_session_already_in_setup_ends_when_the_window_closes(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})
    get_user_model().objects.filter(pk=coordinator.pk).update(
        date_joined=timezone.now() - timedelta(days=8)
    )

    response = client.get(PAGE, follow=True)

    assert response.redirect_chain[-1][0] == "/admin/login/"
    assert "ask an administrator to reset your sign-in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_administrator_resetting_an_old_account_opens_the_window_again(
    client, coordinator, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    get_user_model().objects.filter(pk=coordinator.pk).update(
        date_joined=timezone.now() - timedelta(days=300)
    )
    lost = TOTPDevice.objects.create(user=coordinator, name="old phone")
    administrator = Client()
    signed_in_administrator(administrator)

    administrator.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    response = client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    assert response.status_code == 302 and response["Location"] == PAGE


def test_with_an_app_set_up_the_password_alone_does_not_open_setup(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="phone")
    client.force_login(coordinator)  # password right, no code given

    for url in (PAGE, "/admin/setup/password/", "/admin/recovery-codes/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_a_new_set_of_recovery_codes_replaces_the_old_one(client, coordinator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")
    old = make_recovery_codes(user=coordinator)
    sign_in_with_code(client, "casey", PASSWORD, authenticator_code(device))

    client.post("/admin/recovery-codes/new/")
    html = client.get("/admin/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    client.post("/admin/logout/")

    assert len(new) == 10 and not set(new) & set(old)
    assert sign_in_with_code(client, "casey", PASSWORD, old[0]).status_code == 200
    StaticDevice.objects.get(user=coordinator).throttle_reset()
    assert sign_in_with_code(client, "casey", PASSWORD, new[0]).status_code == 302
    entry = AuditEntry.objects.filter(details__object="Recovery codes (casey)").latest("created_at")
    assert entry.actor == coordinator and not any(code in json.dumps(entry.details) for code in new)


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
    # The home no longer asks her to set it up; the header still leads to her own settings.
    home = client.get("/admin/").content.decode()
    assert "Set up your authenticator app" not in home
    assert f'<a href="{PAGE}">Sign-in and security</a>' in home


def test_the_page_is_never_stored_by_a_browser_or_proxy(client, coordinator):
    client.force_login(coordinator)

    for response in (client.get(PAGE), client.post(PAGE, {"code": "000000"})):
        assert "no-store" in response["Cache-Control"]
