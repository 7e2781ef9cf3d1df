"""Staff sign-in in a real browser on a small phone: the password, then the code on a page of
its own; and a new coordinator's first sign-in, from the account an administrator made to
the queue (her own password, her authenticator app, her recovery codes shown once)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from intake.models import AuditEntry
from recovery_site import roles
from recovery_site.signin import SIGN_IN_FAILED
from tests.browser.helpers import SMALL_PHONE, assert_accessible
from tests.browser.test_admin import PASSWORD, QUEUE, sign_in
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import authenticator_code, wrong_authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "Code from your authenticator app"


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


def test_password_and_code_sign_her_in(page, live_server, settings, coordinator):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")

    sign_in(page, live_server, "casey", code=authenticator_code(device))
    page.locator(".errornote, .errorlist, .queue-tiles").first.wait_for()  # refused, or in

    assert page.url == live_server.url + "/admin/", page.locator(".errorlist").all_inner_texts()


def test_a_wrong_password_gives_one_plain_answer(page, live_server, watch, settings, coordinator):
    settings.ADMIN_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="phone")
    page.goto(live_server.url + "/admin/login/")

    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".errornote")).to_have_text(SIGN_IN_FAILED)
    expect(page.get_by_label(CODE)).to_have_count(0)
    assert watch.csp_violations() == []


def test_a_wrong_code_is_retried_without_typing_the_password_again(
    page, live_server, watch, settings, coordinator
):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")
    HelpRequestFactory(name="Morgan Ellis")
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + QUEUE)
    assert_accessible(page)
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The second page asks only for the code; a wrong one keeps her there, told why.
    expect(page).to_have_url(live_server.url + "/admin/login/code/")
    page.get_by_label(CODE).fill(wrong_authenticator_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".errorlist")).to_contain_text("That code did not match")
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_text("Morgan Ellis")).to_have_count(0)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    device.refresh_from_db()
    device.throttle_reset()  # she takes a moment to look again

    page.get_by_label(CODE).fill(authenticator_code(device))
    page.get_by_role("button", name="Sign in").click()

    # Where she was going before she was asked to sign in.
    expect(page).to_have_url(live_server.url + QUEUE)
    expect(page.get_by_role("link", name="Morgan Ellis")).to_be_visible()
    assert watch.csp_violations() == []
    assert watch.foreign_requests == []
    assert watch.console_errors == []


def test_first_sign_in_from_a_new_account_to_the_queue(
    page, live_server, watch, settings, coordinator
):
    """At 360 px: the administrator made the account with a first password and a role, and
    nothing else. She chooses her own password, sets up her app (a mistyped code is
    explained), sees her recovery codes once, and reaches the queue."""
    settings.ADMIN_REQUIRE_2FA = True
    new_password = "copper kettle under the lighthouse stairs"
    page.set_viewport_size(SMALL_PHONE)

    sign_in(page, live_server, "casey")

    expect(page).to_have_url(live_server.url + "/admin/setup/password/")
    expect(page).to_have_title(re.compile("^Choose your own password"))
    assert_accessible(page)
    page.goto(live_server.url + QUEUE)  # not yet: back to setup
    expect(page).to_have_url(live_server.url + "/admin/setup/password/")
    page.get_by_label(re.compile(r"^New password:?$")).fill(new_password)
    page.get_by_label("New password confirmation").fill(new_password)
    page.get_by_role("button", name="Save my password").click()

    expect(page).to_have_title(re.compile("^Set up your authenticator app"))
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.get_by_label("6-digit code from the app").fill(wrong_authenticator_code(device))
    page.get_by_role("button", name="Turn it on").click()
    expect(page.locator(".errorlist")).to_contain_text("That code did not match")
    assert_accessible(page)
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("6-digit code from the app").fill(authenticator_code(device))
    page.get_by_role("button", name="Turn it on").click()

    expect(page).to_have_title(re.compile("^Your recovery codes"))
    codes = page.locator(".recovery-codes li")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved these codes").click()

    expect(page).to_have_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/recovery-codes/")
    expect(page.locator(".recovery-codes li")).to_have_count(0)  # shown once only
    page.goto(live_server.url + QUEUE)
    expect(page).to_have_url(live_server.url + QUEUE)
    device.refresh_from_db()
    coordinator.refresh_from_db()
    assert device.confirmed and coordinator.check_password(new_password)
    assert AuditEntry.objects.filter(actor=coordinator).count() == 3
    assert watch.csp_violations() == []
    assert watch.foreign_requests == []
    assert watch.console_errors == []
