"""A visitor sends each form and sees the thank-you page; each request is stored once."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from intake.hours import response_due
from intake.models import HelpRequest
from tests.helpers import CONSULTATION_REFERENCE, MESSAGE_REFERENCE, form_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_notifications_after_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hooks a real transaction would run, so tasks get enqueued."""
    with django_capture_on_commit_callbacks(execute=True):
        yield


def test_visitor_sends_a_message_and_sees_the_thank_you_page(client, contact_data):
    response = client.post("/contact/", contact_data, follow=True)

    help_request = HelpRequest.objects.get()
    assert response.redirect_chain == [("/contact/thanks/", 302)]
    html = response.content.decode()
    assert help_request.reference in html
    assert "We will email you by" in html  # a real time: see the tests at the end
    assert 'href="tel:988"' in html and settings.CLINIC["phone"] in html
    assert help_request.kind == HelpRequest.Kind.MESSAGE
    assert help_request.name == "Jordan Avery" and help_request.status == HelpRequest.Status.NEW
    assert MESSAGE_REFERENCE.fullmatch(help_request.reference)
    assert str(help_request) == f"Message {help_request.reference}"


def test_visitor_requests_a_consultation(client, consultation_data):
    response = client.post("/consultation/", consultation_data, follow=True)

    help_request = HelpRequest.objects.get()
    assert response.redirect_chain == [("/consultation/thanks/", 302)]
    assert CONSULTATION_REFERENCE.fullmatch(help_request.reference)
    assert help_request.reference in response.content.decode()
    assert help_request.phone == "+12025550143"
    assert help_request.substances == ["heroin", "fentanyl"]
    assert help_request.voicemail_ok is False
    assert help_request.consent_contact is True and help_request.consent_sms is False
    assert "Sam" not in str(help_request)


@pytest.mark.parametrize(
    ("reach", "way"),
    [
        ({"email": "", "phone": "(202) 555-0143"}, HelpRequest.ContactMethod.CALL),
        ({"email": "jordan@example.com", "phone": ""}, HelpRequest.ContactMethod.EMAIL),
    ],
    ids=["phone-only", "email-only"],
)
def test_a_message_with_one_way_to_reach_is_sent(client, contact_data, reach, way):
    contact_data.update(reach)

    response = client.post("/contact/", contact_data, follow=True)

    assert response.redirect_chain == [("/contact/thanks/", 302)]
    stored = HelpRequest.objects.get()
    assert (stored.phone, stored.email) == (
        "+12025550143" if reach["phone"] else "",
        reach["email"],
    )
    assert stored.preferred_contact == way  # staff reply the way the visitor gave


def short_consultation(consultation_data, **reach):
    """Only what the consultation requires: a first name, a way to reach, the safety answers."""
    return {
        "name": "Sam",
        "phone": "",
        "email": "",
        **reach,
        "contact_window": "morning",
        "voicemail_ok": "yes",
        "form_token": consultation_data["form_token"],
        "leave_blank": "",
    }


def test_a_consultation_with_only_a_phone_number_is_sent(client, consultation_data):
    data = short_consultation(consultation_data, phone="(202) 555-0143")

    response = client.post("/consultation/", data, follow=True)

    assert response.redirect_chain == [("/consultation/thanks/", 302)]
    stored = HelpRequest.objects.get()
    assert (stored.name, stored.phone, stored.email) == ("Sam", "+12025550143", "")
    assert stored.preferred_contact == HelpRequest.ContactMethod.CALL
    assert (stored.contact_window, stored.voicemail_ok) == ("morning", True)
    assert (stored.who_needs_help, stored.program, stored.insurance, stored.state) == ("",) * 4
    assert stored.substances == [] and stored.message == ""


def test_a_consultation_with_only_an_email_is_sent(client, consultation_data):
    data = short_consultation(consultation_data, email="sam@example.com")

    response = client.post("/consultation/", data, follow=True)

    assert response.redirect_chain == [("/consultation/thanks/", 302)]
    stored = HelpRequest.objects.get()
    assert (stored.phone, stored.email) == ("", "sam@example.com")
    assert stored.preferred_contact == HelpRequest.ContactMethod.EMAIL


