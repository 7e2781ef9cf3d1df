"""The staff admin in a real browser: a coordinator signs in with the code from her phone,
works one request from the queue to "Contacted" and exports her list; other staff stay out
of the queue. Sign-in itself, wrong codes and first setup: test_signin.py."""

import csv
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from intake.models import AuditEntry, Event, HelpRequest, Note
from recovery_site import roles
from tests.browser.helpers import assert_accessible
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
QUEUE = "/admin/intake/helprequest/"
# The queue page is held to WCAG 2.0 and 2.1 A/AA only. Django's own changelist markup fails
# two rules the rest of the site is held to: best-practice label-title-only (the search box
# is labelled by a magnifier icon, <label><img alt="Search">) and WCAG 2.2 target-size (the
# filter sidebar's links are 20 px tall). Every other admin page here meets AXE_RULES in full.
QUEUE_AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


def console_errors(watch):
    return watch.console_errors


def queue_rows(page):
    return page.locator("#result_list tbody tr")


def queue_names(page):
    return queue_rows(page).locator(".field-name").all_inner_texts()


def sidebar_filter(page, title):
    """One "By ..." group of the queue's filter sidebar."""
    return page.locator("#changelist-filter details").filter(
        has=page.locator("summary", has_text=f"By {title}")
    )


def sign_in(page, live_server, username, *, code=None):
    """Open the admin home, get sent to sign in, and fill in the form as a person does."""
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(live_server.url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if code is not None:  # the code is asked on a page of its own
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture(autouse=True)
def _roles(staff_roles):
    """Each test here ends by emptying the database, roles included: put them back first."""


@pytest.fixture
def coordinator():
    return user_in_role(roles.COORDINATORS, username="casey")


def test_coordinator_signs_in_with_a_code_works_a_request_and_exports_her_list(
    page, live_server, watch, settings, coordinator
):
    settings.ADMIN_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=coordinator, name="phone")
    drew = user_in_role(roles.COORDINATORS, username="drew")
    morgan = HelpRequestFactory(name="Morgan Ellis", urgent=True, phone="+12025550143")
    HelpRequestFactory(name="Jamie Ortiz", assigned_to=drew)
    HelpRequestFactory(name="Taylor Brooks")

    # She opens the admin, is sent to sign in, and gives her password and her phone's code.
    sign_in(page, live_server, "casey", code=authenticator_code(device))

    # The admin home: the queue at a glance.
    expect(page).to_have_url(live_server.url + "/admin/")
    tiles = page.locator(".queue-tiles").get_by_role("link")
    expect(tiles).to_have_text(
        ["3 New", "0 Overdue", "1 Urgent", "0 Follow-ups due", "0 Mine", "0 Held as spam this week"]
    )

    # The "Urgent" tile opens the queue filtered to the one urgent request ...
    tiles.filter(has_text="Urgent").click()
    expect(page).to_have_url(live_server.url + QUEUE + "?urgent=waiting")
    expect(queue_rows(page)).to_have_count(1)
    assert queue_names(page) == ["Morgan Ellis"]
    # ... and the sidebar filters it further or takes the filter off again.
    sidebar_filter(page, "urgent").get_by_role("link", name="All").click()
    expect(queue_rows(page)).to_have_count(3)
    assert queue_names(page) == ["Morgan Ellis", "Jamie Ortiz", "Taylor Brooks"]  # oldest first
    sidebar_filter(page, "assigned to").get_by_role("link", name="Nobody yet").click()
    expect(queue_rows(page)).to_have_count(2)
    assert queue_names(page) == ["Morgan Ellis", "Taylor Brooks"]
    sidebar_filter(page, "assigned to").get_by_role("link", name="All").click()
    expect(queue_rows(page)).to_have_count(3)

    # Morgan calls back: she looks the number up as she heard it (stored +12025550143).
    page.get_by_role("textbox", name="Search").fill("(202) 555-0143")
    page.get_by_role("button", name="Search").click()
    expect(queue_rows(page)).to_have_count(1)
    assert queue_names(page) == ["Morgan Ellis"]
    assert_accessible(page, QUEUE_AXE_RULES)
    assert watch.csp_violations() == []

    page.get_by_role("link", name="Morgan Ellis").click()
    heading = f"Consultation request {morgan.reference}"  # never a name in the title
    expect(page.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    assert_accessible(page)
    assert watch.csp_violations() == []
    page.get_by_role("button", name="Assign to me and save").click()

    # Still on Morgan's page, which is now hers.
    expect(page.locator(".messagelist")).to_contain_text(f"{morgan.reference} is assigned to you")
    expect(page.get_by_label("Assigned to")).to_have_value(str(coordinator.pk))

    # "Save" takes her back to the queue as she left it, the request hers.
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("textbox", name="Search")).to_have_value("(202) 555-0143")
    expect(queue_rows(page).locator(".field-assigned_to")).to_have_text(["casey"])
    page.get_by_role("link", name="Morgan Ellis").click()
    expect(page.get_by_label("Assigned to")).to_have_value(str(coordinator.pk))
    page.get_by_label("Status").select_option(label="Contacted")
    page.locator("textarea[name='notes-0-text']").fill("Called back; intake visit on Monday.")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.get_by_label("Status")).to_have_value("contacted")
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(4)
    expect(timeline.first).to_contain_text("Request received")
    expect(timeline.filter(has_text="Assignee: - → casey")).to_have_text(
        re.compile(r"Assignee: - → casey casey$")
    )
    expect(timeline.filter(has_text="Status: New → Contacted")).to_have_text(
        re.compile(r"Status: New → Contacted casey$")
    )
    expect(timeline.filter(has_text="Note: Called back; intake visit on Monday.")).to_have_text(
        re.compile(r"Note: Called back; intake visit on Monday\. casey$")
    )
    assert watch.csp_violations() == []

    # To the queue, her own requests only, and export those.
    page.locator(".breadcrumbs").get_by_role("link", name="Help requests").click()
    sidebar_filter(page, "assigned to").get_by_role("link", name="Me").click()
    expect(queue_rows(page)).to_have_count(1)
    page.get_by_role("link", name="Export these as CSV").click()
    assert_accessible(page)
    assert watch.csp_violations() == []
    page.get_by_label("Why do you need this export?").fill("Weekly follow-up call list")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(r"requests-\d{8}-\d{4}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == [
        "reference", "kind", "status", "urgent", "created_at", "respond_by", "name", "phone",
        "email", "preferred_contact", "contact_window", "voicemail_ok", "program", "state",
        "assigned_to", "follow_up_on",
    ]  # fmt: skip
    exported = [dict(zip(header, row, strict=True)) for row in rows]
    # A leading "+" would start a spreadsheet formula: the export writes the number as text.
    assert [
        (row["reference"], row["name"], row["phone"], row["status"], row["assigned_to"])
        for row in exported
    ] == [(morgan.reference, "Morgan Ellis", "'+12025550143", "contacted", "casey")]

    morgan.refresh_from_db()
    assert morgan.assigned_to == coordinator
    assert morgan.status == HelpRequest.Status.CONTACTED
    note = Note.objects.get()
    assert (note.help_request, note.author, note.text) == (
        morgan, coordinator, "Called back; intake visit on Monday."
    )  # fmt: skip
    assert [
        (event.kind, event.old_value, event.new_value, event.actor)
        for event in Event.objects.filter(help_request=morgan).order_by("created_at")
    ] == [
        (Event.Kind.ASSIGNEE, "", "casey", coordinator),
        (Event.Kind.STATUS, "New", "Contacted", coordinator),
    ]
    trail = AuditEntry.objects.filter(actor=coordinator)
    # Opened, shown again after "Assign to me", reopened, and shown after "Save and continue
    # editing".
    assert trail.filter(action=AuditEntry.Action.VIEW, reference=morgan.reference).count() == 4
    changes = trail.filter(action=AuditEntry.Action.CHANGE, reference=morgan.reference)
    assert sorted(change.details["fields"] for change in changes) == [["assigned_to"], ["status"]]
    assert trail.filter(action=AuditEntry.Action.NOTE, reference=morgan.reference).count() == 1
    export = trail.get(action=AuditEntry.Action.EXPORT)
    assert export.details == {
        "reason": "Weekly follow-up call list", "rows": 1, "filters": ["assignee"],
        "references": [morgan.reference],
    }  # fmt: skip
    # Nothing else was seen, changed or exported, by her or anyone.
    assert AuditEntry.objects.exclude(reference=morgan.reference).exclude(pk=export.pk).count() == 0
    assert watch.foreign_requests == []
    assert console_errors(watch) == []


