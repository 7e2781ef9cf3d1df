"""Staff triage in the admin: the queue and the workflow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import Event, HelpRequest, Note
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import QUEUE, triage_post
from tests.helpers import admin_change_url as change_url
from tests.helpers import shown_in_queue as shown

pytestmark = pytest.mark.django_db


# --- The queue ------------------------------------------------------------------------


def test_queue_shows_open_requests_longest_waiting_first_without_spam_or_closed(
    client, coordinator
):
    now = timezone.now()
    newer = HelpRequestFactory(created_at=now - timedelta(hours=1))
    older = HelpRequestFactory(created_at=now - timedelta(days=2))
    spam = HelpRequestFactory(spam=True, status="spam")
    closed = HelpRequestFactory(status="closed")

    html = client.get(QUEUE).content.decode()

    assert html.index(change_url(older)) < html.index(change_url(newer))
    assert change_url(spam) not in html and change_url(closed) not in html


def test_queue_row_shows_what_staff_need_but_the_string_form_has_no_name(client, coordinator):
    help_request = HelpRequestFactory(name="Robin Example", program="mat", urgent=True)

    html = client.get(QUEUE).content.decode()

    for text in (help_request.reference, "Robin Example", "Phone call, evening",
                 "Medications for opioid use disorder (MOUD)", "New"):  # fmt: skip
        assert text in html
    assert str(help_request) == f"Consultation request {help_request.reference}"


def test_overdue_requests_stand_out_and_can_be_filtered(client, coordinator):
    late = HelpRequestFactory(created_at=timezone.now() - timedelta(days=5))
    fresh = HelpRequestFactory()

    assert "overdue" in client.get(QUEUE).content.decode()
    response = client.get(QUEUE, {"overdue": "yes"})
    assert shown(response, late) and not shown(response, fresh)


def test_the_queue_shows_when_each_request_is_due(client, coordinator):
    HelpRequestFactory()

    assert "due in" in client.get(QUEUE).content.decode()


def test_filters_assigned_to_me_and_unassigned(client, coordinator):
    mine = HelpRequestFactory(assigned_to=coordinator)
    nobodys = HelpRequestFactory()

    assert shown(client.get(QUEUE, {"assignee": "me"}), mine)
    assert not shown(client.get(QUEUE, {"assignee": "me"}), nobodys)
    assert shown(client.get(QUEUE, {"assignee": "none"}), nobodys)


def test_spam_is_only_shown_when_asked_for(client, coordinator):
    spam = HelpRequestFactory(spam=True, status="spam")

    assert shown(client.get(QUEUE, {"status": "spam"}), spam)


def test_the_request_page_shows_the_phone_as_stored(client, coordinator):
    help_request = HelpRequestFactory(phone="+12025550177")

    assert "+12025550177" in client.get(change_url(help_request)).content.decode()


def test_the_queue_runs_the_same_number_of_queries_for_more_rows(client, coordinator):
    HelpRequestFactory.create_batch(3, assigned_to=coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    HelpRequestFactory.create_batch(30, assigned_to=coordinator)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)

    assert len(many) == len(few)


def test_admin_home_counts_new_overdue_urgent_and_mine_with_links(client, coordinator):
    HelpRequestFactory(urgent=True)
    HelpRequestFactory(assigned_to=coordinator, created_at=timezone.now() - timedelta(days=4))

    html = client.get("/admin/").content.decode()

    for label, query in (("New", "status=new"), ("Overdue", "overdue=yes"),
                         ("Urgent", "urgent__exact=1"), ("Mine", "assignee=me")):  # fmt: skip
        assert f'href="{QUEUE}?{query}"' in html
        assert label in html
    assert "<strong>2</strong> New" in html
    assert "<strong>1</strong> Mine" in html


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


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("mark_contacted", "status", "contacted"), ("mark_spam", "status", "spam"),
     ("close", "status", "closed")],
)  # fmt: skip
def test_bulk_actions_change_many_and_record_each(client, coordinator, action, field, value):
    help_requests = HelpRequestFactory.create_batch(3)

    client.post(QUEUE, {"action": action, "_selected_action": [r.pk for r in help_requests]})

    assert {getattr(r, field) for r in HelpRequest.objects.all()} == {value}
    assert Event.objects.filter(kind="status").count() == 3
    if value == "closed":
        assert all(r.closed_at for r in HelpRequest.objects.all())


def test_bulk_assign_to_me(client, coordinator):
    help_requests = HelpRequestFactory.create_batch(2)

    client.post(
        QUEUE, {"action": "assign_to_me", "_selected_action": [r.pk for r in help_requests]}
    )

    assert set(HelpRequest.objects.values_list("assigned_to", flat=True)) == {coordinator.pk}
