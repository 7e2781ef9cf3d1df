"""Public pages in a real browser: accessible, self-contained and error-free."""

import pytest

from education.services import CONTENT_DIR
from tests.browser.helpers import DESKTOP, PHONE, assert_accessible, on_every_screen

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


def test_skip_link_is_the_first_stop_for_keyboard_users(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-320", "desktop"])
def test_missing_page_is_accessible_and_still_offers_help(page, live_server, watch, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + "/learn/no-such-guide/")

    assert response.status == 404
    assert_accessible(page)
    assert page.get_by_role("link", name="988").first.is_visible()
    assert watch.foreign_requests == []


def test_keyboard_user_can_search_and_open_a_guide(page, live_server, guides):
    page.goto(live_server.url + "/")

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
def test_pages_work_with_javascript_off(browser, live_server, guides, path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    response = page.goto(live_server.url + path)

    assert response.status == 200
    assert page.locator("#quick-exit").get_attribute("href").startswith("https://")
    page.get_by_role("searchbox", name="Search the guides").fill("withdrawal")
    page.get_by_role("searchbox", name="Search the guides").press("Enter")
    page.wait_for_url("**/learn/search/?q=withdrawal")
    assert page.locator(".search-results li").count() >= 1
    context.close()
