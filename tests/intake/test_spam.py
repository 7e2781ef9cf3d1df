"""A person is never silently filed away as spam; only an unambiguous bot is held back."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from intake.models import HelpRequest
from intake.spam import HONEYPOT
from tests.factories import HelpRequestFactory
from tests.helpers import form_fields_as_shown, form_token, staff_notifications_queued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_after_commit_hooks_at_once(monkeypatch):
    """Each test runs in one transaction; run the hooks a real commit would run, at once."""
    monkeypatch.setattr(transaction, "on_commit", lambda hook, using=None, robust=False: hook())


def press_send_now(client, path, page, data):
    """Press "Send now" on the form shown again: its new token, everything else as typed."""
    assert "Send now" in page
    token = form_fields_as_shown(page)["form_token"]
    return client.post(path, {**data, "form_token": token}, follow=True)


@pytest.mark.parametrize(
    "rushed",
    [
        # Made when the test runs: a token's age is what is being tested.
        pytest.param(lambda: form_token(seconds_ago=0.5), id="back-then-send-at-once"),
        pytest.param(lambda: "", id="no-token"),
        pytest.param(lambda: "forged", id="altered-token"),
    ],
)
def test_a_rushed_send_is_asked_to_confirm_and_then_reaches_staff(client, contact_data, rushed):
    data = {**contact_data, "form_token": rushed()}

    first = client.post("/contact/", data, follow=True)

    page = first.content.decode()
    assert first.redirect_chain == [("/contact/?check=1", 303)]  # Back and Reload stay safe
    assert first.status_code == 200 and HelpRequest.objects.count() == 0
    assert "has not been sent yet" in page and "<title>Not sent yet:" in page
    assert "{#" not in page and "{%" not in page  # no template source shown to a visitor
    assert "My brother has been using for a year" in page and 'value="Jordan Avery"' in page

    sent = press_send_now(client, "/contact/", page, data)

    help_request = HelpRequest.objects.get()
    assert sent.redirect_chain == [("/contact/thanks/", 302)]
    assert help_request.reference in sent.content.decode()
    assert help_request.status == HelpRequest.Status.NEW and not help_request.spam
    assert help_request in HelpRequest.objects.queue()
    assert staff_notifications_queued(help_request) == 1


def test_pressing_send_now_at_once_still_reaches_staff_marked_possibly_automated(
    client, contact_data
):
    data = {**contact_data, "form_token": form_token(seconds_ago=0.5, confirm=True)}

    client.post("/contact/", data)

    help_request = HelpRequest.objects.get()
    assert help_request in HelpRequest.objects.queue()
    assert staff_notifications_queued(help_request) == 1
    assert help_request.possibly_automated and help_request.spam_reason == "sent too fast"


def test_a_consultation_confirmed_keeps_every_answer(client, consultation_data):
    data = {**consultation_data, "form_token": form_token(seconds_ago=0.1)}
    page = client.post("/consultation/", data, follow=True).content.decode()
    assert 'value="heroin"' in page and re.search(r'value="heroin"[^>]*checked', page)

    press_send_now(client, "/consultation/", page, data)

    help_request = HelpRequest.objects.get()
    assert help_request.substances == ["heroin", "fentanyl"]
    assert help_request.insurance == "medicaid_medicare"


def test_autofill_of_the_hidden_field_with_the_visitors_own_email_is_not_spam(client, contact_data):
    data = {**contact_data, HONEYPOT: contact_data["email"]}

    page = client.post("/contact/", data, follow=True).content.decode()
    press_send_now(client, "/contact/", page, data)

    help_request = HelpRequest.objects.get()
    assert not help_request.spam and help_request.possibly_automated
    assert staff_notifications_queued(help_request) == 1


def test_a_bot_filling_the_hidden_field_is_held_out_of_the_queue_without_a_reference(
    client, contact_data
):
    response = client.post(
        "/contact/", {**contact_data, HONEYPOT: "http://cheap-pills.example"}, follow=True
    )

    held = HelpRequest.objects.get()
    assert held.spam and held.status == HelpRequest.Status.SPAM
    assert held.spam_reason == "hidden field filled"
    assert staff_notifications_queued(held) == 0
    assert held.reference not in response.content.decode()
    assert "Your reference" not in response.content.decode()


def test_a_resend_never_answers_with_a_reference_held_as_spam(client, contact_data):
    token = form_token()
    client.post("/contact/", {**contact_data, HONEYPOT: "x", "form_token": token})

    # The same form sent again, this time without the bot's signal: a person sent it.
    again = client.post("/contact/", {**contact_data, "form_token": token}, follow=True)

    help_request = HelpRequest.objects.get()
    assert not help_request.spam and help_request.status == HelpRequest.Status.NEW
    assert help_request.reference in again.content.decode()
    assert staff_notifications_queued(help_request) == 1


def test_a_slow_resend_after_a_held_one_is_a_new_request_in_the_queue(client, contact_data):
    client.post("/contact/", {**contact_data, HONEYPOT: "x"})

    again = client.post("/contact/", {**contact_data, "form_token": form_token()}, follow=True)

    queued = HelpRequest.objects.queue().get()
    assert queued.reference in again.content.decode()
    assert HelpRequest.objects.held_as_spam().count() == 1


def test_the_hidden_field_is_one_autofill_leaves_alone(client):
    html = client.get("/contact/").content.decode()

    field = re.search(r'<input[^>]*name="leave_blank"[^>]*>', html).group(0)
    assert 'autocomplete="off"' in field and 'tabindex="-1"' in field
    assert re.search(r'<div\s+class="hp-field"\s+aria-hidden="true">', html)
    # Browsers and password managers fill fields by words in their name and label.
    label = re.search(r'<label\s+for="id_leave_blank"[^>]*>(.*?)</label>', html, re.S).group(1)
    for word in ("website", "url", "name", "mail", "phone", "tel", "address", "company"):
        assert word not in HONEYPOT and word not in label.lower()


def test_staff_rescue_a_held_request_with_one_action_and_are_told(client, coordinator):
    held = HelpRequestFactory(
        spam=True,
        status=HelpRequest.Status.SPAM,
        spam_reason="hidden field filled",
        notification=HelpRequest.Notification.SKIPPED,
    )

    client.post(
        "/admin/intake/helprequest/?status=spam",
        {"action": "rescue", "_selected_action": [held.pk]},
    )

    held.refresh_from_db()
    assert held.status == HelpRequest.Status.NEW and not held.spam
    assert held in HelpRequest.objects.queue()
    assert held.notification == HelpRequest.Notification.PENDING
    assert staff_notifications_queued(held) == 1
    assert held.events.get().new_value == "New"


def test_admin_home_shows_how_many_were_held_as_spam_this_week(client, coordinator):
    HelpRequestFactory.create_batch(2, spam=True, status=HelpRequest.Status.SPAM)
    HelpRequestFactory(
        spam=True,
        status=HelpRequest.Status.SPAM,
        created_at=timezone.now() - timedelta(days=8),
    )

    html = client.get("/admin/").content.decode()

    tile = re.search(r'<a href="([^"]+)"><strong>(\d+)</strong> Held as spam this week', html)
    assert tile and tile.group(2) == "2"
    listed = client.get(tile.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count("/change/") >= 3


def test_possibly_automated_requests_are_marked_in_the_queue(client, coordinator):
    HelpRequestFactory(possibly_automated=True, spam_reason="sent too fast")

    html = client.get("/admin/intake/helprequest/").content.decode()

    assert "possibly automated" in html


def test_a_second_request_confirmed_at_once_is_not_marked_possibly_automated(client, contact_data):
    client.post("/contact/", contact_data, follow=True)
    another = {**contact_data, "message": "One more thing.", "form_token": form_token()}
    page = client.post("/contact/", another, follow=True).content.decode()  # "already sent"

    press_send_now(client, "/contact/", page, another)  # within a second of being asked

    _first, second = HelpRequest.objects.order_by("created_at")
    assert second.message == "One more thing."
    assert second in HelpRequest.objects.queue()
    assert not second.possibly_automated and second.spam_reason == ""
