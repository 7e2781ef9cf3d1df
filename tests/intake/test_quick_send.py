"""A visitor's first, clean send is stored in one statement, with the same request, answer
and thank-you page as the full way (intake/middleware.py).

The quick way answers only once the full way has answered a first send of that form (it
repeats that answer's headers), so each test sends once as an earlier visitor, then as the
visitor under test: the same browser, its cookies cleared, as a new person on the same
network would arrive.
"""

import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.tasks.signals import task_enqueued
from django.test import Client
from django_tasks_db.models import DBTaskResult

from intake import middleware
from intake.hours import response_due
from intake.models import HelpRequest
from intake.tasks import notify_staff
from tests.helpers import form_fields_as_shown, form_token, staff_notifications_queued

pytestmark = pytest.mark.django_db

# Set per request or per answer: everything else must be what the full way stores.
PER_REQUEST = {"id", "reference", "submission_key", "created_at", "updated_at", "respond_by"}


@pytest.fixture
def quick_sends(monkeypatch):
    """The sends the quick way stored (the full way's would not be listed)."""
    stored = []
    store = middleware.help_request_store_first_send

    def watched(**kwargs):
        session_key = store(**kwargs)
        stored.append(session_key)
        return session_key

    monkeypatch.setattr(middleware, "help_request_store_first_send", watched)
    return stored


def new_visitor(client: Client) -> Client:
    client.cookies.clear()
    return client


def send(client, path, data, **changes):
    return client.post(path, {**data, "form_token": form_token(), **changes})


def as_stored(help_request) -> dict:
    return {
        field.attname: getattr(help_request, field.attname)
        for field in HelpRequest._meta.concrete_fields
        if field.attname not in PER_REQUEST
    }


@pytest.mark.parametrize(
    ("path", "data_fixture"),
    [("/contact/", "contact_data"), ("/consultation/", "consultation_data")],
)
def test_the_quick_way_stores_and_answers_as_the_full_way(
    client, quick_sends, request, path, data_fixture
):
    data = request.getfixturevalue(data_fixture)
    full = send(client, path, data)
    quick = send(new_visitor(client), path, data)

    assert len(quick_sends) == 1
    first, second = HelpRequest.objects.order_by("id")
    assert as_stored(second) == as_stored(first)
    assert second.respond_by == response_due(second.created_at, urgent=second.urgent)
    assert second.reference != first.reference
    assert (quick.status_code, quick["Location"]) == (full.status_code, full["Location"])
    per_answer = {"Expires": "", "X-Request-ID": ""}  # a fresh time and id on each
    assert {**quick.headers, **per_answer} == {**full.headers, **per_answer}
    assert quick["X-Request-ID"] != full["X-Request-ID"]
    (cookie,) = quick.cookies.values()
    (full_cookie,) = full.cookies.values()
    assert dict(cookie.items()) == dict(full_cookie.items())
    assert cookie.value != full_cookie.value
    # The session holds the same note: the thank-you page shows the new reference.
    thanks = client.get(quick["Location"])
    assert second.reference in thanks.content.decode()
    assert first.reference not in thanks.content.decode()
    assert Session.objects.get(session_key=cookie.value).expire_date is not None


