"""The two request forms in a real browser: sent by mouse, by keyboard alone, without
JavaScript, with mistakes and twice over; each time a visitor sees the right page and the
clinic stores the request exactly once."""

import re
import time

import pytest
from playwright.sync_api import expect

from intake import views
from intake.models import HelpRequest
from intake.spam import MIN_SECONDS_ON_PAGE
from tests.browser.helpers import assert_accessible, on_every_screen
from tests.helpers import CONSULTATION_REFERENCE, MESSAGE_REFERENCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_time_to_read(page):
    """A person spends a few seconds on the form; anything faster is stored as spam."""
    page.wait_for_timeout(MIN_SECONDS_ON_PAGE * 1000 + 100)


def focused_id(page):
    return page.evaluate("document.activeElement.id")


def press(page, key, *, lands_on):
    """Press `key` and check where the keyboard focus went."""
    page.keyboard.press(key)
    assert focused_id(page) == lands_on, f"{key} moved focus to {focused_id(page)!r}"


def fill_in_message(page, message="My brother has been using for a year. What can we do?"):
    page.get_by_label("Your name").fill("Jordan Avery")
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Your message").fill(message)


@on_every_screen
def test_visitor_sends_a_message_and_is_given_its_reference(page, live_server, watch, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/contact/")
    assert_accessible(page)

    fill_in_message(page)
    take_time_to_read(page)
    page.get_by_role("button", name="Send message").click()

    page.wait_for_url(live_server.url + "/contact/thanks/")
    stored = HelpRequest.objects.get()
    shown = page.locator(".reference strong").inner_text()
    assert MESSAGE_REFERENCE.fullmatch(shown)
    assert shown == stored.reference
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(page.get_by_role("main").get_by_role("alert")).to_have_count(0)  # no crisis here
    assert stored.kind == HelpRequest.Kind.MESSAGE
    assert (stored.name, stored.email) == ("Jordan Avery", "jordan@example.com")
    assert stored.spam is False and stored.urgent is False
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert watch.foreign_requests == []
    assert watch.console_errors == []


def test_keyboard_user_requests_a_consultation_without_touching_the_mouse(page, live_server):
    page.goto(live_server.url + "/consultation/")

    press(page, "Tab", lands_on="quick-exit")  # the way out comes first on every page
    press(page, "Tab", lands_on="")  # the skip link
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    press(page, "Enter", lands_on="main")
    page.keyboard.press("Tab")  # "Prefer to talk now? Call ..." comes before the form
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("tel:")

    press(page, "Tab", lands_on="id_name")
    page.keyboard.type("Sam Rivera")
    press(page, "Tab", lands_on="id_phone")
    page.keyboard.type("(202) 555-0143")
    press(page, "Tab", lands_on="id_email")  # left empty: a phone number is enough

    # A radio group is one Tab stop: Space ticks the first option, arrows move the choice.
    press(page, "Tab", lands_on="id_preferred_contact_0")
    page.keyboard.press("Space")  # Phone call
    press(page, "Tab", lands_on="id_contact_window_0")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # Evening
    press(page, "Tab", lands_on="id_voicemail_ok_0")
    page.keyboard.press("ArrowDown")  # No, leave no message that names the clinic
    assert focused_id(page) == "id_voicemail_ok_1"
    press(page, "Tab", lands_on="id_who_needs_help_0")
    page.keyboard.press("ArrowDown")  # Someone I care about

    # Each checkbox is its own Tab stop; Space ticks it.
    press(page, "Tab", lands_on="id_substances_0")
    page.keyboard.press("Space")  # Heroin
    press(page, "Tab", lands_on="id_substances_1")
    page.keyboard.press("Space")  # Fentanyl
    press(page, "Tab", lands_on="id_substances_2")
    press(page, "Tab", lands_on="id_substances_3")

    press(page, "Tab", lands_on="id_program_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # changed their mind: Medically supervised detox
    press(page, "Tab", lands_on="id_insurance_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Medicaid or Medicare
    press(page, "Tab", lands_on="id_insurance_provider")
    press(page, "Tab", lands_on="id_state")
    page.keyboard.type("Maine")  # type-ahead in a closed select
    expect(page.locator("#id_state")).to_have_value("ME")
    press(page, "Tab", lands_on="id_message")
    page.keyboard.type("Evenings are safest.")
    press(page, "Tab", lands_on="id_heard_about")
    page.keyboard.type("Family")  # type-ahead: Family or a friend
    press(page, "Tab", lands_on="id_heard_about_other")  # left empty

    press(page, "Tab", lands_on="id_consent_sms")  # not ticked: calls only
    page.keyboard.press("Tab")  # the privacy notice link in "By sending this request…"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/privacy/"
    press(page, "Tab", lands_on="submit-id-submit")
    take_time_to_read(page)
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + "/consultation/thanks/")
    stored = HelpRequest.objects.get()
    expect(page.locator(".reference strong")).to_have_text(stored.reference)
    assert CONSULTATION_REFERENCE.fullmatch(stored.reference)
    assert stored.kind == HelpRequest.Kind.CONSULTATION
    assert stored.name == "Sam Rivera"
    assert stored.phone == "+12025550143"
    assert stored.email == ""
    assert stored.preferred_contact == HelpRequest.ContactMethod.CALL
    assert stored.contact_window == HelpRequest.ContactWindow.EVENING
    assert stored.voicemail_ok is False
    assert stored.who_needs_help == HelpRequest.WhoNeedsHelp.SOMEONE_ELSE
    assert stored.substances == ["heroin", "fentanyl"]
    assert stored.program == HelpRequest.Program.DETOX
    assert stored.insurance == HelpRequest.Insurance.MEDICAID_MEDICARE
    assert stored.state == "ME"
    assert stored.message == "Evenings are safest."
    assert stored.heard_about == HelpRequest.HeardAbout.FAMILY
    assert stored.consent_contact is True and stored.consent_sms is False
    assert stored.spam is False


def test_mistakes_are_summarised_on_top_and_nothing_typed_is_lost(page, live_server, watch):
    page.goto(live_server.url + "/consultation/")
    page.get_by_label("Your name").fill("Sam Rivera")
    page.get_by_role("textbox", name="Phone").fill("12")
    page.get_by_label("Phone call").check()
    # No safe time chosen.
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Me", exact=True).check()
    page.get_by_label("Heroin").check()
    page.get_by_label("Fentanyl").check()
    page.get_by_label("No insurance").check()
    page.get_by_label("US state").select_option("ME")
    page.get_by_role("button", name="Request my free consultation").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator("#error-summary")
    # It takes the focus (autofocus), so a screen reader reads it out first.
    expect(summary).to_be_focused()
    assert focused_id(page) == "error-summary"
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("Please check these answers")
    assert summary.bounding_box()["y"] < page.locator("form.request-form").bounding_box()["y"]

    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Please enter a phone number we can call, like (202) 555-0123.",
            "Please choose a time when it is safe to reach you.",
        ]
    )
    for number, target in enumerate(["id_phone", "id_contact_window_0"], start=1):
        summary.focus()
        for _ in range(number):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == f"#{target}"
        press(page, "Enter", lands_on=target)
        expect(page.locator(f"#{target}")).to_be_in_viewport()

    expect(page.get_by_label("Your name")).to_have_value("Sam Rivera")
    expect(page.get_by_role("textbox", name="Phone")).to_have_value("12")
    expect(page.get_by_label("Heroin")).to_be_checked()
    expect(page.get_by_label("Fentanyl")).to_be_checked()
    expect(page.get_by_label("Prescription opioids")).not_to_be_checked()
    expect(page.get_by_label("Phone call")).to_be_checked()
    expect(page.get_by_label("US state")).to_have_value("ME")
    assert_accessible(page)
    assert HelpRequest.objects.count() == 0
    assert watch.console_errors == []


