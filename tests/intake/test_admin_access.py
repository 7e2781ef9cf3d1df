"""Who may see and change what in the request admin, and the audit trail of it."""

import pytest

from intake.models import AuditEntry, HelpRequest
from recovery_site import roles
from tests.factories import HelpRequestFactory, SuperuserFactory, user_in_role
from tests.helpers import QUEUE, triage_post
from tests.helpers import admin_change_url as change_url

pytestmark = pytest.mark.django_db


# --- Who may see what -----------------------------------------------------------------


def test_a_content_editor_cannot_see_any_request(client):
    editor = user_in_role(roles.CONTENT_EDITORS, username="eddie")
    client.force_login(editor)
    help_request = HelpRequestFactory()

    for url in (QUEUE, change_url(help_request), f"{QUEUE}export/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/education/guide/").status_code == 200
    assert 'href="/admin/intake/' not in client.get("/admin/").content.decode()


def test_a_coordinator_cannot_delete_or_read_the_audit_trail(client, coordinator):
    help_request = HelpRequestFactory()

    assert client.get(f"{QUEUE}{help_request.pk}/delete/").status_code == 403
    assert client.get("/admin/intake/auditentry/").status_code == 403
    assert client.get("/admin/education/guide/").status_code == 403


def test_only_administrators_delete(client):
    admin = user_in_role(roles.ADMINISTRATORS, username="ada")
    client.force_login(admin)
    help_request = HelpRequestFactory()

    response = client.post(f"{QUEUE}{help_request.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not HelpRequest.objects.exists()


def test_only_administrators_may_lift_a_legal_hold(client, coordinator):
    held = HelpRequestFactory(legal_hold=True)

    client.post(change_url(held), triage_post(held, legal_hold=""))

    held.refresh_from_db()
    assert held.legal_hold


def test_nobody_can_edit_the_audit_trail_through_the_admin(client):
    client.force_login(SuperuserFactory(username="root"))
    entry = AuditEntry.objects.create(action="view", reference="CR-AAAAAA")

    assert client.get("/admin/intake/auditentry/add/").status_code == 403
    client.post(f"/admin/intake/auditentry/{entry.pk}/change/", {"reference": "CR-BBBBBB"})
    client.post(f"/admin/intake/auditentry/{entry.pk}/delete/", {"post": "yes"})
    entry.refresh_from_db()
    assert entry.reference == "CR-AAAAAA"


# --- The audit trail ------------------------------------------------------------------


def test_viewing_changing_and_noting_are_recorded(client, coordinator):
    help_request = HelpRequestFactory()

    client.get(change_url(help_request))
    client.post(
        change_url(help_request),
        triage_post(help_request, status="in_progress", **{"notes-0-text": "Hi"}),
    )

    entries = AuditEntry.objects.filter(reference=help_request.reference, actor=coordinator)
    assert set(entries.values_list("action", flat=True)) == {"view", "change", "note"}
    change = entries.get(action="change")
    assert change.details["changes"]["status"] == ["New", "In progress"]
    assert help_request.name not in str(list(entries.values_list("details", flat=True)))


def test_a_change_sent_back_with_errors_still_counts_as_a_view(client, coordinator):
    help_request = HelpRequestFactory()

    response = client.post(change_url(help_request), triage_post(help_request, status="bogus"))

    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="view", reference=help_request.reference).exists()


def test_deleting_a_request_is_recorded(client):
    admin = user_in_role(roles.ADMINISTRATORS, username="ada")
    client.force_login(admin)
    help_request = HelpRequestFactory()

    client.post(f"{QUEUE}{help_request.pk}/delete/", {"post": "yes"})

    assert AuditEntry.objects.get(action="delete").reference == help_request.reference


def test_administrator_reads_who_saw_and_changed_a_request(client, coordinator):
    help_request = HelpRequestFactory()
    client.get(change_url(help_request))
    client.force_login(user_in_role(roles.ADMINISTRATORS, username="ada"))

    html = client.get("/admin/intake/auditentry/", {"q": help_request.reference}).content.decode()

    assert "casey" in html and "Viewed" in html
