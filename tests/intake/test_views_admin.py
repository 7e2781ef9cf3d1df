"""The CSV export of the filtered queue (intake/views_admin.py)."""

import csv
import io

import pytest

from intake.models import AuditEntry
from tests.factories import HelpRequestFactory
from tests.helpers import QUEUE

pytestmark = pytest.mark.django_db


# --- Export ---------------------------------------------------------------------------


def test_coordinator_exports_the_filtered_queue_after_giving_a_reason(client, coordinator):
    mine = HelpRequestFactory(
        assigned_to=coordinator, name='=HYPERLINK("http://x")', phone="+12025550177"
    )
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
    assert rows[1][rows[0].index("phone")] == "'+12025550177"  # E.164, as text
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == coordinator and entry.details["rows"] == 1
    assert entry.details["reason"] == "Call list for the evening shift"


def test_an_export_records_which_requests_but_not_what_was_searched(client, coordinator):
    wanted = HelpRequestFactory(name="Alice Marker")
    HelpRequestFactory(name="Bob Other")

    client.post(f"{QUEUE}export/", {"reason": "call back", "query": "q=Alice+Marker"})

    entry = AuditEntry.objects.get(action="export")
    assert entry.details["references"] == [wanted.reference]
    assert entry.details["filters"] == ["q"]
    assert "Alice" not in str(entry.details)


def test_an_export_needs_a_reason(client, coordinator):
    response = client.post(f"{QUEUE}export/", {"reason": "", "query": ""})

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_export_with_broken_filters_goes_back_to_the_queue(client, coordinator):
    response = client.post(
        f"{QUEUE}export/", {"reason": "test", "query": "created_at__gte=yesterday"}
    )

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()
