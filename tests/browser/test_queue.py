"""The queue in a real browser: an urgent request sent last is the first row, with its own
deadline, and the columns that matter first fit a phone; a follow-up due today is on the
admin home; bulk Close asks first, with a reason. Every page checked with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import HelpRequest
from recovery_site import roles
from tests.browser.helpers import DESKTOP, PHONE, SMALL_PHONE, assert_accessible, sign_in_as
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/intake/helprequest/"
# As tests/browser/test_admin.py says: Django's changelist markup fails label-title-only
# (the search box's magnifier label) and WCAG 2.2 target-size in its filter sidebar.
QUEUE_AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
# The columns a phone shows before any sideways scrolling (after the row's checkbox).
FIRST_COLUMNS = (".field-urgency", ".field-status_label", ".field-waiting", ".field-name")


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def coordinator(page, live_server):
    """An intake coordinator, signed in (sign-in itself is tried in test_signin.py)."""
    return sign_in_as(page, live_server, user_in_role(roles.COORDINATORS, username="casey"))


def queue_rows(page):
    return page.locator("#result_list tbody tr")


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE, DESKTOP], ids=["320", "360", "1280"])
def test_an_urgent_request_created_last_appears_first_with_its_own_deadline(
    page, live_server, watch, coordinator, viewport
):
    page.set_viewport_size(viewport)
    now = timezone.now()
    for days, name in ((3, "Jamie Ortiz"), (2, "Taylor Brooks")):
        HelpRequestFactory(name=name, created_at=now - timedelta(days=days))
    HelpRequestFactory(name="Morgan Ellis", kind="message", urgent=True)

    page.goto(live_server.url + QUEUE)

    first = queue_rows(page).first
    expect(first.locator(".field-name")).to_have_text("Morgan Ellis")
    expect(first.locator(".field-urgency")).to_have_text("Urgent")
    # Its own promise: due within the hour, not after days of business hours.
    expect(first.locator(".field-waiting")).to_have_text(re.compile(r"min · due in \d+ min$"))
    expect(queue_rows(page).nth(1).locator(".field-urgency")).to_have_text("")
    page.locator("#changelist-form").screenshot(path=f"/tmp/queue-{viewport['width']}.png")
    # Urgency, status, waited and name are on screen without scrolling sideways.
    for column in FIRST_COLUMNS:
        box = first.locator(column).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], column
    assert_accessible(page, QUEUE_AXE_RULES)
    assert watch.csp_violations() == [] and watch.foreign_requests == []


def test_a_follow_up_due_today_appears_in_the_tile(page, live_server, coordinator):
    today = timezone.localdate()
    HelpRequestFactory(name="Robin Reyes", status="contacted", follow_up_on=today)
    HelpRequestFactory(name="Sam Lee", status="contacted", follow_up_on=today + timedelta(days=2))

    page.goto(live_server.url + "/admin/")
    tile = page.locator(".queue-tiles").get_by_role("link", name="Follow-ups due")
    expect(tile).to_have_text("1 Follow-ups due")
    assert_accessible(page)
    tile.click()

    expect(queue_rows(page)).to_have_count(1)
    expect(queue_rows(page).locator(".field-name")).to_have_text("Robin Reyes")
    expect(queue_rows(page).locator(".field-follow_up")).to_have_text(today.strftime("%a %d %b"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320", "1280"])
def test_bulk_close_asks_for_confirmation_and_a_reason(
    page, live_server, watch, coordinator, viewport
):
    page.set_viewport_size(viewport)
    HelpRequestFactory(name="Jamie Ortiz")
    HelpRequestFactory(name="Taylor Brooks")
    HelpRequestFactory(name="Robin Reyes")

    page.goto(live_server.url + QUEUE)
    for name in ("Jamie Ortiz", "Taylor Brooks"):
        queue_rows(page).filter(has_text=name).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Close")
    page.get_by_role("button", name="Run").click()

    expect(page.get_by_role("heading", name="Close 2 requests?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, close 2").click()
    expect(page.locator(".errornote")).to_have_text("Please choose why they are closed.")
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"new"}

    page.get_by_label("Why are they closed?").select_option(label="Declined")
    page.screenshot(path=f"/tmp/queue-close-{viewport['width']}.png", full_page=True)
    page.get_by_role("button", name="Yes, close 2").click()

    expect(page.locator(".messagelist")).to_contain_text("2 requests closed.")
    expect(queue_rows(page)).to_have_count(1)
    closed = HelpRequest.objects.filter(status="closed")
    assert sorted(closed.values_list("name", "close_reason")) == [
        ("Jamie Ortiz", "declined"),
        ("Taylor Brooks", "declined"),
    ]
    assert watch.csp_violations() == []
