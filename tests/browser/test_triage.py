"""A coordinator's day in a real browser: two coordinators on one request, a call logged
from a phone, the request page at phone width."""

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest, Note
from recovery_site import roles
from tests.browser.helpers import SMALL_PHONE, assert_accessible
from tests.browser.test_admin import sign_in
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/intake/helprequest/"


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


def open_request(page, live_server, help_request):
    page.goto(f"{live_server.url}{QUEUE}{help_request.pk}/change/")


def test_two_coordinators_race_and_the_second_save_is_refused(page, browser, live_server, watch):
    dana = user_in_role(roles.COORDINATORS, username="dana")
    user_in_role(roles.COORDINATORS, username="sam")
    morgan = HelpRequestFactory(name="Morgan Ellis", phone="+12025550143")
    # Sam works on a phone, in a browser of his own.
    sams_browser = browser.new_context(viewport=SMALL_PHONE)
    sams_page = sams_browser.new_page()

    sign_in(page, live_server, "dana")
    sign_in(sams_page, live_server, "sam")
    open_request(page, live_server, morgan)
    open_request(sams_page, live_server, morgan)

    # Dana reaches Morgan first, notes it and takes the request.
    page.get_by_label("Status").select_option(label="Contacted")
    page.locator("textarea[name='notes-0-text']").fill("Spoke with Morgan; calling back at 6.")
    page.get_by_role("button", name="Assign to me and save").click()
    expect(page.locator(".messagelist")).to_contain_text("is assigned to you")

    # Sam, on the page he opened before, marks it In progress with a note of his own.
    sams_page.get_by_label("Status").select_option(label="In progress")
    sams_page.locator("textarea[name='notes-0-text']").fill("Tried once, no answer.")
    sams_page.get_by_role("button", name="Save", exact=True).first.click()

    # Refused: he is told what Dana did, her work stands, and his note is kept.
    message = sams_page.locator(".messagelist")
    expect(message).to_contain_text("changed by someone else while you had it open")
    expect(message).to_contain_text("dana")
    expect(message).to_contain_text("Status: New → Contacted")
    expect(message).to_contain_text("What you had chosen, not saved: Status: In progress")
    expect(message).to_contain_text("Your note was added to the timeline")
    expect(sams_page.get_by_label("Status")).to_have_value("contacted")
    morgan.refresh_from_db()
    assert morgan.status == HelpRequest.Status.CONTACTED and morgan.assigned_to == dana
    assert set(Note.objects.values_list("text", flat=True)) == {
        "Spoke with Morgan; calling back at 6.",
        "Tried once, no answer.",
    }
    assert_accessible(sams_page)
    assert sams_page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    assert watch.csp_violations() == []
    sams_browser.close()


def test_a_call_logged_from_a_phone_shows_in_the_queue(page, live_server, watch):
    user_in_role(roles.COORDINATORS, username="casey")
    morgan = HelpRequestFactory(name="Morgan Ellis", phone="+12025550143", voicemail_ok=False)
    page.set_viewport_size(SMALL_PHONE)

    sign_in(page, live_server, "casey")
    open_request(page, live_server, morgan)
    # The first thing on the page: how to reach Morgan safely.
    card = page.locator(".contact-card")
    expect(card.get_by_role("link", name="Call (202) 555-0143")).to_have_attribute(
        "href", "tel:+12025550143"
    )
    expect(card).to_contain_text("do not name the clinic in a voicemail")
    assert_accessible(page)

    attempt = page.locator("#contact_attempts-group")
    attempt.locator("select[name='contact_attempts-0-channel']").select_option(label="Phone call")
    attempt.locator("select[name='contact_attempts-0-outcome']").select_option(label="No answer")
    page.get_by_role("button", name="Save and go to next").click()

    expect(page.locator(".messagelist")).to_contain_text("That was the last request in the queue")
    expect(page).to_have_url(live_server.url + QUEUE)
    row = page.locator("#result_list tbody tr").filter(has_text="Morgan Ellis")
    expect(row).to_contain_text("No answer")
    expect(row).to_contain_text("In progress")
    assert watch.csp_violations() == []