def test_admin_pages_name_an_icon(page, live_server):
    page.goto(live_server.url + "/admin/login/")

    icons = page.locator("link[rel~='icon']")
    assert icons.count() >= 1


def test_content_editor_is_refused_the_queue(page, live_server, watch, settings):
    settings.ADMIN_REQUIRE_2FA = False
    user_in_role(roles.CONTENT_EDITORS, username="eden")
    HelpRequestFactory(name="Morgan Ellis")

    sign_in(page, live_server, "eden")

    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("#education-guide").get_by_role("link", name="Guides")).to_be_visible()
    expect(page.get_by_role("link", name="Requests for help")).to_have_count(0)
    expect(page.get_by_role("link", name="Help requests")).to_have_count(0)
    expect(page.locator(".queue-tiles")).to_have_count(0)
    expect(page.locator(".review-tiles")).to_have_count(1)  # guides due for review
    assert watch.csp_violations() == []

    response = page.goto(live_server.url + QUEUE)  # typed into the address bar

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_text("Morgan Ellis")).to_have_count(0)
    assert not AuditEntry.objects.exists()
    assert watch.foreign_requests == []
    assert watch.csp_violations() == []
    # The refused page itself is the only thing the console reports (no CSP violation).
    assert console_errors(watch) == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden) "
        f"({live_server.url}{QUEUE})"
    ]
