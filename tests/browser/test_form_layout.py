"""The two request forms on a small phone: nothing scrolls sideways (also with WCAG's text
spacing), every radio and checkbox is easy to hit, and the message shows a character count
as its limit nears instead of cutting what was pasted."""

import pytest
from playwright.sync_api import expect

from intake.models import HelpRequest
from intake.spam import MIN_SECONDS_ON_PAGE
from tests.browser.helpers import PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = pytest.mark.parametrize("path", ["/contact/", "/consultation/"])
# WCAG 2.2 SC 1.4.12 (text spacing): what a reader's own style sheet may set.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


@FORMS
@pytest.mark.parametrize("spacing", [False, True], ids=["as-shipped", "text-spacing"])
def test_the_form_reflows_at_320_px_and_its_button_wraps(browser, live_server, path, spacing):
    # The spacing style sheet is the reader's own, so the site's strict CSP is set aside.
    with browser.new_context(viewport=PHONE, bypass_csp=True) as context:
        page = context.new_page()
        page.goto(live_server.url + path)
        if spacing:
            page.add_style_tag(content=TEXT_SPACING)

        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        button = page.locator("#submit-id-submit")
        assert button.evaluate("b => b.tagName") == "BUTTON"
        box = button.bounding_box()
        form = page.locator("form.request-form").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] == pytest.approx(form["width"], abs=1)  # full width on a phone


def test_every_radio_and_checkbox_is_at_least_40_px(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/consultation/")

    choices = page.locator("form.request-form :is(input[type=radio], input[type=checkbox])")
    assert choices.count() > 20
    for box in (choices.nth(i).bounding_box() for i in range(choices.count())):
        assert box["width"] >= 40 and box["height"] >= 40, box


def test_a_checkbox_hint_reads_under_its_label_not_in_a_column_beside_it(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/consultation/")

    label = page.get_by_text("You may send me text messages").bounding_box()
    hint = page.get_by_text("Reply STOP to end")
    # Where the hint's words start (its box begins at the checkbox's edge, indented).
    words_x = hint.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getClientRects()[0].x; }"
    )

    assert hint.bounding_box()["y"] >= label["y"] + label["height"] - 1
    assert words_x == pytest.approx(label["x"], abs=2)


@pytest.mark.parametrize(("path", "limit"), [("/contact/", 2000), ("/consultation/", 1000)])
def test_the_message_counts_characters_as_the_limit_nears_and_cuts_nothing(
    page, live_server, watch, path, limit
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    message = page.locator("#id_message")
    count = page.locator("#id_message-count")

    message.fill("a" * (limit // 2))
    expect(count).to_be_hidden()  # no count while the limit is far away

    message.fill("a" * (limit - 10))
    expect(count).to_be_visible()
    expect(count).to_have_text("You have 10 characters left")

    message.fill("a" * (limit + 5))  # as if pasted: nothing is cut
    expect(count).to_have_text("You have 5 characters too many")
    assert len(message.input_value()) == limit + 5
    live = page.locator("#id_message ~ [aria-live=polite]")
    expect(live).to_have_text("You have 5 characters too many")  # once typing pauses
    page.evaluate("window.scrollTo(0, 0)")  # as loaded: nothing under the sticky help bar
    assert_accessible(page)
    assert watch.console_errors == [] and watch.csp_violations() == []


def test_a_message_too_long_gets_our_words_from_the_server(page, live_server):
    page.goto(live_server.url + "/contact/")
    page.get_by_label("Your name").fill("Jordan")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Your message").fill("a" * 2100)
    page.wait_for_timeout(MIN_SECONDS_ON_PAGE * 1000 + 100)
    page.get_by_role("button", name="Send message").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(
        "Please shorten your message to 2,000 characters or fewer (it has 2100)."
    )
    expect(page.get_by_label("Your message")).to_have_value("a" * 2100)  # kept whole
    assert HelpRequest.objects.count() == 0


def test_a_bad_email_gets_our_words(page, live_server):
    page.goto(live_server.url + "/contact/")
    page.get_by_label("Your name").fill("Jordan")
    page.get_by_label("Email").fill("jordan@")
    page.get_by_label("Your message").fill("Hello")
    page.get_by_role("button", name="Send message").click()

    expect(page.locator("#error-summary")).to_contain_text(
        "Please check the email address: it should look like name@example.com."
    )
    expect(page.locator("#error-summary")).not_to_contain_text("Enter a valid")