def test_no_personal_data_appears_in_any_url(client, consultation_data):
    response = client.post("/consultation/", consultation_data, follow=True)

    for url, _status in response.redirect_chain:
        assert "Sam" not in url and "555" not in url and "@" not in url
    assert response.request["QUERY_STRING"] == ""


def test_someone_guessing_the_thank_you_address_sees_nothing_of_a_request(
    client, consultation_data
):
    client.post("/consultation/", consultation_data)
    reference = HelpRequest.objects.get().reference

    stranger = Client().get("/consultation/thanks/")

    assert stranger.status_code == 200
    assert reference not in stranger.content.decode()
    assert "Sam" not in stranger.content.decode()


def test_a_double_click_or_resubmit_creates_one_request(client, consultation_data):
    first = client.post("/consultation/", consultation_data, follow=True)
    second = client.post("/consultation/", consultation_data, follow=True)

    assert HelpRequest.objects.count() == 1
    reference = HelpRequest.objects.get().reference
    assert reference in first.content.decode() and reference in second.content.decode()


def test_sending_the_same_words_again_before_the_thanks_page_creates_one_request(
    client, contact_data
):
    client.post("/contact/", contact_data)  # the answer never arrived: no thank-you page
    again = {**contact_data, "form_token": form_token()}  # the form as shown again

    response = client.post("/contact/", again, follow=True)

    assert HelpRequest.objects.count() == 1
    assert HelpRequest.objects.get().reference in response.content.decode()


def test_the_same_visitor_can_send_another_message_after_saying_so(client, contact_data):
    client.post("/contact/", contact_data, follow=True)
    reference = HelpRequest.objects.get().reference
    another = {**contact_data, "message": "One more thing.", "form_token": form_token()}

    asked = client.post("/contact/", another, follow=True)

    assert asked.redirect_chain == [("/contact/?check=1", 303)]
    assert asked.status_code == 200 and HelpRequest.objects.count() == 1
    assert "You have already sent us a message" in asked.content.decode()
    assert reference in asked.content.decode()

    client.post("/contact/", {**another, "form_token": form_token(confirm=True)})

    assert HelpRequest.objects.count() == 2


