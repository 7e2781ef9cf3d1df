"""Public pages in a real browser: accessible, self-contained and error-free."""

import pytest

from education.services import CONTENT_DIR
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SMALL_PHONE,
    assert_accessible,
    on_every_screen,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDES = [f"/learn/{path.stem}/" for path in sorted((CONTENT_DIR / "guides").glob("*.md"))]
PUBLIC_PAGES = [
    "/",
    "/learn/",
    *GUIDES,
    "/learn/search/",
    "/learn/search/?q=withdrawing",
    "/learn/search/?q=zebra",
    "/learn/search/?q=withdrawl",  # "Showing results for" and the exact-search link
    "/learn/search/?q=narcan",  # the overdose guide first, with its call button
    "/programs/",
    "/about/",
    "/privacy/",
]


@on_every_screen
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations_or_foreign_requests(
    page, live_server, watch, guides, path, viewport
):
    page.set_viewport_size(viewport)

    response = page.goto(live_server.url + path)

    assert response.status == 200
    assert_accessible(page)
    assert watch.foreign_requests == []
    assert watch.console_errors == []
    assert watch.csp_violations() == []
    # Nothing may be wider than the phone screen (WCAG reflow at 320 CSS px).
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_pressing_shift_three_times_leaves_for_a_neutral_site(page, live_server, settings):
    page.route(
        "**/*",
        lambda route: (
            route.fulfill(status=200, body="neutral")
            if not route.request.url.startswith(live_server.url)
            else route.continue_()
        ),
    )
    page.goto(live_server.url + "/")

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(settings.QUICK_EXIT_URL + "**")

    assert page.url.startswith(settings.QUICK_EXIT_URL)


def test_typing_capital_letters_never_triggers_the_quick_exit(page, live_server, guides):
    page.goto(live_server.url + "/learn/search/")
    page.get_by_label("What would you like to know?").focus()

    for character in "I Need MAT":
        # Shift held down for each capital, as a person types it.
        page.keyboard.press(f"Shift+{character}" if character.isupper() else character)
    page.wait_for_timeout(300)

    assert page.url.startswith(live_server.url)
    assert page.get_by_label("What would you like to know?").input_value().startswith("I Need")


def test_exit_is_the_first_stop_for_keyboard_users_and_the_skip_link_the_next(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_crisis_bar_stays_on_screen_after_scrolling_to_the_end_of_a_long_guide(
    page, live_server, guides
):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + "/learn/heroin-withdrawal/")

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 1000")

    bar = page.get_by_role("complementary", name="Urgent help").bounding_box()
    assert bar["y"] == 0
    for name in ("Exit", "Call 911", "Call or text 988", "Overdose"):
        target = page.locator(".crisis").get_by_role("link", name=name).bounding_box()
        assert target["y"] >= 0 and target["y"] + target["height"] <= bar["height"], name


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["phone-320", "phone-360"])
def test_crisis_bar_is_one_slim_row_of_targets_at_least_44_px(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")

    bar = page.locator(".crisis")
    assert bar.bounding_box()["height"] <= 56
    targets = bar.locator("a:not(.skip-link):visible, summary:visible")
    assert targets.count() == 5  # Exit, 911, 988, the overdose steps, how Exit works
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, targets.nth(index).inner_text()


def test_how_exit_works_opens_under_the_bar(page, live_server):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + "/")

    page.locator("#quick-exit-help summary").click()

    explanation = page.get_by_text("does not erase your browser history")
    assert explanation.is_visible()
    assert page.locator(".crisis").bounding_box()["height"] <= 56


@pytest.mark.parametrize(
    ("path", "first_thing"),
    [
        ("/", "main .hero .btn-primary"),
        ("/consultation/", "main form :is(input, select, textarea):visible"),
    ],
    ids=["home-main-button", "consultation-first-field"],
)
def test_what_the_page_is_for_is_on_a_phones_first_screen(page, live_server, path, first_thing):
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_server.url + path)

    box = page.locator(first_thing).first.bounding_box()

    assert box["y"] + box["height"] <= SMALL_PHONE["height"]


def test_on_a_phone_the_menu_opens_with_one_tap_even_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    header = page.get_by_role("banner")
    assert not header.get_by_role("link", name="Programs").is_visible()

    menu = header.get_by_text("Menu", exact=True)
    where = menu.bounding_box()
    menu.click()

    # It drops down the full width of the screen, and the button stays where it was.
    programs = header.get_by_role("link", name="Programs")
    assert programs.bounding_box()["width"] >= SMALL_PHONE["width"] * 0.8
    assert programs.bounding_box()["y"] > where["y"] + where["height"]
    assert menu.bounding_box() == where
    programs.click()

    page.wait_for_url("**/programs/")
    context.close()


def test_on_a_wide_screen_the_menu_is_open_and_there_is_no_menu_button(page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")

    assert page.get_by_role("navigation", name="Main").get_by_role("link").count() == 5
    assert not page.get_by_text("Menu", exact=True).is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-320", "desktop"])
def test_missing_page_is_accessible_and_still_offers_help(page, live_server, watch, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + "/learn/no-such-guide/")

    assert response.status == 404
    assert_accessible(page)
    assert page.get_by_role("link", name="988").first.is_visible()
    assert watch.foreign_requests == []


def test_keyboard_user_can_search_and_open_a_guide(page, live_server, guides):
    page.goto(live_server.url + "/learn/")

    page.get_by_role("searchbox", name="Search the guides").focus()
    page.keyboard.type("methadone")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/search/?q=methadone")
    page.get_by_role("link", name="Treatment options for opioid use disorder").focus()
    page.keyboard.press("Enter")

    page.wait_for_url("**/learn/treatment-options/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Treatment options")


def test_contents_link_jumps_to_its_section(page, live_server, guides):
    page.goto(live_server.url + "/learn/heroin-withdrawal/")
    toc_link = page.locator("nav.toc a").nth(1)
    target = toc_link.get_attribute("href")

    toc_link.click()

    assert page.url.endswith(target)
    assert page.locator(target).is_visible()


@pytest.mark.parametrize("path", ["/", "/learn/heroin-withdrawal/"])
def test_exit_works_and_shift_is_not_offered_with_javascript_off(
    browser, live_server, guides, path
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    response = page.goto(live_server.url + path)

    assert response.status == 200
    assert page.locator("#quick-exit").get_attribute("href").startswith("https://")
    assert page.locator("#quick-exit").is_visible()
    assert not page.get_by_text("How Exit works").is_visible()
    assert not page.get_by_text("Shift three times").is_visible()
    context.close()


def test_guide_search_works_with_javascript_off(browser, live_server, guides):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    response = page.goto(live_server.url + "/learn/heroin-withdrawal/")

    assert response.status == 200
    page.get_by_role("searchbox", name="Search the guides").fill("withdrawal")
    page.get_by_role("searchbox", name="Search the guides").press("Enter")
    page.wait_for_url("**/learn/search/?q=withdrawal")
    assert page.locator(".search-results li").count() >= 1
    context.close()
