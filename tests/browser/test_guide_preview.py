"""An editor previews a live guide's draft in a real browser: at phone width the page sits
in a 360 px frame and reads without sideways scrolling, the public page still shows the
published text, and the preview pages pass axe on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from education.revisions import content_of
from education.services import draft_save
from recovery_site import roles
from tests.browser.helpers import DESKTOP, SMALL_PHONE, assert_accessible, sign_in_as
from tests.factories import GuideFactory, SourceFactory, user_in_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = "Withdrawal usually peaks on the second or third day, then slowly eases."
DRAFT = "Withdrawal is often worst on the second or third day."
# What a guide's body may hold that could push a phone's page sideways.
WIDE_PARTS = (
    "\n\n| Day | What you may feel |\n| --- | --- |\n| 1 | Aches, yawning, a runny nose |\n"
    "| 2 to 3 | Cramps, sweating, trouble sleeping |\n\n"
    "Read more at https://www.samhsa.gov/find-help/national-helpline/frequently-asked-questions\n"
)


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def editor(page, live_server):
    return sign_in_as(page, live_server, user_in_role(roles.CONTENT_EDITORS, username="dana"))


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["360", "1280"])
def test_an_editor_previews_a_draft_at_phone_width_and_the_public_page_is_unchanged(
    page, live_server, watch, editor, viewport
):
    page.set_viewport_size(viewport)
    guide = GuideFactory(
        title="Withdrawal", slug="withdrawal", body_markdown=f"## What to expect\n\n{PUBLISHED}\n"
    )
    SourceFactory(guide=guide, title="TIP 63", publisher="SAMHSA")
    body = f"## What to expect\n\n{DRAFT}{WIDE_PARTS}"
    draft_save(guide=guide, content={**content_of(guide), "body_markdown": body}, author=editor)

    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/preview/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preview of unpublished changes — not on the site"
    )
    expect(page.frame_locator("iframe").get_by_text(DRAFT)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Phone width").click()
    expect(page.get_by_role("link", name="Phone width")).to_have_attribute("aria-current", "page")
    frame = page.locator("iframe")
    expect(frame).to_have_attribute("title", "The guide as visitors would see it, at phone width")
    assert frame.bounding_box()["width"] == 360
    inside = page.frame_locator("iframe")
    expect(inside.get_by_role("heading", level=1)).to_have_text("Withdrawal")
    expect(inside.get_by_text(DRAFT)).to_be_visible()
    expect(inside.get_by_text("TIP 63")).to_be_visible()  # the site's own template, sources too
    shown = page.frames[1]
    assert shown.evaluate("innerWidth") == 360
    assert shown.evaluate("document.documentElement.scrollWidth") <= 360, "sideways scroll"
    assert_accessible(page)

    # The page inside, on its own, is the visitor's page and holds to the same rules.
    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/preview/page/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/learn/withdrawal/")
    expect(page.get_by_text(PUBLISHED)).to_be_visible()
    expect(page.get_by_text(DRAFT)).to_have_count(0)

    assert watch.csp_violations() == []
    assert watch.console_errors == []
    assert watch.foreign_requests == []
