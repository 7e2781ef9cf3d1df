"""What the browser tests share: the screens they try and the accessibility rules they
hold every page to."""

import pytest
from axe_playwright_python.sync_playwright import Axe

# The narrowest screen WCAG's reflow criterion names, and a desktop at 200% zoom (a
# 1280 px window zoomed to 200% lays pages out in 640 CSS px).
PHONE = {"width": 320, "height": 640}
ZOOMED_DESKTOP = {"width": 640, "height": 450}
DESKTOP = {"width": 1280, "height": 900}
# A test marked with this runs once on each of those screens, given as `viewport`.
on_every_screen = pytest.mark.parametrize(
    "viewport", [PHONE, ZOOMED_DESKTOP, DESKTOP], ids=["phone-320", "zoom-200", "desktop"]
)

AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}


def assert_accessible(page, options=AXE_RULES):
    """axe-core finds nothing on the page as it is now; its report says what if it does."""
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
