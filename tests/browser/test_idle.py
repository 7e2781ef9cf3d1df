"""The idle limit in a real browser: the warning before it and "Stay signed in", and a note
saved after it that comes back once the coordinator signs in again. The limit is cut to
seconds here (SESSION_COOKIE_AGE, SESSION_WARNING_SECONDS); sign-in without a code keeps
these tests clear of the two-step sign-in (test_signin.py)."""

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest, Note
from recovery_site import roles
from tests.browser.helpers import SMALL_PHONE, assert_accessible
from tests.browser.test_admin import PASSWORD
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import admin_change_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Spoke with her sister; call back after 6 p.m. about the detox bed."


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def coordinator(settings):
    settings.ADMIN_REQUIRE_2FA = False
    return user_in_role(roles.COORDINATORS, username="casey")


def sign_in_on_this_page(page):
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_the_warning_comes_before_the_limit_and_stay_signed_in_keeps_the_session(
    page, live_server, watch, settings, coordinator
):
    help_request = HelpRequestFactory()
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + "/admin/")
    sign_in_on_this_page(page)
    # From now on she is signed out after 12 idle seconds, and warned 8 seconds before.
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 12, 8
    page.goto(live_server.url + admin_change_url(help_request))

    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(warning).to_be_visible(timeout=8000)
    expect(warning).to_contain_text(
        "You will be signed out in 1 minute because nothing has been saved for a while. "
        "Anything you have typed is kept."
    )
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()

    # Past the limit the page first had, she is still signed in.
    page.wait_for_timeout(9000)
    page.goto(live_server.url + admin_change_url(help_request))
    expect(page).to_have_url(live_server.url + admin_change_url(help_request))
    assert watch.csp_violations() == [] and watch.console_errors == []
    assert watch.foreign_requests == []


def test_a_save_after_the_limit_recovers_the_typed_note_after_signing_in_again(
    page, live_server, watch, settings, coordinator
):
    help_request = HelpRequestFactory(status="new")
    change_page = live_server.url + admin_change_url(help_request)
    page.goto(live_server.url + "/admin/")
    sign_in_on_this_page(page)
    settings.SESSION_COOKIE_AGE, settings.SESSION_WARNING_SECONDS = 3, 2
    page.goto(change_page)

    # She types a note during the call and marks the request contacted ...
    page.locator('textarea[name="notes-0-text"]').fill(NOTE)
    page.get_by_label("Status").select_option("contacted")
    # ... and the call runs past the idle limit.
    signed_out = page.get_by_role("alertdialog", name="You have been signed out")
    expect(signed_out).to_be_visible(timeout=8000)
    signed_out.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Save", exact=True).first.click()

    # The sign-in page says her work is kept; nothing was saved yet.
    expect(page.get_by_text(f"What you typed on {help_request.reference} is kept")).to_be_visible()
    assert NOTE not in page.url
    assert not Note.objects.exists()
    settings.SESSION_COOKIE_AGE = 30 * 60
    sign_in_on_this_page(page)

    # Back on the request, with what she typed.
    expect(page).to_have_url(change_page)
    expect(page.get_by_text("are back below. Check them and press Save.")).to_be_visible()
    expect(page.locator('textarea[name="notes-0-text"]')).to_have_value(NOTE)
    expect(page.get_by_label("Status")).to_have_value("contacted")
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".messagelist")).to_contain_text(help_request.reference)
    assert Note.objects.get().text == NOTE
    assert HelpRequest.objects.get().status == "contacted"
    assert watch.csp_violations() == []
