"""The thank-you page in a real browser: its promise and panel on every screen, and Back
from it, also after a send that first had mistakes, lands on a normal page."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest
from tests.browser.helpers import DESKTOP, PHONE, SMALL_PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_wait_before_sending(monkeypatch, settings):
    """These tests are about what comes after Send: no reading time, no submission limit."""
    monkeypatch.setattr("intake.spam.MIN_SECONDS_ON_PAGE", 0)
    settings.INTAKE_RATE_LIMIT = 50


def fill_in_message(page, *, name="Jordan Avery"):
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Your message").fill("My brother has been using for a year.")


def send(page):
    page.get_by_role("button", name="Send message").click()


@pytest.mark.parametrize(
    "viewport", [PHONE, SMALL_PHONE, DESKTOP], ids=["phone-320", "phone-360", "desktop"]
)
def test_the_thank_you_page_says_by_when_we_will_reply(page, live_server, watch, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/contact/")
    fill_in_message(page)
    send(page)

    page.wait_for_url(live_server.url + "/contact/thanks/")
    panel = page.locator(".confirmation-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(panel.locator("strong")).to_have_text(HelpRequest.objects.get().reference)
    expect(page.locator(".confirmation-promise")).to_have_text(
        re.compile(
            r"^We will email you by (\d{1,2}(:\d\d)? [ap]\.m\.|noon) on \w+day \d{1,2} \w+\.$"
        )
    )
    expect(page.get_by_role("heading", name="If we have not reached you by then")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
    assert watch.console_errors == [] and watch.foreign_requests == []
