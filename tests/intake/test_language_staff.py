"""Staff see the language a request was sent in, so the right person calls back: on the
request page, in the queue (and as a filter), in the Reports and in the email. The admin
stays in English."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake import report_figures, reports
from intake.models import HelpRequest
from intake.notifications import notification_email
from tests.factories import HelpRequestFactory
from tests.helpers import QUEUE, admin_change_url, form_token, shown_in_queue

pytestmark = pytest.mark.django_db


def test_the_request_page_says_to_call_back_in_spanish(client, coordinator):
    help_request = HelpRequestFactory(language=HelpRequest.Language.SPANISH)

    html = client.get(admin_change_url(help_request)).content.decode()

    assert "<dd>Spanish — call back in Spanish</dd>" in html


def test_an_english_request_page_just_says_english(client, coordinator):
    html = client.get(admin_change_url(HelpRequestFactory())).content.decode()

    assert "<dd>English</dd>" in html and "call back in" not in html


def test_a_request_sent_from_the_spanish_form_shows_spanish_to_staff_in_english(
    client, consultation_data, coordinator
):
    client.post("/es/consultation/", consultation_data)
    help_request = HelpRequest.objects.get()

    page = client.get(admin_change_url(help_request)).content.decode()
    queue = client.get(QUEUE).content.decode()

    assert "Spanish — call back in Spanish" in page
    assert '<html lang="en"' in page and "Evening (5 p.m. to 8 p.m.)" in page
    assert "No texts · Spanish" in queue


def test_the_queue_filters_by_language(client, coordinator):
    spanish = HelpRequestFactory(language=HelpRequest.Language.SPANISH)
    english = HelpRequestFactory(language=HelpRequest.Language.ENGLISH)

    everyone = client.get(QUEUE)
    only_spanish = client.get(QUEUE, {"language": "es"})
    only_english = client.get(QUEUE, {"language": "en"})

    assert "By language" in everyone.content.decode()
    assert shown_in_queue(everyone, spanish) and shown_in_queue(everyone, english)
    assert shown_in_queue(only_spanish, spanish) and not shown_in_queue(only_spanish, english)
    assert shown_in_queue(only_english, english) and not shown_in_queue(only_english, spanish)


def test_the_language_filter_reads_nothing_from_the_table_to_list_its_choices(client, coordinator):
    HelpRequestFactory(language=HelpRequest.Language.SPANISH)

    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)

    # A field's "all values" filter would ask for every distinct language on each page.
    assert not [q for q in queries if "DISTINCT" in q["sql"] and '"language"' in q["sql"]]


def test_the_reports_count_requests_sent_from_the_spanish_forms(
    client, contact_data, consultation_data, monkeypatch
):
    monkeypatch.setattr(report_figures, "SMALL_GROUP", 1)  # every count shown as a number
    client.post("/es/contact/", contact_data)
    client.post("/es/consultation/", consultation_data)
    Client().post("/consultation/", {**consultation_data, "form_token": form_token()})

    today = timezone.localdate()
    report = reports.build_report(period=reports.Period(today - timedelta(days=7), today))

    received = {row.label: row.figures["received"].text for row in report.languages}
    assert received == {"Spanish": "2", "English": "1"}


def test_the_staff_email_says_to_call_back_in_spanish_and_still_names_nobody(
    client, consultation_data
):
    consultation_data["message"] = "Me llamo Sam, mi hermano tuvo una sobredosis"
    client.post("/es/consultation/", consultation_data)

    subject, body = notification_email(HelpRequest.objects.get())

    assert "Language: Spanish — call back in Spanish" in body
    assert "URGENT" in subject
    assert "Sam" not in body and "sobredosis" not in body and "555" not in body


def test_the_staff_email_of_an_english_request_says_english():
    _subject, body = notification_email(HelpRequestFactory())

    assert "Language: English\n" in body
