"""The About page with everything a clinic fills in: team, licences, directions."""

import pytest

from tests.browser.helpers import assert_accessible, on_every_screen
from tests.factories import ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@on_every_screen
def test_a_filled_in_about_page_is_accessible_and_fits_the_screen(
    page, live_server, watch, settings, viewport
):
    settings.CLINIC = {
        **settings.CLINIC,
        "licences": [
            "Licensed by the Maine Department of Health and Human Services, licence no. 4711",
            "Accredited by an accrediting body, certificate no. 0815",
        ],
        "directions": "Bus 3 stops at the door; free parking behind the building.",
    }
    ReviewerFactory(name="Ada Moss", credentials="MD", role="Medical director",
                    on_about_page=True)  # fmt: skip
    ReviewerFactory(name="Sam Lee", credentials="RN, CARN", role="Nurse lead",
                    on_about_page=True, about_order=1)  # fmt: skip
    page.set_viewport_size(viewport)

    page.goto(live_server.url + "/about/")

    assert page.get_by_role("heading", name="Our clinical team").is_visible()
    assert page.get_by_text("Getting here:").is_visible()
    assert_accessible(page)
    assert watch.foreign_requests == [] and watch.console_errors == []
    assert watch.csp_violations() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # A number broken over two lines is drawn as two boxes.
    broken = page.locator('main a[href^="tel:"]').evaluate_all(
        "links => links.filter(a => a.getClientRects().length > 1).map(a => a.textContent)"
    )
    assert broken == []