def test_an_invalid_form_keeps_everything_typed_and_links_errors(client, consultation_data):
    consultation_data.update(phone="12", program="miracle")

    response = client.post("/consultation/", consultation_data, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [("/consultation/?check=1", 303)]  # see the Back tests
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    assert 'id="error-summary"' in html
    assert 'href="#id_phone"' in html and 'href="#id_program_0"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert 'value="12"' in html  # what was typed stays
    assert 'value="heroin"  id="id_substances_0" checked' in html.replace("\n", "")
    assert 'value="ME" selected' in html
    assert "<title>Error:" in html


def test_a_crisis_message_is_stored_urgent_and_the_thank_you_page_leads_with_988_and_911(
    client, contact_data
):
    contact_data["message"] = "I think my son took too much, he might overdose tonight"

    response = client.post("/contact/", contact_data, follow=True)

    html = response.content.decode()
    assert HelpRequest.objects.get().urgent
    assert html.index('href="tel:911"', html.index("<main")) < html.index("<h1")
    assert html.index('href="tel:988"', html.index("<main")) < html.index("<h1")


def test_an_ordinary_message_is_not_urgent(client, contact_data):
    client.post("/contact/", contact_data)

    assert not HelpRequest.objects.get().urgent


def test_the_same_site_page_the_visitor_came_from_is_kept(client, contact_data):
    page = client.get(
        "/contact/", headers={"referer": "http://testserver/learn/heroin-withdrawal/?q=x"}
    )
    token = re.search(r'name="source_page" value="([^"]*)"', page.content.decode()).group(1)
    contact_data["source_page"] = token

    client.post("/contact/", contact_data)

    assert HelpRequest.objects.get().source_page == "/learn/heroin-withdrawal/"


@pytest.mark.parametrize("source", ["https://evil.example/page", "//evil.example/", "javascript:x"])
def test_another_sites_address_is_never_kept_as_the_source_page(client, contact_data, source):
    contact_data["source_page"] = source

    client.post("/contact/", contact_data)

    assert HelpRequest.objects.get().source_page == ""


def test_nothing_identifies_the_visitors_device_or_address(client, contact_data):
    client.post("/contact/", contact_data, REMOTE_ADDR="203.0.113.9")

    stored = HelpRequest.objects.values().get()
    assert "203.0.113.9" not in str(stored)
    assert not [f for f in stored if "ip" in f.split("_") or "agent" in f]


def test_too_many_submissions_get_a_friendly_429_that_keeps_the_text(
    client, contact_data, settings
):
    settings.INTAKE_RATE_LIMIT = 2
    for number in range(2):
        client.post(
            "/contact/",
            {
                **contact_data,
                "message": f"Message {number}",
                "form_token": form_token(confirm=True),
            },
        )

    response = client.post(
        "/contact/", {**contact_data, "form_token": form_token(confirm=True)}, follow=True
    )

    assert response.redirect_chain == [("/contact/?check=1", 303)]
    assert response.status_code == 429
    html = response.content.decode()
    assert "<title>Not sent yet:" in html and 'id="rate-limited" tabindex="-1" autofocus' in html
    assert settings.CLINIC["phone"] in html
    assert "My brother has been using for a year" in html
    assert HelpRequest.objects.count() == 2


def test_the_limit_is_per_client(contact_data, settings):
    settings.INTAKE_RATE_LIMIT = 1
    Client(REMOTE_ADDR="198.51.100.1").post(
        "/contact/", {**contact_data, "form_token": form_token()}
    )

    other = Client(REMOTE_ADDR="198.51.100.2").post(
        "/contact/", {**contact_data, "form_token": form_token()}
    )

    assert other.status_code == 302
    assert HelpRequest.objects.count() == 2


def test_forms_are_linked_from_the_home_page(client):
    html = client.get("/").content.decode()

    assert 'href="/consultation/"' in html and 'href="/contact/"' in html


@pytest.mark.parametrize("path", ["/contact/", "/consultation/", "/consultation/thanks/"])
def test_form_and_thank_you_pages_are_never_stored_by_caches(client, path):
    assert "no-store" in client.get(path)["Cache-Control"]


def test_a_double_click_is_not_counted_against_the_limit(client, contact_data, settings):
    settings.INTAKE_RATE_LIMIT = 1
    client.post("/contact/", contact_data)
    client.cookies.pop("sessionid", None)  # as if the first answer never arrived

    again = client.post("/contact/", contact_data)

    assert again.status_code == 302
    assert HelpRequest.objects.count() == 1


def test_an_over_long_hidden_source_page_never_blocks_the_form(client, contact_data):
    contact_data["source_page"] = "/learn/" + "a" * 400 + "/"

    response = client.post("/contact/", contact_data)

    assert response.status_code == 302
    assert len(HelpRequest.objects.get().source_page) <= 200


# A thank-you page that keeps its promise (issue 14): a real time, the way they chose.

FRIDAY_EVENING = datetime(2026, 11, 20, 21, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))


def sent_on_friday_evening(client, path, data):
    """Send the form, as if after the clinic closed on a Friday: the clinic's promise
    (12 business hours, 8 a.m. to 8 p.m. on weekdays) then runs out at 8 p.m. on Monday."""
    client.post(path, data)
    HelpRequest.objects.update(created_at=FRIDAY_EVENING, respond_by=response_due(FRIDAY_EVENING))
    return client.get(f"{path}thanks/").content.decode()


def test_a_consultation_by_phone_is_promised_a_call_by_a_real_time(client, consultation_data):
    html = sent_on_friday_evening(client, "/consultation/", consultation_data)

    assert "Request sent" in html
    assert "We will call you by" in html and "8 p.m." in html
    assert re.search(r"by <span[^>]*>8 p\.m\.</span> on <span[^>]*>Monday 23 November<", html)


def test_a_consultation_by_text_is_promised_a_text(client, consultation_data):
    consultation_data.update(preferred_contact="text", consent_sms="on")

    html = sent_on_friday_evening(client, "/consultation/", consultation_data)

    assert "We will text you by" in html and "Monday 23 November" in html


def test_a_message_with_only_an_email_is_promised_an_email(client, contact_data):
    contact_data.update(email="jordan@example.com", phone="")

    html = sent_on_friday_evening(client, "/contact/", contact_data)

    assert "We will email you by" in html and "Monday 23 November" in html


