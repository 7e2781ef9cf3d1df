"""Public pages in a real browser: accessible, self-contained and error-free."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations_or_foreign_requests(
    page, live_server, watch, path, viewport
):
    page.set_viewport_size(viewport)

    response = page.goto(live_server.url + path)

    assert response.status == 200
    results = Axe().run(
        page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]}
    )
    assert results.violations_count == 0, results.generate_report()
    assert watch.foreign_requests == []
    assert watch.console_errors == []
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


def test_skip_link_is_the_first_stop_for_keyboard_users(page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
