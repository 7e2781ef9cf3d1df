"""Staff hear of each request by email, without personal data, even after the mail server fails."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.models import HelpRequest
from intake.tasks import notify_staff

# The worker closes its database connections as a real one does, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

MAIL_SERVER_DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # Nothing listens on port 1: the connection is refused, as with a mail server down.
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}
MAIL_SERVER_UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def make_due_now():
    DBTaskResult.objects.update(run_after=timezone.now())


@pytest.fixture
def submitted(client, consultation_data):
    """A consultation request with a crisis message, sent through the form."""
    consultation_data["message"] = "My daughter overdosed last month; she is Jane Q. Public."
    response = client.post("/consultation/", consultation_data)
    assert response.status_code == 302
    return HelpRequest.objects.get()


def test_staff_are_emailed_kind_reference_urgency_and_link_only(submitted, settings):
    settings.MAILERS = MAIL_SERVER_UP
    settings.INTAKE_NOTIFY_EMAILS = ["intake@clinic.test"]

    run_worker()

    (email,) = mail.outbox
    assert email.to == ["intake@clinic.test"]
    assert submitted.reference in email.subject and "URGENT" in email.subject
    assert f"/admin/intake/helprequest/{submitted.pk}/change/" in email.body
    text = email.subject + email.body
    for private in (
        "Sam",
        "Rivera",
        "555",
        "0143",
        "Jane",
        "overdosed",
        "heroin",
        "Medicaid",
        "ME",
    ):
        assert private not in text.replace("URGENT", "").replace("mentions an overdose", "")
    submitted.refresh_from_db()
    assert submitted.notification == HelpRequest.Notification.SENT


def test_with_the_mail_server_down_nothing_is_lost_and_sending_retries(submitted, settings):
    settings.MAILERS = MAIL_SERVER_DOWN

    run_worker()

    submitted.refresh_from_db()
    assert submitted.notification == HelpRequest.Notification.FAILED  # staff can see it
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs["args"] == [submitted.pk, 2]

    settings.MAILERS = MAIL_SERVER_UP
    make_due_now()
    run_worker()

    submitted.refresh_from_db()
    assert submitted.notification == HelpRequest.Notification.SENT
    assert submitted.notification_attempts == 2
    assert len(mail.outbox) == 1


def test_a_notification_is_sent_once_even_if_queued_twice(submitted, settings):
    settings.MAILERS = MAIL_SERVER_UP
    notify_staff.enqueue(submitted.pk)

    run_worker()

    assert len(mail.outbox) == 1
