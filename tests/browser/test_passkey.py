"""A passkey in a real browser: Chromium's virtual authenticator (through the DevTools
protocol) stands in for a phone's fingerprint. She adds a passkey from her own page, signs
out, and signs in with her password then the passkey instead of the code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from intake.models import AuditEntry
from recovery_site import roles
from tests.browser.helpers import SMALL_PHONE, assert_accessible
from tests.browser.test_admin import PASSWORD, sign_in
from tests.factories import user_in_role
from tests.helpers import authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def fingerprint(page):
    """A platform authenticator that holds passkeys and checks its owner's fingerprint."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")


def test_she_adds_a_passkey_and_signs_in_with_it_instead_of_the_code(
    page, live_server, watch, settings, fingerprint
):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]  # http://localhost:<port>
    casey = user_in_role(roles.COORDINATORS, username="casey")
    device = TOTPDevice.objects.create(user=casey, name="phone")
    page.set_viewport_size(SMALL_PHONE)
    sign_in(page, live_server, "casey", code=authenticator_code(device))
    expect(page).to_have_url(live_server.url + "/admin/")

    # From her authenticator page to her passkeys.
    page.goto(live_server.url + "/admin/authenticator/")
    page.get_by_role("link", name="Add a passkey").click()
    expect(page).to_have_url(live_server.url + "/admin/passkeys/")
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()
    expect(page.get_by_text("needs a browser that can make passkeys")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Name for this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()

    expect(page.get_by_text("Your passkey “Work laptop” was added.")).to_be_visible()
    expect(page.locator(".passkey-list")).to_contain_text("Work laptop")
    assert_accessible(page)
    cdp, authenticator = fingerprint
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
        "credentials"
    ]) == 1  # fmt: skip

    # Signed out, she signs in again: password, then the passkey in place of the code.
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/admin/login/code/")
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey instead").click()

    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator(".queue-tiles")).to_be_visible()
    passkey = WebAuthnCredential.objects.get(user=casey)
    assert passkey.last_used_at is not None
    assert AuditEntry.objects.filter(
        actor=casey, action=AuditEntry.Action.DEVICE, details__operation="signed in",
        details__object="Work laptop (casey)",
    ).exists()  # fmt: skip
    assert watch.csp_violations() == []
    assert watch.foreign_requests == []
    assert watch.console_errors == []


def test_without_javascript_step_two_shows_only_the_code(browser, live_server, settings):
    settings.ADMIN_REQUIRE_2FA = True
    casey = user_in_role(roles.COORDINATORS, username="casey")
    TOTPDevice.objects.create(user=casey, name="phone")
    WebAuthnCredential.objects.create(
        user=casey, name="Work laptop", credential_id=b"\x01" * 32, public_key=b"\xa5"
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    expect(page.get_by_role("button", name="Use a passkey instead")).to_have_count(0)
    context.close()
