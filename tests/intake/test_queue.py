"""The queue in the admin (intake/admin/queue.py, intake/filters.py) and the admin home's
tiles: urgent first, follow-ups, compact safe-contact columns. Bulk actions: test_bulk.py."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.services import contact_attempt_add
from tests.factories import HelpRequestFactory
from tests.helpers import QUEUE
from tests.helpers import admin_change_url as change_url
from tests.helpers import shown_in_queue as shown

pytestmark = pytest.mark.django_db


# --- The list -------------------------------------------------------------------------


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


def test_an_overdose_message_sent_last_is_first_with_its_own_60_minute_promise(client, coordinator):
    # Saturday noon: days of ordinary requests wait ahead of it, oldest first.
    now = timezone.now()
    waiting = HelpRequestFactory.create_batch(3, created_at=now - timedelta(days=3))
    overdose = HelpRequestFactory(urgent=True, kind="message", created_at=now)

    response = client.get(QUEUE)
    html = response.content.decode()

    assert html.index(change_url(overdose)) < min(html.index(change_url(r)) for r in waiting)
    first_row = html[html.index("<tbody>") : html.index(change_url(waiting[0]))]
    assert '<span class="urgent-badge">Urgent</span>' in first_row
    assert "due in 59 min" in first_row or "due in 1 h" in first_row
    # A word for urgent requests, nothing for the others: no ticks or crosses.
    assert "icon-yes" not in html and "icon-no" not in html
    assert html.count("urgent-badge") == 1


def test_the_first_columns_are_urgency_status_waited_and_name(client, coordinator):
    HelpRequestFactory()

    headers = client.get(QUEUE).context["cl"].list_display

    assert list(headers[1:5]) == ["urgency", "status_label", "waiting", "name"]


def test_queue_row_shows_what_staff_need_but_the_string_form_has_no_name(client, coordinator):
    help_request = HelpRequestFactory(name="Robin Example", program="mat", urgent=True)

    html = client.get(QUEUE).content.decode()

    for text in (help_request.reference, "Robin Example", "Phone call, evening",
                 "Medications for opioid use disorder (MOUD)", "New"):  # fmt: skip
        assert text in html
    assert str(help_request) == f"Consultation request {help_request.reference}"


@pytest.mark.parametrize(
    ("voicemail_ok", "consent_sms", "language", "words"),
    [(False, False, "en", "Voicemail: don&#x27;t name clinic<br>No texts</td>"),
     (True, True, "en", "Voicemail OK<br>Texts OK</td>"),
     (None, False, "es", "Voicemail: not asked<br>No texts · Spanish</td>")],
)  # fmt: skip
def test_safe_contact_columns_say_voicemail_texts_and_language_in_words(
    client, coordinator, voicemail_ok, consent_sms, language, words
):
    HelpRequestFactory(voicemail_ok=voicemail_ok, consent_sms=consent_sms, language=language)

    assert words in client.get(QUEUE).content.decode()


def test_a_logged_call_attempt_shows_its_count_and_last_outcome(client, coordinator):
    help_request = HelpRequestFactory()
    for outcome in ("no_answer", "voicemail"):
        contact_attempt_add(
            help_request=help_request, made_by=coordinator, channel="call", outcome=outcome
        )

    assert "2 · Left voicemail" in client.get(QUEUE).content.decode()


def test_overdue_requests_stand_out_and_can_be_filtered(client, coordinator):
    late = HelpRequestFactory(created_at=timezone.now() - timedelta(days=5))
    fresh = HelpRequestFactory()

    assert "overdue" in client.get(QUEUE).content.decode()
    response = client.get(QUEUE, {"overdue": "yes"})
    assert shown(response, late) and not shown(response, fresh)


def test_the_queue_shows_when_each_request_is_due(client, coordinator):
    HelpRequestFactory()

    assert "due in" in client.get(QUEUE).content.decode()


def test_a_contacted_request_past_its_follow_up_date_is_marked_and_counts_as_overdue(
    client, coordinator
):
    yesterday = timezone.localdate() - timedelta(days=1)
    missed = HelpRequestFactory(status="contacted", follow_up_on=yesterday)
    planned = HelpRequestFactory(status="contacted", follow_up_on=yesterday + timedelta(days=3))

    html = client.get(QUEUE).content.decode()

    assert f"{yesterday.strftime('%a %d %b')} · overdue</strong>" in html
    assert (yesterday + timedelta(days=3)).strftime("%a %d %b") in html
    response = client.get(QUEUE, {"overdue": "yes"})
    assert shown(response, missed) and not shown(response, planned)


def test_follow_up_filter_mine_due_today_and_overdue(client, coordinator):
    today = timezone.localdate()
    mine_today = HelpRequestFactory(status="contacted", follow_up_on=today,
                                    assigned_to=coordinator)  # fmt: skip
    others_missed = HelpRequestFactory(status="scheduled", follow_up_on=today - timedelta(days=2))
    later = HelpRequestFactory(status="contacted", follow_up_on=today + timedelta(days=1),
                               assigned_to=coordinator)  # fmt: skip

    def listed(choice):
        response = client.get(QUEUE, {"follow_up": choice})
        return {r for r in (mine_today, others_missed, later) if shown(response, r)}

    assert listed("mine") == {mine_today}
    assert listed("today") == {mine_today}
    assert listed("overdue") == {others_missed}
    assert listed("due") == {mine_today, others_missed}


def test_urgent_filter_shows_urgent_not_yet_reached_or_all_urgent(client, coordinator):
    waiting = HelpRequestFactory(urgent=True)
    reached = HelpRequestFactory(urgent=True, status="contacted")
    ordinary = HelpRequestFactory()

    not_reached = client.get(QUEUE, {"urgent": "waiting"})
    assert shown(not_reached, waiting) and not shown(not_reached, reached)
    every_urgent = client.get(QUEUE, {"urgent": "yes"})
    assert shown(every_urgent, reached) and not shown(every_urgent, ordinary)


def test_filters_assigned_to_me_and_unassigned(client, coordinator):
    mine = HelpRequestFactory(assigned_to=coordinator)
    nobodys = HelpRequestFactory()

    assert shown(client.get(QUEUE, {"assignee": "me"}), mine)
    assert not shown(client.get(QUEUE, {"assignee": "me"}), nobodys)
    assert shown(client.get(QUEUE, {"assignee": "none"}), nobodys)


def test_spam_is_only_shown_when_asked_for(client, coordinator):
    spam = HelpRequestFactory(spam=True, status="spam")

    assert shown(client.get(QUEUE, {"status": "spam"}), spam)


def test_the_queue_runs_the_same_number_of_queries_for_more_rows(client, coordinator):
    def requests(count):
        for help_request in HelpRequestFactory.create_batch(
            count, assigned_to=coordinator, follow_up_on=timezone.localdate(), urgent=True
        ):
            contact_attempt_add(help_request=help_request, made_by=coordinator,
                                channel="call", outcome="voicemail")  # fmt: skip

    client.get(QUEUE)  # the first page after signing in starts the idle clock: a write
    requests(3)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    requests(30)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)

    assert len(many) == len(few)


def test_the_default_page_is_read_off_the_open_queue_index(client, coordinator):
    HelpRequestFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)
    order = 'ORDER BY "intake_helprequest"."urgent" DESC, "intake_helprequest"."created_at" ASC'
    page = next(q["sql"] for q in queries if order in q["sql"])
    with connection.cursor() as cursor:
        # A few test rows are cheaper to scan and sort: ask whether the index can serve it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "helprequest_open_queue_idx" in plan and "Sort" not in plan


# --- The admin home's tiles -----------------------------------------------------------


def test_admin_home_counts_new_overdue_urgent_follow_ups_and_mine_with_links(client, coordinator):
    HelpRequestFactory(urgent=True)
    HelpRequestFactory(assigned_to=coordinator, created_at=timezone.now() - timedelta(days=4))

    html = client.get("/admin/").content.decode()

    for label, query in (("New", "status=new"), ("Overdue", "overdue=yes"),
                         ("Urgent", "urgent=waiting"), ("Follow-ups due", "follow_up=due"),
                         ("Mine", "assignee=me")):  # fmt: skip
        assert f'href="{QUEUE}?{query}"' in html
        assert label in html
    assert "<strong>2</strong> New" in html
    assert "<strong>1</strong> Mine" in html


def test_the_urgent_tile_counts_only_urgent_requests_nobody_has_reached(client, coordinator):
    HelpRequestFactory(urgent=True)
    HelpRequestFactory(urgent=True, status="in_progress")
    HelpRequestFactory(urgent=True, status="contacted")
    HelpRequestFactory()

    assert "<strong>2</strong> Urgent" in client.get("/admin/").content.decode()


def test_a_follow_up_due_today_appears_in_the_tile(client, coordinator):
    today = timezone.localdate()
    HelpRequestFactory(status="contacted", follow_up_on=today)
    HelpRequestFactory(status="scheduled", follow_up_on=today - timedelta(days=1))
    HelpRequestFactory(status="contacted", follow_up_on=today + timedelta(days=1))
    HelpRequestFactory(status="closed", follow_up_on=today)

    assert "<strong>2</strong> Follow-ups due" in client.get("/admin/").content.decode()


def test_a_follow_up_date_past_is_overdue_whatever_the_open_status(client, coordinator):
    from datetime import timedelta as _days

    from django.utils import timezone as _tz

    missed = HelpRequestFactory(follow_up_on=_tz.localdate() - _days(days=1))
    later = HelpRequestFactory(follow_up_on=_tz.localdate() + _days(days=1))

    page = client.get(QUEUE, {"follow_up": "overdue"}).content.decode()

    assert missed.reference in page and later.reference not in page
    assert "overdue</strong>" in page
