"""Staff triage in the admin: a request's page and the workflow (the queue itself:
test_queue.py)."""

import pytest

from intake.models import Event, Note
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import QUEUE, triage_post
from tests.helpers import admin_change_url as change_url
from tests.helpers import shown_in_queue as shown

pytestmark = pytest.mark.django_db


# --- The request page -----------------------------------------------------------------


def test_the_request_page_shows_the_phone_as_stored(client, coordinator):
    help_request = HelpRequestFactory(phone="+12025550177")

    assert "+12025550177" in client.get(change_url(help_request)).content.decode()


# --- The workflow ---------------------------------------------------------------------


def test_coordinator_changes_status_and_the_timeline_records_who_and_when(client, coordinator):
    help_request = HelpRequestFactory()

    response = client.post(change_url(help_request), triage_post(help_request, status="contacted"))

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == "contacted"
    event = Event.objects.get(help_request=help_request)
    assert (event.actor, event.old_value, event.new_value) == (coordinator, "New", "Contacted")
    page = client.get(change_url(help_request)).content.decode()
    assert "Status: New → Contacted" in page and "casey" in page


def test_a_request_moved_out_of_spam_returns_to_the_queue(client, coordinator):
    rescued = HelpRequestFactory(spam=True, status="spam")

    client.post(change_url(rescued), triage_post(rescued, status="new"))

    rescued.refresh_from_db()
    assert not rescued.spam
    assert shown(client.get(QUEUE), rescued)


def test_assign_to_me_and_a_follow_up_date(client, coordinator):
    help_request = HelpRequestFactory()

    client.post(
        change_url(help_request),
        triage_post(help_request, follow_up_on="2026-12-01", _assign_to_me="Assign to me and save"),
    )

    help_request.refresh_from_db()
    assert help_request.assigned_to == coordinator
    assert str(help_request.follow_up_on) == "2026-12-01"
    assert set(Event.objects.values_list("kind", flat=True)) == {"assignee", "follow_up"}


def test_assign_to_me_records_one_event_even_with_the_dropdown_changed(client, coordinator):
    help_request = HelpRequestFactory()

    client.post(
        change_url(help_request),
        triage_post(
            help_request, assigned_to=coordinator.pk, _assign_to_me="Assign to me and save"
        ),
    )

    assert Event.objects.filter(kind="assignee").count() == 1


def test_only_people_who_work_requests_can_be_assigned_one(client, coordinator):
    user_in_role(roles.CONTENT_EDITORS, username="eddie")
    help_request = HelpRequestFactory()

    form = client.get(change_url(help_request)).context["adminform"].form
    names = {user.username for user in form.fields["assigned_to"].queryset}

    assert "casey" in names and "eddie" not in names


def test_what_the_visitor_sent_cannot_be_changed(client, coordinator):
    help_request = HelpRequestFactory(name="Robin Example", message="Original words")

    client.post(
        change_url(help_request), triage_post(help_request, name="Changed", message="Changed")
    )

    help_request.refresh_from_db()
    assert help_request.name == "Robin Example" and help_request.message == "Original words"


def test_notes_are_signed_timestamped_and_cannot_be_edited_or_removed(client, coordinator):
    help_request = HelpRequestFactory()

    client.post(
        change_url(help_request), triage_post(help_request, **{"notes-0-text": "Left a voicemail"})
    )

    note = Note.objects.get()
    assert note.author == coordinator and note.created_at is not None
    page = client.get(change_url(help_request)).content.decode()
    assert "Note: Left a voicemail" in page
    assert 'name="notes-0-text"' in page  # an empty form for the next note only
    assert "notes-0-DELETE" not in page
    assert client.get(f"/admin/intake/note/{note.pk}/change/").status_code in {403, 404}