@pytest.mark.parametrize(
    ("path", "reach", "stored_as"),
    [
        ("/contact/", {"Phone": "(202) 555-0143"}, ("+12025550143", "")),
        ("/contact/", {"Email": "sam@example.com"}, ("", "sam@example.com")),
        ("/consultation/", {"Phone": "(202) 555-0143"}, ("+12025550143", "")),
        ("/consultation/", {"Email": "sam@example.com"}, ("", "sam@example.com")),
    ],
    ids=["message-phone-only", "message-email-only", "consultation-phone-only",
         "consultation-email-only"],
)  # fmt: skip
def test_a_short_form_with_one_way_to_reach_is_sent(page, live_server, path, reach, stored_as):
    page.goto(live_server.url + path)
    page.get_by_label("Your name").fill("Sam")
    for label, value in reach.items():
        page.get_by_role("textbox", name=label).fill(value)
    if path == "/contact/":
        page.get_by_label("Your message").fill("Can someone call me back about detox?")
    else:  # only the safety answers; everything under "Tell us more" left
        page.get_by_label("Morning").check()
        page.get_by_label("No, leave no message").check()
    take_time_to_read(page)
    page.locator("#submit-id-submit").click()

    page.wait_for_url(live_server.url + path + "thanks/")
    stored = HelpRequest.objects.get()
    assert (stored.name, stored.phone, stored.email) == ("Sam", *stored_as)
    way = HelpRequest.ContactMethod.CALL if stored_as[0] else HelpRequest.ContactMethod.EMAIL
    assert stored.preferred_contact == way
    expect(page.locator(".reference strong")).to_have_text(stored.reference)


