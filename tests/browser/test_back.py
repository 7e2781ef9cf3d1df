"""Back and Reload in a real browser after every way a send can go: with mistakes first,
with "Send now" first, refused by the submission limit. Each lands on a page the server
answers afresh, never on Chromium's "Confirm Form Resubmission" (net::ERR_CACHE_MISS),
which is what Back to a page that answered a POST gives."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest
from intake.throttle import Decision
from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = {
    "/contact/": {"heading": "Send us a message", "send": "Send message"},
    "/consultation/": {
        "heading": "Get a free, confidential consultation",
        "send": "Request my free consultation",
    },
}


@pytest.fixture(autouse=True)
def _no_submission_limit(settings):
    settings.INTAKE_RATE_LIMIT = 50


def fill_in(page, path, *, name="Sam Rivera"):
    """The shortest form that can be sent on either page (`name=""` is a mistake)."""
    page.get_by_label("Your name").fill(name)
    page.get_by_role("textbox", name="Phone").fill("(202) 555-0143")
    if path == "/contact/":
        page.get_by_label("Your message").fill("Can someone call me back about detox?")
    else:
        page.get_by_label("Morning").check()
        page.get_by_label("No, leave no message").check()


def send(page, path, *, name=None):
    page.get_by_role("button", name=name or FORMS[path]["send"]).first.click()


def assert_a_page_the_server_answered(answer, page):
    """A GET the server answered, showing a normal page: no browser error, no prompt."""
    assert answer is not None and answer.request.method == "GET"
    assert answer.status in {200, 429}, answer.status
    html = page.content()
    assert "ERR_CACHE_MISS" not in html and "resubmission" not in html.lower()


def assert_a_fresh_form(page, path):
    """The form with no notice (what the fields hold is the browser's own restoring)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(FORMS[path]["heading"])
    expect(page.locator("#error-summary, #confirm-send, #rate-limited")).to_have_count(0)
    expect(page.get_by_role("button", name=FORMS[path]["send"])).to_be_visible()


@pytest.mark.parametrize("path", FORMS)
def test_back_after_mistakes_then_sending_lands_on_the_form(page, live_server, watch, path):
    page.goto(live_server.url + path)
    fill_in(page, path, name="")  # a mistake: no name
    page.wait_for_timeout(3100)  # the time a person takes: no "Send now" in this test
    send(page, path)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.reload().status == 200  # Reload on the mistakes: the same page, no prompt
    expect(page.locator("#error-summary")).to_be_visible()
    page.get_by_label("Your name").fill("Sam")
    send(page, path)
    page.wait_for_url(f"{live_server.url}{path}thanks/")

    answer = page.go_back()

    assert_a_page_the_server_answered(answer, page)
    expect(page).to_have_url(f"{live_server.url}{path}?check=1")
    assert_a_fresh_form(page, path)
    assert_a_page_the_server_answered(page.reload(), page)
    assert_a_page_the_server_answered(page.go_back(), page)  # the form as first opened
    assert_a_fresh_form(page, path)
    assert HelpRequest.objects.count() == 1
    assert watch.console_errors == []


def test_back_after_send_now_lands_on_the_form(page, live_server, watch):
    page.goto(live_server.url + "/contact/")
    fill_in(page, "/contact/")
    send(page, "/contact/")  # at once, faster than a person reads
    expect(page.locator("#confirm-send")).to_contain_text("has not been sent yet")
    expect(page).to_have_url(live_server.url + "/contact/?check=1")

    reloaded = page.reload()  # the "Send now" page: asked again, nothing lost, no prompt

    assert_a_page_the_server_answered(reloaded, page)
    expect(page.locator("#confirm-send")).to_contain_text("has not been sent yet")
    expect(page.get_by_label("Your message")).to_have_value("Can someone call me back about detox?")
    assert_accessible(page)
    send(page, "/contact/", name="Send now")
    page.wait_for_url(live_server.url + "/contact/thanks/")

    answer = page.go_back()

    assert_a_page_the_server_answered(answer, page)
    assert_a_fresh_form(page, "/contact/")
    assert HelpRequest.objects.count() == 1
    assert watch.console_errors == []


def test_reload_on_the_submission_limit_keeps_it_and_what_was_typed(
    page, live_server, monkeypatch, settings
):
    # This visitor has sent enough for now (how the limit counts: tests/intake/test_throttle;
    # a first send counted in one statement: tests/intake/test_quick_send).
    settings.INTAKE_QUICK_SEND = False
    refused = Decision(allowed=False, retry_after=600)
    monkeypatch.setattr("intake.views.submission_allowed", lambda request: refused)
    page.goto(live_server.url + "/contact/")
    fill_in(page, "/contact/")
    page.wait_for_timeout(3100)
    send(page, "/contact/")
    expect(page.locator("#rate-limited")).to_be_visible()

    reloaded = page.reload()

    assert_a_page_the_server_answered(reloaded, page)
    assert reloaded.status == 429 and int(reloaded.headers["retry-after"]) > 0
    expect(page.locator("#rate-limited")).to_contain_text("Nothing you typed has been lost")
    expect(page.get_by_label("Your message")).to_have_value("Can someone call me back about detox?")
    assert_accessible(page)
    assert HelpRequest.objects.count() == 0
