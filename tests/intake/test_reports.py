"""The Reports page: every figure against values worked out by hand.

The clinic: New York time, open 8 a.m. to 8 p.m. Monday to Friday, promising a reply within
12 business hours (60 minutes for urgent requests). The period: two weeks, Monday 5 to
Sunday 18 October 2026; the page is looked at on 1 November.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from intake import report_figures, reports
from intake.models import AuditEntry, HelpRequest
from intake.services import contact_attempt_add
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
URL = reverse("admin:intake_helprequest_reports")
PERIOD = {"start": "2026-10-05", "end": "2026-10-18"}


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def clinic(settings, monkeypatch):
    settings.TIME_ZONE = "America/New_York"
    settings.CLINIC_BUSINESS_HOURS = (8, 20)
    settings.CLINIC_BUSINESS_DAYS = [0, 1, 2, 3, 4]
    settings.INTAKE_RESPONSE_BUSINESS_HOURS = 12
    settings.INTAKE_URGENT_RESPONSE_MINUTES = 60
    looked_at = at(1, 12, month=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: looked_at)


def request_for_help(created_at, *, kind="consultation", attempts=(), **fields):
    """A request sent at `created_at`, then tried at each (time, outcome) in `attempts`."""
    staff = user_in_role(roles.COORDINATORS)
    if kind == "message":
        fields.setdefault("program", "")
    help_request = HelpRequestFactory(kind=kind, created_at=created_at, **fields)
    for when, outcome in attempts:
        contact_attempt_add(help_request=help_request, made_by=staff, channel="call",
                            outcome=outcome, attempted_at=when)  # fmt: skip
    help_request.refresh_from_db()
    return help_request


def finish(help_request, status, **details):
    HelpRequest.objects.filter(pk=help_request.pk).update(status=status, **details)


@pytest.fixture
def two_weeks():
    """Thirteen real requests, three held or marked as spam, two just outside the period."""
    spoke, no_answer = "spoke", "no_answer"
    # Week of 5 October: six consultation requests (one urgent) and a message.
    # Friday 6 p.m.: tried Monday 9 a.m. (2 + 1 = 3 business hours), reached Monday 2 p.m.
    # (8 business hours; the promise ran out Monday 6 p.m.). Scheduled, then started care.
    first = request_for_help(at(9, 18), heard_about="search",
                             attempts=[(at(12, 9), no_answer), (at(12, 14), spoke)])  # fmt: skip
    finish(first, "closed", appointment_at=at(14, 10), close_reason="started_care")
    # Saturday noon, reached Monday 10 a.m.: the weekend does not count, 2 business hours.
    second = request_for_help(at(10, 12), heard_about="search", attempts=[(at(12, 10), spoke)])
    finish(second, "scheduled", appointment_at=at(20, 10), appointment_virtual=True)
    # Monday 9 a.m., tried at 10 (1 hour), reached Wednesday 9 a.m.: 11 + 12 + 1 = 24
    # business hours, past the promise (Tuesday 9 a.m.). Not a fit: insurance.
    third = request_for_help(at(5, 9), heard_about="doctor", program="outpatient",
                             attempts=[(at(5, 10), no_answer), (at(7, 9), spoke)])  # fmt: skip
    finish(third, "not_a_fit", not_a_fit_reason="insurance")
    fourth = request_for_help(at(5, 10), heard_about="search", program="mat",
                              attempts=[(at(5, 12), spoke)])  # fmt: skip
    finish(fourth, "closed", close_reason="started_care")
    fifth = request_for_help(at(6, 8), heard_about="court", program="inpatient",
                             attempts=[(at(6, 16), spoke)])  # fmt: skip
    finish(fifth, "referred", referred_to="County clinic", referral_reason="Closer to home")
    # A message tried once (1 business hour), never reached: its promise ran out.
    request_for_help(at(6, 13), kind="message", attempts=[(at(6, 14), no_answer)])
    # Urgent, 3 a.m. on Saturday: reached 20 minutes later, 0 business hours.
    request_for_help(at(10, 3), urgent=True, program="", attempts=[(at(10, 3, 20), spoke)])
    # Week of 12 October: three consultation requests (one urgent) and three messages.
    # Monday 8 a.m., tried at 8:30, reached Tuesday 8 a.m.: 12 business hours, late.
    eighth = request_for_help(at(12, 8), program="mat",
                              attempts=[(at(12, 8, 30), no_answer), (at(13, 8), spoke)])  # fmt: skip
    finish(eighth, "closed", close_reason="declined")
    ninth = request_for_help(at(13, 9), heard_about="search", attempts=[(at(13, 11), spoke)])
    finish(ninth, "closed", appointment_at=at(15, 9), appointment_place="Main St",
           close_reason="started_care")  # fmt: skip
    tenth = request_for_help(at(14, 9), kind="message", heard_about="family", language="es",
                             attempts=[(at(14, 10), spoke)])  # fmt: skip
    finish(tenth, "closed", close_reason="duplicate")
    request_for_help(at(15, 9), kind="message")  # nobody has tried yet; promise ran out
    # Urgent at noon, tried at 12:30, reached at 1:30: 90 minutes against a 60-minute promise.
    request_for_help(at(15, 12), urgent=True, program="",
                     attempts=[(at(15, 12, 30), no_answer), (at(15, 13, 30), spoke)])  # fmt: skip
    # Held by the site as spam, and rescued by staff: a real request again.
    request_for_help(at(14, 15), kind="message", held_on_arrival=True)
    # Spam: held by the site, and marked by staff. Not counted as requests.
    request_for_help(at(7, 9), kind="message", held_on_arrival=True, spam=True, status="spam")
    request_for_help(at(16, 9), kind="message", spam=True, status="spam")
    # Just outside the period, in New York time.
    request_for_help(at(4, 23, 59))
    request_for_help(at(19, 0, 1))


def figures(rows, column):
    return {row.label: row.figures[column].text for row in rows}


def test_counts_and_times_worked_out_by_hand(two_weeks, monkeypatch):
    # Every figure as it is before small groups are hidden (tested next).
    monkeypatch.setattr(report_figures, "SMALL_GROUP", 1)
    report = reports.build_report(period=reports.Period(at(5, 0).date(), at(18, 0).date()))

    assert report.received.text == "13"
    week_one, week_two = report.weeks
    assert [week_one.consultations.text, week_one.messages.text, week_one.urgent.text,
            week_one.total.text] == ["6", "1", "1", "7"]  # fmt: skip
    assert [week_two.consultations.text, week_two.messages.text, week_two.urgent.text,
            week_two.total.text] == ["3", "3", "1", "6"]  # fmt: skip
    # Reached within the promise: of 7 due in the first week, the 1st, 2nd, 4th, 5th and
    # the urgent one; of 6 in the second, the 9th and 10th.
    assert week_one.reached_in_time.text == "71 %"
    assert week_two.reached_in_time.text == "33 %"
    assert report.reached_in_time.text == "54 %"  # 7 of 13
    # Median business hours to the first conversation, urgent aside: 2, 2, 8, 8, 24; 1, 2, 12.
    assert week_one.median_hours_to_contact.text == "8.0 h"
    assert week_two.median_hours_to_contact.text == "2.0 h"

    speed = {row.label: [f.text for f in row.figures.values()] for row in report.speed}
    # First attempts: 0.5, 1, 1, 1, 2, 2, 2, 3, 8. The 90th percentile lies a fifth of the
    # way from 3 to 8.
    assert speed["First attempt to reach them (not urgent)"] == ["9", "2.0 business hours",
                                                   "4.0 business hours"]  # fmt: skip
    # First conversations: 1, 2, 2, 2, 8, 8, 12, 24: median halfway between 2 and 8; the
    # 90th percentile three tenths of the way from 12 to 24.
    assert speed["First conversation (not urgent)"] == [
        "8",
        "5.0 business hours",
        "15.6 business hours",
    ]
    assert speed["Urgent: first attempt"] == ["2", "25.0 minutes", "29.0 minutes"]
    assert speed["Urgent: first conversation"] == ["2", "55.0 minutes", "83.0 minutes"]

    funnel = {row.label: [f.text for f in row.figures.values()] for row in report.funnel}
    assert funnel == {
        "Received": ["13", "100 %", "100 %"],
        "Reached (spoke with them)": ["10", "77 %", "77 %"],
        "Scheduled": ["4", "31 %", "40 %"],
        "Started care": ["3", "23 %", "75 %"],
    }
    left = figures(report.left, "people")
    assert left["Referred elsewhere"] == "1"
    assert left["Not a fit: Insurance or cost"] == "1"
    assert left["Not a fit: Lives too far away"] == "0"
    assert left["Closed: Declined"] == "1"
    assert left["Closed: Duplicate request"] == "1"
    assert left["Closed: No response after several attempts"] == "0"
    assert left["Still being worked, not yet scheduled"] == "5"
    assert left["Scheduled, not yet started"] == "1"
    # Every request that did not start care is in exactly one row.
    assert sum(int(count) for count in left.values()) == 13 - 3

    sources = {row.label: [f.text for f in row.figures.values()] for row in report.sources}
    assert sources == {
        "A search engine": ["4", "4", "3", "75 %"],
        "Not answered": ["6", "3", "0", "0 %"],
        "A doctor or hospital": ["1", "1", "0", "0 %"],
        "A court or probation": ["1", "1", "0", "0 %"],
        "Family or a friend": ["1", "1", "0", "0 %"],
    }
    order = list(sources)
    assert (order[0], order[-1]) == ("A search engine", "Not answered")  # most first
    programs = {row.label: row.figures["received"].text for row in report.programs}
    assert programs["Medically supervised detox"] == "3"
    assert programs["Medications for opioid use disorder (MOUD)"] == "2"
    assert programs["Not asked (messages) or not given"] == "6"
    assert figures(report.languages, "received") == {"English": "12", "Spanish": "1"}
    assert figures(report.spam, "count") == {
        "Held by the site as they arrived": "2",
        "Of those, returned to the queue by staff (real people)": "1",
        "Of those, still held as spam": "1",
        "Marked as spam by staff (not held by the site; not in the rows above)": "1",
    }


def test_a_group_of_fewer_than_five_people_is_never_shown_as_a_number(two_weeks):
    report = reports.build_report(period=reports.Period(at(5, 0).date(), at(18, 0).date()))
    week_one, week_two = report.weeks
    assert week_one.messages.text == "fewer than 5"
    # The week's total (7) less the consultations would give the message away: hidden too.
    assert week_one.consultations.text == "hidden (see note)"
    assert week_one.total.text == "7"
    assert week_one.urgent.text == "fewer than 5"
    # 2 of 6 reached in time: the rate would give the 2 away.
    assert week_two.reached_in_time.text == "not shown (under 5 people)"
    assert week_two.median_hours_to_contact.text == "not shown (under 5 people)"  # 3 people
    speed = {row.label: row.figures["median"].text for row in report.speed}
    assert speed["Urgent: first conversation"] == "not shown (under 5 people)"
    assert figures(report.funnel, "people")["Started care"] == "fewer than 5"
    assert figures(report.left, "people")["Still being worked, not yet scheduled"] == "5"
    assert figures(report.left, "people")["Closed: No response after several attempts"] == "0"


def test_a_coordinator_reads_the_page_with_no_ones_details(client, two_weeks):
    client.force_login(user_in_role(roles.COORDINATORS))
    response = client.get(URL, PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 Oct 2026 to 18 Oct 2026: 13 requests" in page
    assert "fewer than 5" in page
    assert "<svg" in page and 'role="img"' in page
    for request in HelpRequest.objects.all():
        assert request.name not in page and request.reference not in page
    assert "County clinic" not in page  # where a person was referred is theirs


def test_the_page_asks_the_same_few_queries_for_many_requests(
    client, django_assert_max_num_queries
):
    client.force_login(user_in_role(roles.COORDINATORS))
    HelpRequestFactory.create_batch(3, created_at=at(20, 10))
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    HelpRequestFactory.create_batch(30, created_at=at(21, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_content_editors_cannot_see_reports(client):
    client.force_login(user_in_role(roles.CONTENT_EDITORS))
    assert client.get(URL).status_code == 403


def test_a_period_that_ends_before_it_starts_is_explained_and_kept(client):
    client.force_login(user_in_role(roles.COORDINATORS))
    response = client.get(URL, {"start": "2026-10-18", "end": "2026-10-05"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in page
    assert 'value="2026-10-18"' in page  # what was typed is still there
    assert "these are the last 12 weeks" in page


def test_a_date_that_is_not_a_date_gets_a_message_not_an_error(client):
    client.force_login(user_in_role(roles.COORDINATORS))
    response = client.get(URL, {"start": "last tuesday", "end": "2026-10-05"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_downloading_the_tables_is_recorded_in_the_audit_trail(client, two_weeks):
    coordinator = user_in_role(roles.COORDINATORS)
    client.force_login(coordinator)
    response = client.post(URL, PERIOD)
    text = response.content.decode()
    assert response["Content-Disposition"] == (
        'attachment; filename="reports-20261005-20261018.csv"'
    )
    assert "From request to care" in text
    assert "Reached (spoke with them),10,76.9,76.9" in text
    assert "in the clinic's time zone (America/New_York)" in text
    assert "fewer than 5" in text
    assert all(r.name not in text for r in HelpRequest.objects.all())
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == coordinator
    assert entry.details == {"report": "reports", "start": "2026-10-05", "end": "2026-10-18"}


def test_a_coordinator_finds_the_reports_from_the_admin_home_and_the_queue(client):
    client.force_login(user_in_role(roles.COORDINATORS))
    for page in (reverse("admin:index"), reverse("admin:intake_helprequest_changelist")):
        assert f'href="{URL}"' in client.get(page).content.decode()


def test_a_content_editor_sees_no_link_to_the_reports(client):
    client.force_login(user_in_role(roles.CONTENT_EDITORS))
    assert URL not in client.get(reverse("admin:index")).content.decode()


def test_a_small_group_cannot_be_worked_out_from_the_total(two_weeks):
    # One request in Spanish and twelve in English, of thirteen: hiding the one alone
    # would not hide it (13 - 12), so the English count is hidden too.
    report = reports.build_report(period=reports.Period(at(5, 0).date(), at(18, 0).date()))
    languages = {row.label: row.figures for row in report.languages}
    assert report.received.text == "13"
    assert languages["Spanish"]["received"].text == "fewer than 5"
    assert languages["English"]["received"].text == "hidden (see note)"
    assert languages["English"]["conversion"].text == "not shown (under 5 people)"


def test_a_period_shorter_than_a_week_is_refused_in_our_words(client):
    client.force_login(user_in_role(roles.COORDINATORS))
    response = client.get(URL, {"start": "2026-10-10", "end": "2026-10-10"})
    page = response.content.decode()
    assert "Please choose at least a week" in page
    assert "these are the last 12 weeks" in page
