"""A coordinator's save that arrives after the idle limit: what she typed is kept, for her
only, encrypted, and offered back once when she signs in again (intake/unsaved_changes.py).
"Stay signed in" on the idle warning: the keep-alive address."""

import io
import logging
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from intake.models import AuditEntry, HelpRequest, Note, UnsavedChange
from intake.unsaved_changes import KEY_FIELD
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import admin_change_url, form_fields_as_shown, triage_post

pytestmark = pytest.mark.django_db

NOTE = "Spoke with her sister; call back after 6 p.m. about the detox bed."


def signed_in(username: str) -> tuple[Client, object]:
    user = user_in_role(roles.COORDINATORS, username=username)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser, user


def page_then_session_ends(browser, help_request) -> dict:
    """Open the request's page, then let the idle limit pass: the browser drops the
    expired session cookie. Returns the hidden fields the page holds (CSRF token, key)."""
    shown = form_fields_as_shown(browser.get(admin_change_url(help_request)).content.decode())
    del browser.cookies["sessionid"]
    return {
        "csrfmiddlewaretoken": shown["csrfmiddlewaretoken"],
        KEY_FIELD: shown[KEY_FIELD],
    }


def late_save(browser, help_request, hidden, **changes):
    """Press Save on the page, with a note typed and `changes` made."""
    data = triage_post(help_request, **{"notes-0-text": NOTE, **changes}, **hidden)
    return browser.post(admin_change_url(help_request), data)


def save_what_came_back(browser, help_request) -> dict:
    """Open the request's page again, check what came back and press Save: the page posts
    what it shows (the hidden copies and stamp included). Returns those hidden fields."""
    shown = form_fields_as_shown(browser.get(admin_change_url(help_request)).content.decode())
    data = triage_post(help_request, status="contacted", **{"notes-0-text": NOTE})
    data |= {name: shown[name] for name in ("csrfmiddlewaretoken", "seen_updated_at")}
    data["initial-status"] = shown["initial-status"]
    browser.post(admin_change_url(help_request), data)
    return shown


def test_a_save_after_the_session_ended_keeps_the_note_and_changes_for_that_user_only():
    help_request = HelpRequestFactory(status="new")
    casey_browser, casey = signed_in("casey")
    hidden = page_then_session_ends(casey_browser, help_request)

    response = late_save(casey_browser, help_request, hidden, status="contacted")

    # Sent to sign in, back to this request's page afterwards; nothing saved yet.
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={admin_change_url(help_request)}"
    help_request.refresh_from_db()
    assert help_request.status == "new" and not Note.objects.exists()
    kept = UnsavedChange.objects.get()
    assert kept.user == casey and kept.help_request == help_request
    # A colleague opening the same request is offered nothing.
    drew_browser, _drew = signed_in("drew")
    page = drew_browser.get(admin_change_url(help_request)).content.decode()
    assert NOTE not in page and "unsaved changes" not in page
    assert UnsavedChange.objects.filter(user=casey).exists()


def test_the_sign_in_page_says_what_was_kept_without_a_session():
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    hidden = page_then_session_ends(browser, help_request)

    response = late_save(browser, help_request, hidden)

    # The message rides in its own cookie: the expired session is not needed for it.
    assert "messages" in response.cookies and "sessionid" not in response.cookies
    sign_in_page = browser.get(response["Location"]).content.decode()
    assert (
        "You were signed out after 30 minutes without activity. What you typed on "
        f"{help_request.reference} is kept: sign in again to get it back."
    ) in sign_in_page
    assert help_request.name not in sign_in_page


def test_what_was_typed_is_encrypted_at_rest():
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request))

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM intake_unsavedchange")
        (stored,) = cursor.fetchone()
    assert "call back" not in stored and "notes-0-text" not in stored


def test_keeping_it_is_in_the_audit_trail_without_what_was_typed():
    help_request = HelpRequestFactory()
    browser, casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request))

    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert entry.actor == casey and entry.reference == help_request.reference
    assert "kept unsaved changes" in entry.details["operation"]
    assert NOTE not in str(entry.details)


@pytest.mark.parametrize(
    "key",
    [
        "not-a-signed-value",
        # Signed by us, but for another purpose.
        signing.dumps({"user": 1, "request": 1}),
    ],
    ids=["forged", "other-salt"],
)
def test_nothing_is_kept_for_a_bad_signature(key):
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    hidden = page_then_session_ends(browser, help_request)

    response = late_save(browser, help_request, hidden | {KEY_FIELD: key})

    assert not UnsavedChange.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()
    # The admin's usual answer to someone not signed in, without the kept message.
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not list(get_messages(response.wsgi_request))