def test_the_thank_you_page_says_what_to_do_if_nobody_has_called_by_then(client, consultation_data):
    html = sent_on_friday_evening(client, "/consultation/", consultation_data)

    after = html[html.index("If we have not reached you by then") :]
    assert f'href="tel:{settings.CLINIC["phone_e164"]}"' in after
    assert settings.CLINIC["phone"] in after and settings.CLINIC["hours"] in after
    assert 'href="tel:988"' in after and 'href="tel:911"' in after
    assert 'href="tel:+18006624357"' in after  # SAMHSA's helpline, day or night


def test_the_thank_you_page_shows_the_reference_large_and_nothing_personal(
    client, consultation_data
):
    html = sent_on_friday_evening(client, "/consultation/", consultation_data)

    reference = HelpRequest.objects.get().reference
    panel = html[html.index('class="confirmation-panel"') : html.index("What happens next")]
    assert f"<strong>{reference}</strong>" in panel
    page = html[html.index("<main") : html.index("</main>")]
    for personal in ("Sam", "555-0143", "5550143", "evening", "heroin", "Medicaid", "ME"):
        assert personal not in page


def test_an_urgent_request_leads_with_911_and_988_then_the_promise(client, contact_data):
    contact_data["message"] = "I think my son took too much, he might overdose tonight"

    html = sent_on_friday_evening(client, "/contact/", contact_data)

    main = html.index("<main")
    assert html.index('href="tel:911"', main) < html.index("<h1>Request sent</h1>")
    assert html.index('href="tel:988"', main) < html.index("<h1>Request sent</h1>")
    assert "We will email you by" in html


def test_a_request_held_as_spam_is_promised_no_time(client, contact_data):
    contact_data["leave_blank"] = "http://spam.example/"

    html = sent_on_friday_evening(client, "/contact/", contact_data)

    assert HelpRequest.objects.get().spam
    assert "We will email you by" not in html
    assert settings.CLINIC["response_promise"] in html


# Back from the thank-you page, also after a send that first had errors (issue 14): the
# page with errors is reached by a redirect (a GET), so Back never meets a POST to repeat.


def session_table() -> str:
    return str([session.get_decoded() for session in Session.objects.all()])


def test_a_send_with_mistakes_is_redirected_to_a_page_showing_them(client, contact_data):
    contact_data["name"] = ""

    response = client.post("/contact/", contact_data)

    assert response.status_code == 303 and response["Location"] == "/contact/?check=1"
    shown = client.get(response["Location"])
    assert shown.status_code == 200 and 'id="error-summary"' in shown.content.decode()
    assert contact_data["message"] in shown.content.decode()  # nothing typed is lost


def test_what_was_typed_waits_in_the_session_encrypted(client, contact_data):
    contact_data["name"] = ""

    client.post("/contact/", contact_data)

    stored = session_table()
    assert "intake_unsent" in stored and "brother" not in stored and "jordan@" not in stored


def test_reloading_the_page_with_mistakes_shows_them_again(client, contact_data):
    contact_data["name"] = ""
    client.post("/contact/", contact_data)

    client.get("/contact/?check=1")
    again = client.get("/contact/?check=1").content.decode()

    assert 'id="error-summary"' in again and contact_data["message"] in again


def test_back_after_mistakes_then_sending_shows_the_form_empty(client, contact_data):
    client.post("/contact/", {**contact_data, "name": ""})
    client.get("/contact/?check=1")
    client.post("/contact/?check=1", contact_data, follow=True)

    back = client.get("/contact/?check=1")  # Back from the thank-you page

    html = back.content.decode()
    assert back.status_code == 200 and 'id="error-summary"' not in html
    assert contact_data["message"] not in html
    assert "intake_unsent" not in session_table()


def test_opening_the_form_afresh_forgets_a_send_with_mistakes(client, contact_data):
    client.post("/contact/", {**contact_data, "name": ""})

    fresh = client.get("/contact/").content.decode()

    assert 'id="error-summary"' not in fresh and contact_data["message"] not in fresh
    assert 'id="error-summary"' not in client.get("/contact/?check=1").content.decode()
