"""The queue's bulk actions (intake/admin/bulk.py): Mark as spam and Close ask first,
and requests changed since the list was loaded are left alone and named."""

import pytest

from intake.models import Event, HelpRequest
from intake.services import help_request_staff_update, note_add
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import QUEUE

pytestmark = pytest.mark.django_db


def listed_at(client) -> str:
    """The load time a page of the queue carries, as its bulk actions send it back."""
    return client.get(QUEUE).context["listed_at"]


def bulk(client, action, help_requests, **extra):
    """Choose requests on the queue and an action, as a coordinator does."""
    data = {"action": action, "index": 0, "listed_at": listed_at(client),
            "_selected_action": [r.pk for r in help_requests], **extra}  # fmt: skip
    return client.post(QUEUE, data)


def confirm(client, response, **extra):
    """Press the confirmation page's button, with what its form holds."""
    page = response.content.decode()
    assert 'name="post" value="yes"' in page
    data = {
        "action": response.context["action"],
        "_selected_action": response.context["selected"],
        "select_across": response.context["select_across"],
        "listed_at": response.context["listed_at"],
        "post": "yes",
        **extra,
    }
    return client.post(QUEUE, data, follow=True)


def someone_else_changes(help_request, **values):
    """Another coordinator saves a change to the request from its own page."""
    drew = user_in_role(roles.COORDINATORS, username="drew")
    previous = HelpRequest.objects.get(pk=help_request.pk)
    for field, value in values.items():
        setattr(help_request, field, value)
    help_request_staff_update(
        help_request=help_request, actor=drew, previous=previous, changed=list(values)
    )


# --- The actions ---------------------------------------------------------------------


def test_bulk_mark_contacted_asks_first_then_changes_many_and_records_each(client, coordinator):
    help_requests = HelpRequestFactory.create_batch(3)

    asked = bulk(client, "mark_contacted", help_requests)
    assert "Mark 3 requests as contacted?" in asked.content.decode()
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"new"}
    confirm(client, asked)

    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"contacted"}
    assert Event.objects.filter(kind="status").count() == 3


def test_bulk_assign_to_me(client, coordinator):
    help_requests = HelpRequestFactory.create_batch(2)

    bulk(client, "assign_to_me", help_requests)

    assert set(HelpRequest.objects.values_list("assigned_to", flat=True)) == {coordinator.pk}


def test_bulk_mark_as_spam_asks_first_with_the_count(client, coordinator):
    help_requests = HelpRequestFactory.create_batch(12)

    asked = bulk(client, "mark_spam", help_requests)

    assert asked.status_code == 200
    assert "<h1>Mark 12 requests as spam?</h1>" in asked.content.decode()
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"new"}
    confirm(client, asked)
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"spam"}
    assert all(r.spam and r.spam_marked_at for r in HelpRequest.objects.all())
    assert Event.objects.filter(kind="status").count() == 12


def test_bulk_close_asks_for_a_reason_and_stores_it(client, coordinator):
    help_requests = HelpRequestFactory.create_batch(3)

    asked = bulk(client, "close", help_requests)
    page = asked.content.decode()
    assert "<h1>Close 3 requests?</h1>" in page and "Why are they closed?" in page
    no_reason = confirm(client, asked)
    assert "Please choose why they are closed." in no_reason.content.decode()
    assert set(HelpRequest.objects.values_list("status", flat=True)) == {"new"}
    done = confirm(client, asked, close_reason="duplicate")

    assert "3 requests closed." in done.content.decode()
    closed = HelpRequest.objects.all()
    assert {(r.status, r.close_reason) for r in closed} == {("closed", "duplicate")}
    assert all(r.closed_at for r in closed)
    assert Event.objects.filter(kind="status").count() == 3


def test_a_bulk_action_leaves_alone_what_someone_changed_since_the_list_was_loaded(
    client, coordinator
):
    untouched, taken = HelpRequestFactory.create_batch(2)
    loaded = listed_at(client)
    someone_else_changes(taken, status="contacted")
    note_add(help_request=taken, author=taken.events.get().actor, text="Mother answered")

    response = client.post(
        QUEUE,
        {
            "action": "assign_to_me",
            "index": 0,
            "listed_at": loaded,
            "_selected_action": [untouched.pk, taken.pk],
        },
        follow=True,
    )

    page = response.content.decode()
    assert "1 request assigned to you." in page
    assert f"{taken.reference} (Status: New → Contacted, by drew; Note added, by drew)" in page
    assert "Mother answered" not in page  # a note's words stay on the request's page
    taken.refresh_from_db()
    assert (taken.status, taken.assigned_to) == ("contacted", None)
    untouched.refresh_from_db()
    assert untouched.assigned_to == coordinator


def test_a_confirmation_names_urgent_requests_nobody_has_reached(client, coordinator):
    urgent = HelpRequestFactory(urgent=True)
    reached = HelpRequestFactory(urgent=True, status="contacted")
    calm = HelpRequestFactory()

    for action in ("mark_contacted", "mark_spam", "close"):
        page = bulk(client, action, [urgent, reached, calm]).content.decode()
        warning = page[page.index('class="urgent-banner"') :]
        warning = warning[: warning.index("</div>")]
        assert urgent.reference in warning
        assert reached.reference not in warning and calm.reference not in warning
