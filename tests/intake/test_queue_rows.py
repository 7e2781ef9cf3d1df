"""The queue's rows drawn by intake/admin/rows.py are the rows Django's admin would draw,
and a queue too long to count says so instead of a number it did not count to."""

from datetime import timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.admin import paginator
from intake.admin.rows import QueueRows
from intake.services import contact_attempt_add
from tests.factories import HelpRequestFactory
from tests.helpers import QUEUE

pytestmark = pytest.mark.django_db


def every_kind_of_row(coordinator):
    now = timezone.now()
    HelpRequestFactory(urgent=True, kind="message", created_at=now - timedelta(minutes=5))
    HelpRequestFactory(name='Ana "Nana" <b>Ortiz</b> & Co', voicemail_ok=None, consent_sms=True)
    HelpRequestFactory(possibly_automated=True, status="in_progress", assigned_to=coordinator)
    HelpRequestFactory(language="es", preferred_contact="", contact_window="")
    HelpRequestFactory(follow_up_on=timezone.localdate() - timedelta(days=2), phone="")
    HelpRequestFactory(follow_up_on=timezone.localdate() + timedelta(days=3), program="")
    attempted = HelpRequestFactory(created_at=now - timedelta(days=3))
    contact_attempt_add(
        help_request=attempted, made_by=coordinator, channel="call", outcome="no_answer"
    )


@pytest.mark.parametrize("query", ["", "?q=ortiz", "?status=all&o=3.-2", "?language=es"])
def test_each_row_is_byte_for_byte_what_django_draws(client, coordinator, query):
    every_kind_of_row(coordinator)

    response = client.get(QUEUE + query)
    cl = response.context["cl"]

    assert cl.result_list, "the list has rows to compare"
    drawn = [list(row) for row in QueueRows(cl).rows()]
    assert drawn == [list(items_for_result(cl, result, None)) for result in cl.result_list]
    # And the page shows them: a name escaped, a link keeping the list's filters.
    html = response.content.decode()
    assert drawn[0][1] in html


def test_the_rows_leave_out_what_the_list_never_shows(client, coordinator):
    every_kind_of_row(coordinator)

    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)

    listed = 'SELECT "intake_helprequest"."id", '
    rows = next(q["sql"] for q in queries if q["sql"].startswith(listed))
    for column in ("message", "phone", "substances"):
        assert f'"intake_helprequest"."{column}"' not in rows
    assert '"intake_helprequest"."program"' in rows  # shown, so read


def test_a_queue_longer_than_the_count_limit_says_more_than_and_still_lists(
    client, coordinator, monkeypatch
):
    monkeypatch.setattr(paginator, "QUEUE_COUNT_LIMIT", 3)
    HelpRequestFactory.create_batch(5)

    html = client.get(QUEUE).content.decode()

    assert "More than 3 help requests" in html or "More than 3 requests" in html
    assert "More than 3 results" in html and "5 results" not in html
    assert html.count('class="action-select"') == 5
    # Selecting across pages says what it selects, not a number it did not count to.
    assert "All matching requests selected" in html
    assert "Select all matching requests (more than 3)" in html


def test_a_queue_under_the_limit_gives_its_exact_count(client, coordinator, monkeypatch):
    monkeypatch.setattr(paginator, "QUEUE_COUNT_LIMIT", 3)
    HelpRequestFactory.create_batch(2)

    html = client.get(QUEUE).content.decode()

    assert "More than" not in html
    assert "2 help requests" in html or "2 requests" in html
