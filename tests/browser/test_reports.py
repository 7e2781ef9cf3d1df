"""The Reports page in a real browser, at phone and desktop widths: charts drawn, their
numbers beside them, nothing from another origin, and nothing axe-core objects to."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recovery_site import roles
from tests.browser.helpers import DESKTOP, PHONE, SMALL_PHONE, assert_accessible, sign_in_as
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/admin/intake/helprequest/reports/"
SOURCES = ["search", "family", "doctor", "", "court", "search", "program", ""]


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def coordinator(page, live_server):
    """An intake coordinator, signed in (sign-in itself is tried in test_signin.py)."""
    return sign_in_as(page, live_server, user_in_role(roles.COORDINATORS, username="casey"))


@pytest.fixture
def twelve_weeks():
    """About 120 requests over twelve weeks: most reached, some scheduled, a few urgent."""
    now = timezone.now()
    for n in range(120):
        sent = now - timedelta(hours=5 + n * 16)
        request = HelpRequestFactory(
            created_at=sent,
            kind="message" if n % 3 == 0 else "consultation",
            urgent=n % 11 == 0,
            heard_about=SOURCES[n % len(SOURCES)],
        )
        if n % 6:
            request.stamp_first_attempt(sent + timedelta(hours=1 + n % 5))
        if n % 4:
            request.stamp_first_contact(sent + timedelta(hours=2 + n % 9))
            request.status = "contacted"
        if n % 4 == 1:
            request.status, request.close_reason = "closed", "started_care"
            request.appointment_at = sent + timedelta(days=2)
        request.save()


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE, DESKTOP], ids=["320", "360", "1280"])
def test_a_coordinator_reads_the_reports_on_any_screen(
    page, live_server, watch, coordinator, twelve_weeks, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + URL)

    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(
        page.get_by_role("img", name="Requests per week, by kind, urgent marked")
    ).to_be_visible()
    expect(page.get_by_role("table", name="From request to care")).to_be_visible()
    expect(page.get_by_role("table", name="How they heard about us")).to_contain_text(
        "A search engine"
    )
    assert page.locator("svg.chart rect.chart__bar").count() > 12
    # The page itself never scrolls sideways; a wide table scrolls in its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    assert watch.foreign_requests == [] and watch.csp_violations() == []
    assert watch.console_errors == []


def test_choosing_the_last_four_weeks_shows_four_weeks(
    page, live_server, coordinator, twelve_weeks
):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + URL)
    page.get_by_role("link", name="4 weeks").click()
    rows = page.get_by_role("table", name="Requests per week").locator("tbody tr")
    expect(rows).to_have_count(4)
