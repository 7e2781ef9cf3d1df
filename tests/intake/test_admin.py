"""Staff triage in the admin: the queue, the workflow, and who may see what."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import AuditEntry, Event, HelpRequest, Note
from recovery_site import roles
from tests.factories import HelpRequestFactory, SuperuserFactory, user_in_role

pytestmark = pytest.mark.django_db

QUEUE = "/admin/intake/helprequest/"


@pytest.fixture
def coordinator(client):
    user = user_in_role(roles.COORDINATORS, username="casey")
    client.force_login(user)
    return user


def change_url(request):
    return f"{QUEUE}{request.pk}/change/"


def shown(response, request):
    return change_url(request) in response.content.decode()


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
    request = HelpRequestFactory(name="Robin Example", program="mat", urgent=True)

    html = client.get(QUEUE).content.decode()

    for text in (request.reference, "Robin Example", "Phone call, evening",
                 "Medications for opioid use disorder (MOUD)", "New"):  # fmt: skip
        assert text in html
    assert str(request) == f"Consultation request {request.reference}"


def test_overdue_requests_stand_out_and_can_be_filtered(client, coordinator):
    late = HelpRequestFactory(created_at=timezone.now() - timedelta(days=5))
    fresh = HelpRequestFactory()

    assert "overdue" in client.get(QUEUE).content.decode()
    response = client.get(QUEUE, {"overdue": "yes"})
    assert shown(response, late) and not shown(response, fresh)


def test_filters_assigned_to_me_and_unassigned(client, coordinator):
    mine = HelpRequestFactory(assigned_to=coordinator)
    nobodys = HelpRequestFactory()

    assert shown(client.get(QUEUE, {"assignee": "me"}), mine)
    assert not shown(client.get(QUEUE, {"assignee": "me"}), nobodys)
    assert shown(client.get(QUEUE, {"assignee": "none"}), nobodys)


def test_spam_is_only_shown_when_asked_for(client, coordinator):
    spam = HelpRequestFactory(spam=True, status="spam")

    assert shown(client.get(QUEUE, {"status": "spam"}), spam)


@pytest.mark.parametrize(
    "typed", ["(202) 555-0101", "202.555.0101", "+1 202 555 0101", "0101", "555-0101"]
)
def test_searching_a_phone_in_any_format_finds_the_request(client, coordinator, typed):
    wanted = HelpRequestFactory(phone="+12025550101")
    other = HelpRequestFactory(phone="+12025550199")

    response = client.get(QUEUE, {"q": typed})

    assert shown(response, wanted) and not shown(response, other)


@pytest.mark.parametrize("typed", ["Robin", "rob exa", "robin.example@", "ROBIN.EXAMPLE@MAIL.TEST"])
def test_searching_a_name_or_email_finds_the_request(client, coordinator, typed):
    wanted = HelpRequestFactory(name="Robin Example", email="robin.example@mail.test")
    other = HelpRequestFactory(name="Sam Other", email="sam@mail.test")

    response = client.get(QUEUE, {"q": typed})

    assert shown(response, wanted) and not shown(response, other)


def test_searching_a_reference_finds_the_request(client, coordinator):
    wanted = HelpRequestFactory()

    assert shown(client.get(QUEUE, {"q": wanted.reference.lower()}), wanted)


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


# --- The workflow -----------------------------------------------------------------------


def triage_post(request, **changes):
    data = {
        "status": request.status,
        "assigned_to": request.assigned_to_id or "",
        "follow_up_on": "",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "",
    }
    data.update(changes)
    return data


def test_coordinator_changes_status_and_the_timeline_records_who_and_when(client, coordinator):
    request = HelpRequestFactory()

    response = client.post(change_url(request), triage_post(request, status="contacted"))

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "contacted"
    event = Event.objects.get(help_request=request)
    assert (event.actor, event.old_value, event.new_value) == (coordinator, "New", "Contacted")
    page = client.get(change_url(request)).content.decode()
    assert "Status: New → Contacted" in page and "casey" in page


def test_assign_to_me_and_a_follow_up_date(client, coordinator):
    request = HelpRequestFactory()

    client.post(
        change_url(request),
        triage_post(request, follow_up_on="2026-12-01", _assign_to_me="Assign to me and save"),
    )

    request.refresh_from_db()
    assert request.assigned_to == coordinator
    assert str(request.follow_up_on) == "2026-12-01"
    assert set(Event.objects.values_list("kind", flat=True)) == {"assignee", "follow_up"}


def test_what_the_visitor_sent_cannot_be_changed(client, coordinator):
    request = HelpRequestFactory(name="Robin Example", message="Original words")

    client.post(change_url(request), triage_post(request, name="Changed", message="Changed"))

    request.refresh_from_db()
    assert request.name == "Robin Example" and request.message == "Original words"


def test_notes_are_signed_timestamped_and_cannot_be_edited_or_removed(client, coordinator):
    request = HelpRequestFactory()

    client.post(change_url(request), triage_post(request, **{"notes-0-text": "Left a voicemail"}))

    note = Note.objects.get()
    assert note.author == coordinator and note.created_at is not None
    page = client.get(change_url(request)).content.decode()
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
    requests = HelpRequestFactory.create_batch(3)

    client.post(QUEUE, {"action": action, "_selected_action": [r.pk for r in requests]})

    assert {getattr(r, field) for r in HelpRequest.objects.all()} == {value}
    assert Event.objects.filter(kind="status").count() == 3
    if value == "closed":
        assert all(r.closed_at for r in HelpRequest.objects.all())


def test_bulk_assign_to_me(client, coordinator):
    requests = HelpRequestFactory.create_batch(2)

    client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [r.pk for r in requests]})

    assert set(HelpRequest.objects.values_list("assigned_to", flat=True)) == {coordinator.pk}


# --- Who may see what ---------------------------------------------------------------------


def test_a_content_editor_cannot_see_any_request(client):
    editor = user_in_role(roles.CONTENT_EDITORS, username="eddie")
    client.force_login(editor)
    request = HelpRequestFactory()

    for url in (QUEUE, change_url(request), f"{QUEUE}export/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/education/article/").status_code == 200
    assert 'href="/admin/intake/' not in client.get("/admin/").content.decode()


def test_a_coordinator_cannot_delete_or_read_the_audit_trail(client, coordinator):
    request = HelpRequestFactory()

    assert client.get(f"{QUEUE}{request.pk}/delete/").status_code == 403
    assert client.get("/admin/intake/auditentry/").status_code == 403
    assert client.get("/admin/education/article/").status_code == 403


def test_only_administrators_delete(client):
    admin = user_in_role(roles.ADMINISTRATORS, username="ada")
    client.force_login(admin)
    request = HelpRequestFactory()

    response = client.post(f"{QUEUE}{request.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not HelpRequest.objects.exists()


def test_nobody_can_edit_the_audit_trail_through_the_admin(client):
    client.force_login(SuperuserFactory(username="root"))
    entry = AuditEntry.objects.create(action="view", reference="CR-AAAAAA")

    assert client.get("/admin/intake/auditentry/add/").status_code == 403
    client.post(f"/admin/intake/auditentry/{entry.pk}/change/", {"reference": "CR-BBBBBB"})
    client.post(f"/admin/intake/auditentry/{entry.pk}/delete/", {"post": "yes"})
    entry.refresh_from_db()
    assert entry.reference == "CR-AAAAAA"


# --- The audit trail --------------------------------------------------------------------


def test_viewing_changing_and_noting_are_recorded(client, coordinator):
    request = HelpRequestFactory()

    client.get(change_url(request))
    client.post(
        change_url(request), triage_post(request, status="in_progress", **{"notes-0-text": "Hi"})
    )

    entries = AuditEntry.objects.filter(reference=request.reference, actor=coordinator)
    assert set(entries.values_list("action", flat=True)) == {"view", "change", "note"}
    change = entries.get(action="change")
    assert change.details["changes"]["status"] == ["New", "In progress"]
    assert request.name not in str(list(entries.values_list("details", flat=True)))


def test_administrator_reads_who_saw_and_changed_a_request(client, coordinator):
    request = HelpRequestFactory()
    client.get(change_url(request))
    client.force_login(user_in_role(roles.ADMINISTRATORS, username="ada"))

    html = client.get("/admin/intake/auditentry/", {"q": request.reference}).content.decode()

    assert "casey" in html and "Viewed" in html


# --- Export ------------------------------------------------------------------------------


def test_coordinator_exports_the_filtered_queue_after_giving_a_reason(client, coordinator):
    mine = HelpRequestFactory(assigned_to=coordinator, name='=HYPERLINK("http://x")')
    HelpRequestFactory()

    form = client.get(f"{QUEUE}export/", {"assignee": "me"})
    assert "Why do you need this export?" in form.content.decode()
    response = client.post(
        f"{QUEUE}export/", {"reason": "Call list for the evening shift", "query": "assignee=me"}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 and rows[1][0] == mine.reference
    assert rows[1][rows[0].index("name")].startswith("'=")  # not a live formula
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == coordinator and entry.details["rows"] == 1
    assert entry.details["reason"] == "Call list for the evening shift"


def test_an_export_needs_a_reason(client, coordinator):
    response = client.post(f"{QUEUE}export/", {"reason": "", "query": ""})

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="export").exists()


# --- Found in review ----------------------------------------------------------------------


def test_a_request_moved_out_of_spam_returns_to_the_queue(client, coordinator):
    rescued = HelpRequestFactory(spam=True, status="spam")

    client.post(change_url(rescued), triage_post(rescued, status="new"))

    rescued.refresh_from_db()
    assert not rescued.spam
    assert shown(client.get(QUEUE), rescued)


def test_a_change_sent_back_with_errors_still_counts_as_a_view(client, coordinator):
    request = HelpRequestFactory()

    response = client.post(change_url(request), triage_post(request, status="bogus"))

    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="view", reference=request.reference).exists()


def test_deleting_a_request_is_recorded(client):
    admin = user_in_role(roles.ADMINISTRATORS, username="ada")
    client.force_login(admin)
    request = HelpRequestFactory()

    client.post(f"{QUEUE}{request.pk}/delete/", {"post": "yes"})

    assert AuditEntry.objects.get(action="delete").reference == request.reference


def test_an_export_records_which_requests_but_not_what_was_searched(client, coordinator):
    wanted = HelpRequestFactory(name="Alice Marker")
    HelpRequestFactory(name="Bob Other")

    client.post(f"{QUEUE}export/", {"reason": "call back", "query": "q=Alice+Marker"})

    entry = AuditEntry.objects.get(action="export")
    assert entry.details["references"] == [wanted.reference]
    assert entry.details["filters"] == ["q"]
    assert "Alice" not in str(entry.details)


def test_an_export_with_broken_filters_goes_back_to_the_queue(client, coordinator):
    response = client.post(
        f"{QUEUE}export/", {"reason": "test", "query": "created_at__gte=yesterday"}
    )

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()


def test_assign_to_me_records_one_event_even_with_the_dropdown_changed(client, coordinator):
    request = HelpRequestFactory()

    client.post(
        change_url(request),
        triage_post(request, assigned_to=coordinator.pk, _assign_to_me="Assign to me and save"),
    )

    assert Event.objects.filter(kind="assignee").count() == 1


def test_only_people_who_work_requests_can_be_assigned_one(client, coordinator):
    user_in_role(roles.CONTENT_EDITORS, username="eddie")
    request = HelpRequestFactory()

    form = client.get(change_url(request)).context["adminform"].form
    names = {user.username for user in form.fields["assigned_to"].queryset}

    assert "casey" in names and "eddie" not in names


def test_only_administrators_may_lift_a_legal_hold(client, coordinator):
    held = HelpRequestFactory(legal_hold=True)

    client.post(change_url(held), triage_post(held, legal_hold=""))

    held.refresh_from_db()
    assert held.legal_hold


def test_the_queue_shows_when_each_request_is_due(client, coordinator):
    HelpRequestFactory()

    assert "due in" in client.get(QUEUE).content.decode()
