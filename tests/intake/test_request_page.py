"""One request's page as a coordinator works it: the safe-contact card, contact attempts,
outcomes, urgent, "Save and go to next", and saves that never undo someone else's work."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intake.models import AuditEntry, ContactAttempt, Event, HelpRequest, Note
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import admin_change_url as change_url
from tests.helpers import triage_post

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> tuple[Client, object]:
    user = user_in_role(roles.COORDINATORS, username=username)
    browser = Client()
    browser.force_login(user)
    return browser, user


def attempt(channel: str, outcome: str, **more) -> dict:
    return {
        "contact_attempts-0-channel": channel,
        "contact_attempts-0-outcome": outcome,
        **more,
    }


# --- Two coordinators on one request -----------------------------------------------------


def test_an_older_copy_of_the_page_cannot_undo_what_a_colleague_just_did():
    help_request = HelpRequestFactory()
    dana, dana_user = signed_in("dana")
    sam, _sam_user = signed_in("sam")
    # Both open the request; Sam's page is the one from before Dana's save.
    sams_page = triage_post(help_request)

    dana.post(
        change_url(help_request),
        triage_post(help_request, status="contacted", assigned_to=dana_user.pk,
                    **{"notes-0-text": "Spoke with her mother; calling back at 6."}),
    )  # fmt: skip
    response = sam.post(
        change_url(help_request),
        {**sams_page, "follow_up_on": "2026-12-01", "notes-0-text": "Tried once, no answer."},
        follow=True,
    )

    help_request.refresh_from_db()
    assert help_request.status == "contacted" and help_request.assigned_to == dana_user
    assert help_request.follow_up_on is None
    said = " ".join(str(m) for m in response.context["messages"])
    assert "changed by someone else" in said
    assert "dana" in said and "Status: New → Contacted" in said
    assert "Next follow-up: 2026-12-01" in said  # what Sam chose, so he can redo it
    # Notes overwrite nothing: both are kept.
    assert set(Note.objects.values_list("text", flat=True)) == {
        "Spoke with her mother; calling back at 6.",
        "Tried once, no answer.",
    }
    assert "Your note was added" in said


def test_a_colleagues_note_alone_does_not_make_a_page_out_of_date():
    help_request = HelpRequestFactory()
    dana, _ = signed_in("dana")
    sam, _ = signed_in("sam")
    sams_page = triage_post(help_request)

    dana.post(change_url(help_request), triage_post(help_request, **{"notes-0-text": "FYI"}))
    sam.post(change_url(help_request), {**sams_page, "status": "in_progress"})

    help_request.refresh_from_db()
    assert help_request.status == "in_progress"


def test_bulk_and_page_changes_stamp_the_request_so_the_next_stale_save_is_refused(client):
    help_request = HelpRequestFactory()
    sam, _ = signed_in("sam")
    page = triage_post(help_request)
    dana, _ = signed_in("dana")

    dana.post(change_url(help_request), triage_post(help_request, status="in_progress"))
    sam.post(change_url(help_request), {**page, "status": "closed", "close_reason": "declined"})

    help_request.refresh_from_db()
    assert help_request.status == "in_progress"


# --- The safe-contact card -----------------------------------------------------------------


def test_the_page_opens_with_how_to_reach_them_safely(client, coordinator):
    help_request = HelpRequestFactory(
        phone="+12025550123", voicemail_ok=False, consent_sms=False, contact_window="evening"
    )

    html = client.get(change_url(help_request)).content.decode()

    card = html[html.index('class="contact-card"') :]
    assert 'href="tel:+12025550123"' in card and "(202) 555-0123" in card
    assert "do not name the clinic in a voicemail" in card
    assert "No texts" in card and "Evening" in card and "English" in card
    # Before the triage form.
    assert html.index('class="contact-card"') < html.index('name="status"')


# --- Contact attempts ----------------------------------------------------------------------


def test_a_logged_call_is_in_the_timeline_and_counted(client, coordinator):
    help_request = HelpRequestFactory(voicemail_ok=True)

    client.post(change_url(help_request), triage_post(help_request, **attempt("call", "no_answer")))

    help_request.refresh_from_db()
    assert help_request.attempt_count == 1 and help_request.last_attempt_outcome == "no_answer"
    assert help_request.status == "in_progress"  # someone is working it
    page = client.get(change_url(help_request)).content.decode()
    assert "Contact attempt: Phone call: No answer" in page and "casey" in page
    assert AuditEntry.objects.filter(action="attempt", reference=help_request.reference).exists()


def test_the_first_conversation_stamps_first_contact_and_marks_contacted(client, coordinator):
    help_request = HelpRequestFactory()
    client.post(change_url(help_request), triage_post(help_request, **attempt("call", "no_answer")))
    help_request.refresh_from_db()

    client.post(change_url(help_request), triage_post(help_request, **attempt("call", "spoke")))

    help_request.refresh_from_db()
    spoke = ContactAttempt.objects.get(outcome="spoke")
    assert help_request.first_contact_at == spoke.attempted_at
    assert help_request.status == "contacted" and help_request.attempt_count == 2


def test_a_voicemail_they_did_not_allow_asks_for_confirmation_then_is_marked(client, coordinator):
    help_request = HelpRequestFactory(voicemail_ok=False)

    refused = client.post(
        change_url(help_request), triage_post(help_request, **attempt("call", "voicemail"))
    )
    assert refused.status_code == 200 and not ContactAttempt.objects.exists()
    assert "did not say a voicemail may name the clinic" in refused.content.decode()

    client.post(
        change_url(help_request),
        triage_post(help_request, **attempt("call", "voicemail",
                                            **{"contact_attempts-0-log_anyway": "on"})),
    )  # fmt: skip
    logged = ContactAttempt.objects.get()
    assert logged.against_wishes
    assert "against their wishes" in client.get(change_url(help_request)).content.decode()


def test_a_text_without_their_consent_asks_for_confirmation(client, coordinator):
    help_request = HelpRequestFactory(consent_sms=False)

    refused = client.post(
        change_url(help_request), triage_post(help_request, **attempt("text", "text_sent"))
    )

    assert "did not agree to text messages" in refused.content.decode()
    assert not ContactAttempt.objects.exists()


def test_an_outcome_must_match_how_they_were_tried(client, coordinator):
    help_request = HelpRequestFactory(consent_sms=True)

    response = client.post(
        change_url(help_request), triage_post(help_request, **attempt("email", "text_sent"))
    )

    assert "goes with text message" in response.content.decode()


# --- Outcomes -----------------------------------------------------------------------------


def test_scheduled_asks_for_the_appointment_and_keeps_it(client, coordinator):
    help_request = HelpRequestFactory(status="contacted")

    missing = client.post(change_url(help_request), triage_post(help_request, status="scheduled"))
    page = missing.content.decode()
    assert "Please give the appointment" in page and "Please give the place" in page

    client.post(
        change_url(help_request),
        triage_post(help_request, status="scheduled", appointment_at_0="2026-12-02",
                    appointment_at_1="10:30", appointment_program="outpatient",
                    appointment_virtual="on"),
    )  # fmt: skip
    help_request.refresh_from_db()
    assert help_request.status == "scheduled" and help_request.appointment_virtual
    assert timezone.localtime(help_request.appointment_at).hour == 10
    event = Event.objects.get(kind="status")
    assert "Appointment Wed 02 Dec 2026, 10:30, virtual" in event.reason


def test_closing_needs_a_reason_and_referring_needs_where_and_why(client, coordinator):
    help_request = HelpRequestFactory(status="contacted")

    closed = client.post(change_url(help_request), triage_post(help_request, status="closed"))
    referred = client.post(change_url(help_request), triage_post(help_request, status="referred"))

    assert "Please choose why the request is closed." in closed.content.decode()
    assert "Please say where you referred them." in referred.content.decode()
    help_request.refresh_from_db()
    assert help_request.status == "contacted"
    client.post(change_url(help_request),
                triage_post(help_request, status="closed", close_reason="started_care"))  # fmt: skip
    help_request.refresh_from_db()
    assert help_request.close_reason == "started_care" and help_request.closed_at


# --- Urgent ---------------------------------------------------------------------------------


def test_marking_urgent_needs_a_reason_and_brings_the_promise_within_the_hour(
    client, coordinator, settings
):
    settings.INTAKE_URGENT_RESPONSE_MINUTES = 60
    help_request = HelpRequestFactory()

    without = client.post(change_url(help_request), triage_post(help_request, urgent="on"))
    assert "Please say in a few words why" in without.content.decode()

    client.post(
        change_url(help_request),
        triage_post(help_request, urgent="on", urgent_reason="Mother says he used alone today"),
    )
    help_request.refresh_from_db()
    assert help_request.urgent
    assert help_request.respond_by <= timezone.now() + timedelta(minutes=60)
    page = client.get(change_url(help_request)).content.decode()
    assert "Urgent: Not urgent → Urgent (Mother says he used alone today)" in page
    assert 'class="urgent-banner"' in page


def test_a_request_mentioning_an_overdose_is_due_within_the_hour_on_a_saturday(settings):
    settings.INTAKE_URGENT_RESPONSE_MINUTES = 60
    saturday_noon = timezone.make_aware(timezone.datetime(2026, 11, 21, 12, 0))

    help_request = HelpRequestFactory(urgent=True, created_at=saturday_noon)

    assert help_request.respond_by == saturday_noon + timedelta(minutes=60)


# --- Moving through the queue --------------------------------------------------------------


def test_save_and_go_to_next_follows_the_queue_urgent_first(client, coordinator):
    now = timezone.now()
    oldest = HelpRequestFactory(created_at=now - timedelta(days=2))
    newer = HelpRequestFactory(created_at=now - timedelta(hours=1))
    urgent = HelpRequestFactory(urgent=True, created_at=now)

    first = client.post(change_url(urgent), triage_post(urgent, _save_next="1"))
    second = client.post(change_url(oldest), triage_post(oldest, _save_next="1"))
    last = client.post(change_url(newer), triage_post(newer, _save_next="1"), follow=True)

    assert first.url == change_url(oldest) and second.url == change_url(newer)
    assert "That was the last request in the queue." in last.content.decode()


def test_assign_to_me_stays_on_the_request(client, coordinator):
    help_request = HelpRequestFactory()

    response = client.post(
        change_url(help_request), triage_post(help_request, _assign_to_me="Assign to me and save")
    )

    assert response.url == change_url(help_request)
    help_request.refresh_from_db()
    assert help_request.assigned_to == coordinator
    assert HelpRequest.objects.get().events.get(kind="assignee").new_value == "casey"


def test_a_voicemail_that_does_not_name_the_clinic_needs_no_confirmation(client, coordinator):
    help_request = HelpRequestFactory(voicemail_ok=False)

    client.post(
        change_url(help_request), triage_post(help_request, **attempt("call", "discreet_vm"))
    )

    logged = ContactAttempt.objects.get()
    assert logged.outcome == "discreet_vm" and not logged.against_wishes


def test_whoever_first_tries_to_reach_an_unassigned_person_has_them(client, coordinator):
    help_request = HelpRequestFactory()

    client.post(change_url(help_request), triage_post(help_request, **attempt("call", "no_answer")))

    help_request.refresh_from_db()
    assert help_request.assigned_to == coordinator
    assert help_request.events.get(kind="assignee").new_value == "casey"


def test_the_refusal_lists_only_what_others_did_and_what_was_chosen_in_words():
    help_request = HelpRequestFactory()
    dana, _ = signed_in("dana")
    sam, _ = signed_in("sam")
    sams_page = triage_post(help_request)
    dana.post(change_url(help_request), triage_post(help_request, status="contacted"))

    response = sam.post(
        change_url(help_request),
        {**sams_page, "status": "in_progress", "notes-0-text": "Tried once."},
        follow=True,
    )

    refusal = next(str(m) for m in response.context["messages"] if "Not saved" in str(m))
    assert "dana: Status: New → Contacted" in refusal
    assert "sam" not in refusal.split("What you had chosen")[0]  # his own note is not "theirs"
    assert "What you had chosen, not saved: Status: In progress." in refusal
    assert "None" not in refusal and "seen_updated_at" not in refusal


def test_save_and_go_to_next_stays_within_the_list_it_was_opened_from(client, coordinator):
    now = timezone.now()
    first = HelpRequestFactory(urgent=True, created_at=now - timedelta(hours=3))
    HelpRequestFactory(urgent=True, status="contacted", created_at=now - timedelta(hours=2))
    second = HelpRequestFactory(urgent=True, created_at=now - timedelta(hours=1))
    listed = "?_changelist_filters=urgent%3Dwaiting"

    response = client.post(change_url(first) + listed, triage_post(first, _save_next="1"))

    assert response.url == change_url(second) + listed
