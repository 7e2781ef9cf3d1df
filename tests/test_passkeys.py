"""Passkeys: each person adds, sees and removes only their own; step 2 offers one only to
someone who has one, and only after the password; administrators delete a person's passkeys
(a reset) and never see credential data. The passkey itself, in a browser with a virtual
authenticator, is in tests/browser/test_passkey.py."""

import json
import os
import subprocess
import sys

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from intake.models import AuditEntry
from recovery_site import roles
from tests.factories import user_in_role
from tests.helpers import authenticator_code, sign_in_with_code
from tests.test_settings import PRODUCTION, ROOT, clean_environment

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PAGE = "/admin/passkeys/"
CREDENTIAL_ID = bytes(range(32))


@pytest.fixture(autouse=True)
def _two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def passkey(user, name="Work laptop"):
    """A passkey as the browser test leaves one: registered by its owner's device."""
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=CREDENTIAL_ID + bytes([user.pk % 256]),
        public_key=b"\xa5public-key-bytes", sign_count=0,
    )  # fmt: skip


def signed_in(client, username, role=roles.COORDINATORS):
    """A member of staff signed in with password and code, as in production."""
    user = user_in_role(role, username=username)
    sign_in_with_code(
        client, username, PASSWORD, authenticator_code(TOTPDevice.objects.create(user=user))
    )
    return user


def test_her_page_lists_her_passkeys_and_nobody_elses(client):
    casey = user_in_role(roles.COORDINATORS, username="casey")
    passkey(casey, name="Casey phone")
    sam = signed_in(client, "sam")
    passkey(sam, name="Sam laptop")

    page = client.get(PAGE).content.decode()

    assert "Sam laptop" in page
    assert "Casey phone" not in page
    assert "Add a passkey" in page


def test_another_person_cannot_remove_my_passkey(client):
    mine = passkey(user_in_role(roles.COORDINATORS, username="casey"))
    signed_in(client, "sam")

    response = client.post(f"{PAGE}{mine.pk}/remove/")

    assert response.status_code == 404  # the same answer as for a passkey that does not exist
    assert WebAuthnCredential.objects.filter(pk=mine.pk).exists()


def test_she_removes_her_own_passkey_and_the_audit_trail_names_it(client):
    casey = signed_in(client, "casey")
    mine = passkey(casey, name="Old phone")

    response = client.post(f"{PAGE}{mine.pk}/remove/", follow=True)

    assert not WebAuthnCredential.objects.filter(pk=mine.pk).exists()
    assert "The passkey “Old phone” was removed." in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DEVICE, details__operation="deleted")
    assert entry.actor == casey
    assert entry.details["object"] == "Old phone (casey)"


def test_removing_takes_a_post(client):
    mine = passkey(signed_in(client, "casey"))

    assert client.get(f"{PAGE}{mine.pk}/remove/").status_code == 405
    assert WebAuthnCredential.objects.filter(pk=mine.pk).exists()


def test_a_password_alone_cannot_add_a_passkey(client):
    """Halfway through first setup (signed in by password, no app yet), the passkeys page
    and the browser's registration are closed: a passkey added then would skip the app."""
    user_in_role(roles.COORDINATORS, username="casey")
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert client.get(PAGE).status_code == 302
    response = client.post(f"{PAGE}add/begin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_verified_person_gets_options_for_her_own_passkey(client):
    signed_in(client, "casey")

    options = client.post(f"{PAGE}add/begin/").json()

    assert options["rp"] == {"id": "localhost", "name": "Harbor Light Recovery staff"}
    assert options["user"]["name"] == "casey"


def test_a_made_up_registration_is_refused(client):
    signed_in(client, "casey")
    client.post(f"{PAGE}add/begin/")

    response = client.post(
        f"{PAGE}add/complete/",
        json.dumps({"name": "Mine", "credential": {"id": "AAAA", "type": "public-key"}}),
        content_type="application/json",
    )

    assert response.status_code in {400, 422}
    assert not WebAuthnCredential.objects.exists()


def test_step_two_offers_a_passkey_only_to_someone_who_has_one(client):
    casey = user_in_role(roles.COORDINATORS, username="casey")
    TOTPDevice.objects.create(user=casey, name="phone")
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    assert "Use a passkey instead" not in client.get("/admin/login/code/").content.decode()
    passkey(casey)
    page = client.get("/admin/login/code/").content.decode()
    # In a <template> that js/passkey.js shows: without JavaScript, only the code field.
    assert '<template id="passkey-offer">' in page
    assert "Use a passkey instead" in page
    assert "js/passkey" in page


def test_a_passkey_sign_in_needs_the_password_first(client):
    passkey(user_in_role(roles.COORDINATORS, username="casey"))

    begin = client.post(f"{PAGE}sign-in/begin/")
    complete = client.post(f"{PAGE}sign-in/complete/", "{}", content_type="application/json")

    assert begin.status_code == complete.status_code == 403
    assert "_auth_user_id" not in client.session


def test_after_the_password_the_options_name_only_her_passkeys(client):
    casey = user_in_role(roles.COORDINATORS, username="casey")
    TOTPDevice.objects.create(user=casey, name="phone")
    mine = passkey(casey)
    passkey(user_in_role(roles.COORDINATORS, username="sam"))
    client.post("/admin/login/", {"username": "casey", "password": PASSWORD})

    options = client.post(f"{PAGE}sign-in/begin/").json()

    offered = [c["id"] for c in options["allowCredentials"]]
    assert offered == [bytes_to_base64url(bytes(mine.credential_id))]
    assert "_auth_user_id" not in client.session  # not signed in until the passkey answers


def test_an_administrator_resets_a_persons_passkeys_without_seeing_their_data(client):
    casey = user_in_role(roles.COORDINATORS, username="casey")
    theirs = passkey(casey, name="Casey phone")
    signed_in(client, "ada", role=roles.ADMINISTRATORS)
    listing = "/admin/django_otp_webauthn/webauthncredential/"

    page = client.get(listing).content.decode()
    detail = client.get(f"{listing}{theirs.pk}/change/").content.decode()
    filtered = client.get(f"{listing}?credential_id_sha256__startswith=a")
    response = client.post(f"{listing}{theirs.pk}/delete/", {"post": "yes"})

    assert "Casey phone" in page
    for secret in (theirs.credential_id_sha256, theirs.public_key.hex(), f"{listing}add/"):
        assert secret not in page
        assert secret not in detail
    assert filtered.status_code in {302, 400}  # a secret is no filter
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=casey).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DEVICE, details__operation="deleted",
        details__object="Casey phone (casey)",
    ).exists()  # fmt: skip


def test_the_relying_party_is_the_first_allowed_host_in_production():
    env = {**clean_environment(), **PRODUCTION}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS, s.OTP_WEBAUTHN_RP_NAME)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
        os.environ.get("DJANGO_SETTINGS_MODULE", "recovery_site.settings")},
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert result.stdout.split("\n")[0] == (
        "clinic.example.org ['https://clinic.example.org'] Harbor Light Recovery staff"
    )
