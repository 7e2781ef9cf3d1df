"""Editing a live guide in a real browser: the change is a draft until it is published,
and with the two-person rule on it waits for a clinical reviewer's approval. The change
form is checked with axe at phone and desktop width."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from recovery_site import roles
from tests.browser.helpers import DESKTOP, SMALL_PHONE, sign_in_as
from tests.factories import GuideFactory, ReviewerFactory, SourceFactory, user_in_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As tests/browser/test_queue.py says, Django's own admin markup fails some best-practice
# and WCAG 2.2 target-size rules, and the related guides' autocomplete (Django's select2)
# has an unlabelled search box; the drafts' own markup is held to every rule below.
ADMIN_AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
OWN_MARKUP_AXE_RULES = {
    "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    # The page as a whole is Django's: these judge the page, not a box in it.
    "rules": {"region": {"enabled": False}, "page-has-heading-one": {"enabled": False},
              "landmark-one-main": {"enabled": False}},
}  # fmt: skip


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def guide(db):
    guide = GuideFactory(
        title="Withdrawal", slug="withdrawal", reviewed_on=datetime.date(2026, 1, 5)
    )
    SourceFactory(guide=guide, title="TIP 63", publisher="SAMHSA")
    return guide


@pytest.fixture
def editor():
    return user_in_role(roles.CONTENT_EDITORS, username="dana", first_name="Dana")


def change_body(page, live_server, guide, words):
    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/change/")
    body = page.get_by_label("Body:")
    body.fill(body.input_value() + f"\n\n{words}\n")


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["360", "1280"])
def test_an_editor_changes_a_live_guide_and_publishes_it(
    page, live_server, watch, guide, editor, viewport
):
    page.set_viewport_size(viewport)
    public = f"{live_server.url}/learn/withdrawal/"
    page.goto(public)
    before = page.locator("main").inner_text()
    sign_in_as(page, live_server, editor)

    change_body(page, live_server, guide, "Our nurses call you the next day.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".messagelist")).to_contain_text("Draft saved.")
    expect(page.locator(".guide-state")).to_contain_text("Unpublished changes saved by Dana at")
    expect(page.get_by_label("Body:")).to_have_value(re.compile("Our nurses call you"))
    page.screenshot(path=f"/tmp/guide-draft-{viewport['width']}.png", full_page=True)
    assert_accessible_within(page, {"exclude": [[".select2-container"]]}, ADMIN_AXE_RULES)
    for own in (".guide-state", ".guide-buttons"):
        assert_accessible_within(page, own, OWN_MARKUP_AXE_RULES)
    page.goto(public)
    assert page.locator("main").inner_text() == before

    page.go_back()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published: visitors see this version")
    page.goto(public)
    expect(page.locator("main")).to_contain_text("Our nurses call you the next day.")
    assert watch.csp_violations() == [] and watch.foreign_requests == []


def assert_accessible_within(page, context, options):
    """axe finds nothing in that part of the page."""
    results = Axe().run(page, context=context, options=options)
    assert results.violations_count == 0, results.generate_report()


def test_with_the_two_person_rule_a_reviewer_approves_before_it_is_published(
    page, live_server, guide, editor, settings
):
    settings.GUIDE_TWO_PERSON_RULE = True
    clinician = user_in_role(roles.CLINICAL_REVIEWERS, username="ana")
    ReviewerFactory(name="Ana Lima", credentials="MD", user=clinician)
    sign_in_as(page, live_server, editor)

    change_body(page, live_server, guide, "Take the first dose once withdrawal has begun.")
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft but not published.")
    expect(page.locator(".guide-state")).to_contain_text(
        "Waiting for a clinical reviewer's approval"
    )
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/learn/withdrawal/")
    expect(page.locator("main")).not_to_contain_text("first dose")

    sign_in_as(page, live_server, clinician)
    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/change/")
    page.get_by_role("button", name="Approve as Ana Lima").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved as Ana Lima")

    sign_in_as(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/education/guide/{guide.pk}/change/")
    expect(page.locator(".guide-state")).to_contain_text("Approved by Ana Lima on")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    page.goto(f"{live_server.url}/learn/withdrawal/")
    today = timezone.localdate()
    expect(page.locator("main")).to_contain_text("first dose")
    expect(page.locator("main")).to_contain_text(
        f"Medically reviewed by Ana Lima, MD, addiction medicine on {today:%B} {today.day}, {today.year}"
    )
