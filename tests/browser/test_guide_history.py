"""A guide's history in a real browser: an editor compares two versions, puts the older
back as a draft, then sets a time at which the task worker publishes it. Every page of
ours checked with axe on a phone and on a desktop."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from education.models import Guide
from education.revisions import content_of
from education.services import draft_save, guide_publish
from tests.browser.helpers import DESKTOP, SMALL_PHONE, assert_accessible, sign_in_as
from tests.factories import GuideFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = "Withdrawal usually peaks on the second or third day, then slowly eases."
NEW = "Withdrawal is often worst on the second or third day."


@pytest.fixture
def editor(page, live_server):
    """A content editor who may publish, signed in (sign-in itself: test_signin.py)."""
    user = UserFactory(username="robin", first_name="Robin", last_name="Hale")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_guide", "change_guide", "publish_guide"])
    )
    return sign_in_as(page, live_server, user)


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["360", "1280"])
def test_an_editor_compares_reverts_and_schedules_a_publish_the_worker_carries_out(
    page, live_server, watch, editor, viewport
):
    page.set_viewport_size(viewport)
    guide = GuideFactory(slug="withdrawal", body_markdown=f"## What to expect\n\n{OLD}\n")
    guide_publish(guide=guide, actor=editor)
    draft_save(
        guide=guide,
        content={**content_of(guide), "body_markdown": f"## What to expect\n\n{NEW}\n"},
        author=editor,
    )
    guide_publish(guide=guide, actor=editor)
    admin = f"{live_server.url}/admin/education/guide/{guide.pk}"

    page.goto(f"{admin}/revisions/")
    assert_accessible(page)
    page.get_by_label("Compare from the version of").last.check()  # the first publish
    page.get_by_role("button", name="Compare").click()

    body = page.locator(".revisions-field", has=page.get_by_role("heading", name="Body"))
    expect(body.locator(".revisions-removed")).to_have_text(f"Removed: {OLD}")
    expect(body.locator(".revisions-added")).to_have_text(f"Added: {NEW}")
    # Long lines wrap: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=f"/tmp/history17-compare-{viewport['width']}.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Put the older version back as a draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Put this version back as a draft").click()

    expect(page.get_by_text("is back as a draft")).to_be_visible()
    assert NEW in Client().get("/learn/withdrawal/").content.decode()  # not public yet

    page.goto(f"{admin}/schedule/")
    assert_accessible(page)
    soon = timezone.localtime() + datetime.timedelta(minutes=5)
    page.get_by_role("textbox", name="Publish at:", exact=True).fill(
        soon.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save times").click()
    expect(page.locator(".messagelist")).to_contain_text("Times saved: Publishes ")

    # The set time arrives: the worker runs the task it was given for then.
    Guide.objects.filter(pk=guide.pk).update(publish_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    page.goto(f"{live_server.url}/learn/withdrawal/")
    expect(page.get_by_text(OLD)).to_be_visible()
    assert watch.csp_violations() == [] and watch.foreign_requests == []
