"""What a visitor's session keeps, for how long, and who can use it."""

import hashlib

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from intake.forms import ConsultationForm
from intake.models import HelpRequest
from tests.helpers import form_token

pytestmark = pytest.mark.django_db


def stored_sessions() -> list[dict]:
    return [session.get_decoded() for session in Session.objects.all()]


def test_the_session_table_holds_no_unkeyed_hash_of_the_answers(client, consultation_data):
    client.post("/consultation/", consultation_data)

    # A thief with the session table and the plain name, phone and state tries the few
    # hundred combinations of the other answers: an unkeyed hash would match one.
    saved = stored_sessions()[0]["intake_thanks"]
    help_request = HelpRequest.objects.get()
    form = ConsultationForm(data={**consultation_data, "form_token": form_token()})
    assert form.is_valid()
    fields = sorted(
        (name, str(value))
        for name, value in form.cleaned_data.items()
        if name not in {"form_token", "leave_blank", "source_page"}
    )
    assert saved["fingerprint"] != hashlib.sha256(repr(fields).encode()).hexdigest()
    assert saved["reference"] == help_request.reference


def test_the_fingerprint_is_dropped_once_the_thank_you_page_is_shown(client, contact_data):
    client.post("/contact/", contact_data, follow=True)

    assert "fingerprint" not in str(stored_sessions())
    # The reference still shows if the visitor reloads the page.
    reference = HelpRequest.objects.get().reference
    assert reference in client.get("/contact/thanks/").content.decode()


def test_a_visitors_session_ends_when_the_browser_closes(client, contact_data):
    response = client.post("/contact/", contact_data)

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_planted_session_id_does_not_show_the_victims_thank_you_page(consultation_data):
    attacker = Client()
    attacker.post("/contact/", {"name": "A", "email": "a@example.com", "message": "hi",
                                "form_token": form_token(), "leave_blank": ""})  # fmt: skip
    planted = attacker.cookies["sessionid"].value

    victim = Client()
    victim.cookies["sessionid"] = planted
    crisis = {**consultation_data, "message": "My son overdosed last night"}
    victim.post("/consultation/", crisis, follow=True)

    assert victim.cookies["sessionid"].value != planted
    seen = attacker.get("/consultation/thanks/").content.decode()
    victim_reference = HelpRequest.objects.get(kind="consultation").reference
    assert victim_reference not in seen and "in danger now" not in seen