def test_a_message_about_an_overdose_puts_911_and_988_first(page, live_server):
    page.goto(live_server.url + "/contact/")
    fill_in_message(page, "My son took something and now he is not breathing properly.")
    take_time_to_read(page)
    page.get_by_role("button", name="Send message").click()

    page.wait_for_url(live_server.url + "/contact/thanks/")
    # The header's crisis line is on every page; this is the thank-you page's own warning.
    warning = page.get_by_role("main").get_by_role("alert")
    call_911 = warning.get_by_role("link", name="911", exact=True)
    call_988 = warning.get_by_role("link", name="988", exact=True)
    expect(call_911).to_be_in_viewport()  # seen without scrolling
    expect(call_988).to_be_in_viewport()
    heading_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert call_911.bounding_box()["y"] < heading_top
    assert call_988.bounding_box()["y"] < heading_top
    stored = HelpRequest.objects.get()
    assert stored.urgent is True
    expect(page.locator(".reference strong")).to_have_text(stored.reference)


def test_message_is_sent_with_javascript_turned_off(browser, live_server):
    with browser.new_context(java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(live_server.url + "/contact/")

        fill_in_message(page)
        page.get_by_label("How did you hear about us?").select_option(label="Somewhere else")
        page.get_by_label("If somewhere else, where?").fill("my pastor")
        take_time_to_read(page)
        page.get_by_role("button", name="Send message").click()

        page.wait_for_url(live_server.url + "/contact/thanks/")
        stored = HelpRequest.objects.get()
        expect(page.locator(".reference strong")).to_have_text(stored.reference)
        assert stored.spam is False
        assert (stored.heard_about, stored.heard_about_other) == ("other", "my pastor")


def test_clicking_send_again_while_waiting_and_reloading_store_one_message(
    page, live_server, settings, monkeypatch
):
    settings.INTAKE_RATE_LIMIT = 50
    settings.INTAKE_QUICK_SEND = False  # the full way, made slow below
    store = views.help_request_create

    def slow_answer(**kwargs):
        # The request is stored, but the answer takes a while: the visitor clicks again.
        stored = store(**kwargs)
        time.sleep(1)
        return stored

    # A Chromium double click sends one post (the second submit replaces the first before
    # it leaves); a second click once the first post is on its way sends another.
    monkeypatch.setattr(views, "help_request_create", slow_answer)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto(live_server.url + "/contact/")
    fill_in_message(page)
    take_time_to_read(page)
    send = page.get_by_role("button", name="Send message")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)  # the page has not changed yet: clicked again, to be sure

    # The second post cancels the first one's navigation, so poll the address.
    expect(page).to_have_url(live_server.url + "/contact/thanks/")
    assert len(posts) == 2  # both clicks reached the server
    reference = HelpRequest.objects.get().reference
    expect(page.locator(".reference strong")).to_have_text(reference)
    page.reload()
    expect(page.locator(".reference strong")).to_have_text(reference)
    assert HelpRequest.objects.count() == 1


def test_going_back_and_sending_again_asks_before_a_second_message(page, live_server, settings):
    settings.INTAKE_RATE_LIMIT = 50
    page.goto(live_server.url + "/contact/")
    fill_in_message(page)
    take_time_to_read(page)
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url(live_server.url + "/contact/thanks/")
    reference = page.locator(".reference strong").inner_text()

    page.go_back()  # unsure it went through, the visitor goes back ...
    page.wait_for_url(live_server.url + "/contact/")
    if page.get_by_label("Your name").input_value() != "Jordan Avery":
        pytest.fail("the browser did not refill the form: this test no longer shows the risk")
    page.get_by_role("button", name="Send message").click()  # ... and sends it again at once

    # Told it arrived, with its reference; nothing sent twice unless they say so.
    notice = page.locator("#confirm-send")
    expect(notice).to_contain_text("You have already sent us a message")
    expect(notice).to_contain_text(reference)
    assert HelpRequest.objects.count() == 1
    expect(page.get_by_label("Your message")).to_have_value(
        "My brother has been using for a year. What can we do?"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Send now").first.click()  # they meant to send another
    page.wait_for_url(live_server.url + "/contact/thanks/")
    assert HelpRequest.objects.count() == 2
    assert page.locator(".reference strong").inner_text() != reference


def test_a_visitor_who_sends_at_once_is_asked_to_press_send_now_and_nothing_is_lost(
    page, live_server, settings
):
    settings.INTAKE_RATE_LIMIT = 50
    page.goto(live_server.url + "/contact/")
    fill_in_message(page)
    page.get_by_role("button", name="Send message").click()  # faster than a person reads

    expect(page.locator("#confirm-send")).to_contain_text("has not been sent yet")
    expect(page).to_have_title(re.compile(r"^Not sent yet: "))
    assert HelpRequest.objects.count() == 0
    expect(page.get_by_label("Your name")).to_have_value("Jordan Avery")
    assert_accessible(page)

    page.get_by_role("button", name="Send now").first.click()
    page.wait_for_url(live_server.url + "/contact/thanks/")
    stored = HelpRequest.objects.get()
    expect(page.locator(".reference strong")).to_have_text(stored.reference)
    assert stored in HelpRequest.objects.queue() and stored.possibly_automated