def test_staff_are_told_of_a_quick_send(
    client, contact_data, quick_sends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the full way's, after commit
        send(client, "/contact/", contact_data)
        send(new_visitor(client), "/contact/", contact_data, message="Is there help tonight?")

    assert len(quick_sends) == 1
    for help_request in HelpRequest.objects.all():
        assert staff_notifications_queued(help_request) == 1


def test_a_quick_send_is_announced_as_enqueued(client, contact_data, quick_sends):
    enqueued = []

    def heard(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(heard)
    try:
        send(client, "/contact/", contact_data)
        send(new_visitor(client), "/contact/", contact_data, message="Is there help tonight?")
    finally:
        task_enqueued.disconnect(heard)
    quick = HelpRequest.objects.latest("id")

    assert len(quick_sends) == 1
    (announced,) = enqueued  # the full way's comes after its commit: not in this test
    assert announced.args == [quick.pk]
    assert DBTaskResult.objects.filter(id=announced.id).exists()


def test_with_another_task_backend_every_send_goes_the_full_way(
    client, contact_data, quick_sends, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        send(client, "/contact/", contact_data)
        send(new_visitor(client), "/contact/", contact_data)

    assert quick_sends == [] and HelpRequest.objects.count() == 2
    assert not DBTaskResult.objects.exists()  # both queued by the configured backend
    assert len(notify_staff.get_backend().results) == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_staff_of_a_quick_send(client, contact_data, quick_sends, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.INTAKE_NOTIFY_EMAILS = ["intake@clinic.test"]
    send(client, "/contact/", contact_data)
    send(new_visitor(client), "/contact/", contact_data, message="Is there help tonight?")
    mail.outbox.clear()
    quick = HelpRequest.objects.latest("id")

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert len(quick_sends) == 1
    subjects = " ".join(email.subject for email in mail.outbox)
    assert quick.reference in subjects
    quick.refresh_from_db()
    assert quick.notification == HelpRequest.Notification.SENT


def test_a_form_sent_twice_is_stored_once(client, contact_data, quick_sends):
    send(client, "/contact/", contact_data)
    token = form_token()
    first = send(new_visitor(client), "/contact/", contact_data, form_token=token)
    # The answer was lost; the same form is sent again from a browser with no session.
    again = send(new_visitor(client), "/contact/", contact_data, form_token=token)

    assert HelpRequest.objects.count() == 2
    assert again["Location"] == first["Location"] == "/contact/thanks/"
    reference = HelpRequest.objects.latest("id").reference
    assert reference in client.get("/contact/thanks/").content.decode()
    assert len(quick_sends) == 2 and quick_sends[1] is None  # the full way answered it


def test_the_submission_limit_holds_for_quick_sends(client, contact_data, settings):
    settings.INTAKE_RATE_LIMIT = 2
    for _ in range(2):
        assert send(new_visitor(client), "/contact/", contact_data).status_code == 302

    refused = send(new_visitor(client), "/contact/", contact_data)

    assert refused.status_code == 303  # the form shown again, with the wait
    assert client.get(refused["Location"]).status_code == 429
    assert HelpRequest.objects.count() == 2


def test_a_visitor_with_a_session_goes_the_full_way(client, contact_data, quick_sends):
    send(client, "/contact/", contact_data)
    resent = send(client, "/contact/", contact_data)  # the same words, right after

    assert quick_sends == []
    assert resent["Location"] == "/contact/thanks/"
    assert HelpRequest.objects.count() == 1  # the one they already sent


def test_a_mistake_or_a_bot_goes_the_full_way(client, contact_data, quick_sends):
    send(client, "/contact/", contact_data)

    mistake = send(new_visitor(client), "/contact/", contact_data, email="", phone="")
    bot = send(new_visitor(client), "/contact/", contact_data, leave_blank="buy now")
    rushed = send(new_visitor(client), "/contact/", contact_data, form_token=form_token(0))

    assert quick_sends == []
    assert mistake.status_code == rushed.status_code == 303  # shown again, words kept
    assert bot["Location"] == "/contact/thanks/"
    assert HelpRequest.objects.filter(spam=True).count() == 1  # held out of the queue
    assert HelpRequest.objects.count() == 2


def test_a_send_without_the_csrf_token_is_refused(contact_data, quick_sends):
    browser = Client(enforce_csrf_checks=True)
    shown = form_fields_as_shown(browser.get("/contact/").content.decode())
    csrf = {"csrfmiddlewaretoken": shown["csrfmiddlewaretoken"]}
    assert send(browser, "/contact/", contact_data, **csrf).status_code == 302
    browser.cookies.clear()
    browser.get("/contact/")  # a new CSRF cookie, but the page's token left out

    refused = send(browser, "/contact/", contact_data)

    assert refused.status_code == 403
    assert quick_sends == [] and HelpRequest.objects.count() == 1


def test_a_spanish_send_is_stored_in_spanish(client, contact_data, quick_sends):
    send(client, "/es/contact/", contact_data)
    quick = send(new_visitor(client), "/es/contact/", contact_data)

    assert len(quick_sends) == 1
    assert quick["Location"] == "/es/contact/thanks/"
    assert {r.language for r in HelpRequest.objects.all()} == {HelpRequest.Language.SPANISH}
    page = client.get(quick["Location"]).content.decode()
    assert HelpRequest.objects.latest("id").reference in page
    assert re.search(r'<html[^>]*lang="es"', page)


def test_a_database_error_on_the_quick_way_is_stored_the_full_way(
    client, contact_data, monkeypatch, caplog
):
    send(client, "/contact/", contact_data)

    def broken(*args, **kwargs):
        raise OperationalError("Key (email)=(jordan@example.com) conflicts")

    monkeypatch.setattr("intake.services.quick_send._execute", broken)
    with caplog.at_level(logging.WARNING):
        answer = send(new_visitor(client), "/contact/", contact_data)

    assert answer["Location"] == "/contact/thanks/"
    assert HelpRequest.objects.count() == 2
    assert "quick send not stored" in caplog.text
    assert "jordan" not in caplog.text  # the database's message is not logged


@pytest.mark.parametrize("after_storing", [False, True], ids=["before", "after storing"])
def test_a_fault_in_the_quick_way_loses_nothing(
    client, contact_data, monkeypatch, caplog, after_storing
):
    send(client, "/contact/", contact_data)

    def broken(instance):
        raise TypeError("Jordan Avery")

    monkeypatch.setattr(
        "intake.services.quick_send." + ("saved" if after_storing else "insert_values"), broken
    )
    answer = send(new_visitor(client), "/contact/", contact_data)

    assert answer["Location"] == "/contact/thanks/"
    assert HelpRequest.objects.count() == 2  # stored once, by one way or the other
    reference = HelpRequest.objects.latest("id").reference
    assert reference in client.get("/contact/thanks/").content.decode()
    assert "quick send failed (TypeError)" in caplog.text and "Jordan" not in caplog.text


def test_switched_off_every_send_goes_the_full_way(client, contact_data, quick_sends, settings):
    settings.INTAKE_QUICK_SEND = False
    send(client, "/contact/", contact_data)
    send(new_visitor(client), "/contact/", contact_data)

    assert quick_sends == [] and HelpRequest.objects.count() == 2
