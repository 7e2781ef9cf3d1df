"""What the browser tests share: the screens they try and the accessibility rules they
hold every page to."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

# The narrowest screen WCAG's reflow criterion names, and a desktop at 200% zoom (a
# 1280 px window zoomed to 200% lays pages out in 640 CSS px).
PHONE = {"width": 320, "height": 640}
# A common small phone: what a frightened visitor sees before scrolling.
SMALL_PHONE = {"width": 360, "height": 740}
ZOOMED_DESKTOP = {"width": 640, "height": 450}
DESKTOP = {"width": 1280, "height": 900}
# A test marked with this runs once on each of those screens, given as `viewport`.
on_every_screen = pytest.mark.parametrize(
    "viewport",
    [PHONE, SMALL_PHONE, ZOOMED_DESKTOP, DESKTOP],
    ids=["phone-320", "phone-360", "zoom-200", "desktop"],
)

AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}


def assert_accessible(page, options=AXE_RULES):
    """axe-core finds nothing on the page as it is now; its report says what if it does.

    Checked scrolled to the top: whatever scrolls under the sticky crisis bar is partly
    covered for that moment, which axe would count against each target in turn.
    """
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.scrollTo(0, 0)")
    results = Axe().run(page, options=options)
    page.evaluate(f"window.scrollTo(0, {scrolled})")
    assert results.violations_count == 0, results.generate_report()


def sign_in_as(page, live_server, user):
    """`user` signed in for the browser's pages (sign-in itself is tried in test_signin.py)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return user