def test_nothing_is_kept_for_a_page_opened_before_the_key_expired(monkeypatch, settings):
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    hidden = page_then_session_ends(browser, help_request)
    later = timezone.now().timestamp() + settings.UNSAVED_CHANGE_HOURS * 3600 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)

    late_save(browser, help_request, hidden)

    assert not UnsavedChange.objects.exists()


def test_a_key_for_one_request_keeps_nothing_on_another():
    first, second = HelpRequestFactory(), HelpRequestFactory()
    browser, _casey = signed_in("casey")
    hidden = page_then_session_ends(browser, first)

    late_save(browser, second, hidden)

    assert not UnsavedChange.objects.exists()


def test_it_is_offered_back_once_after_signing_in_again():
    help_request = HelpRequestFactory(status="new")
    browser, casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request),
              status="contacted")  # fmt: skip

    kept_at = timezone.localtime(UnsavedChange.objects.get().kept_at)

    browser.force_login(casey)
    response = browser.get(admin_change_url(help_request))

    page = response.content.decode()
    assert NOTE in page
    form = response.context_data["adminform"].form
    assert form["status"].value() == "contacted"
    # The hidden copy still holds what the page first showed, so the next save knows the
    # status is this person's change.
    assert 'name="initial-status" value="new"' in page
    assert (
        f"Your unsaved changes from {kept_at:%H:%M} are back below. Check them and press Save."
    ) in page
    assert not UnsavedChange.objects.exists()
    # Taken once: the next visit shows the request as stored.
    assert NOTE not in browser.get(admin_change_url(help_request)).content.decode()


def test_saving_what_came_back_stores_the_note_and_the_change():
    help_request = HelpRequestFactory(status="new")
    browser, casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request),
              status="contacted")  # fmt: skip
    browser.force_login(casey)

    save_what_came_back(browser, help_request)

    help_request.refresh_from_db()
    assert help_request.status == "contacted"
    assert Note.objects.get().text == NOTE


def test_a_request_changed_meanwhile_is_still_refused_as_stale():
    help_request = HelpRequestFactory(status="new")
    browser, casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request),
              status="contacted")  # fmt: skip
    seen_then = help_request.updated_at.isoformat()
    # A colleague saves the request while Casey is signed out.
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status="in_progress", updated_at=timezone.now()
    )

    browser.force_login(casey)

    shown = save_what_came_back(browser, help_request)

    # The page came back with the copy she had seen: her save does not undo the colleague's.
    assert shown["seen_updated_at"] == seen_then
    help_request.refresh_from_db()
    assert help_request.status == "in_progress"


def test_what_is_kept_expires(settings):
    help_request = HelpRequestFactory()
    browser, casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request))
    UnsavedChange.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    browser.force_login(casey)
    assert NOTE not in browser.get(admin_change_url(help_request)).content.decode()
    # Housekeeping deletes what nobody came back for.
    call_command("housekeeping", "--once", stdout=io.StringIO())
    assert not UnsavedChange.objects.exists()


def test_it_expires_after_the_configured_hours(settings):
    settings.UNSAVED_CHANGE_HOURS = 2
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    late_save(browser, help_request, page_then_session_ends(browser, help_request))

    kept = UnsavedChange.objects.get()
    assert kept.expires_at - kept.kept_at == timedelta(hours=2)


def test_what_was_typed_is_never_in_the_logs_or_the_address(caplog):
    help_request = HelpRequestFactory()
    browser, _casey = signed_in("casey")
    hidden = page_then_session_ends(browser, help_request)

    with caplog.at_level(logging.DEBUG):
        response = late_save(browser, help_request, hidden)
        browser.get(response["Location"])

    logged = " ".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert "call back" not in logged and "call+back" not in logged
    assert "call" not in response["Location"] and "notes" not in response["Location"]


# --- "Stay signed in" --------------------------------------------------------------------


def test_stay_signed_in_pushes_the_idle_limit_back():
    browser, _casey = signed_in("casey")
    token = form_fields_as_shown(browser.get("/admin/").content.decode())["csrfmiddlewaretoken"]

    response = browser.post("/admin/keep-alive/", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 204 and response.content == b""
    assert "no-store" in response["Cache-Control"]
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


def test_stay_signed_in_does_nothing_for_someone_not_signed_in():
    browser = Client()
    assert browser.post("/admin/keep-alive/").status_code == 403
    assert "sessionid" not in browser.cookies


def test_the_warning_script_is_only_on_signed_in_staff_pages(settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_WARNING_SECONDS = 120
    browser, _casey = signed_in("casey")

    page = browser.get("/admin/").content.decode()

    assert 'data-idle-seconds="600" data-warn-seconds="120"' in page
    assert 'data-keep-alive-url="/admin/keep-alive/"' in page
    assert "idle-warning" not in Client().get("/admin/login/").content.decode()
