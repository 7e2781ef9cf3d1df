"""A form that was sent but not stored ("Send now", already sent, the submission limit) is
shown again on a page of its own (Post/Redirect/Get), so Back and Reload stay safe."""

import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session

from intake.models import HelpRequest
from tests.helpers import form_fields_as_shown, form_token

pytestmark = pytest.mark.django_db


def session_table() -> str:
    return str([session.get_decoded() for session in Session.objects.all()])


def send_too_fast(client, contact_data):
    return client.post("/contact/", {**contact_data, "form_token": form_token(seconds_ago=0.5)})


def test_send_now_is_asked_on_a_page_that_reload_shows_again(client, contact_data):
    response = send_too_fast(client, contact_data)

    assert response.status_code == 303 and response["Location"] == "/contact/?check=1"
    for _reload in range(2):
        page = client.get("/contact/?check=1")
        html = page.content.decode()
        assert page.status_code == 200 and "Send now" in html
        assert contact_data["message"] in html  # nothing typed is lost
    stored = session_table()
    assert "brother" not in stored and "jordan@" not in stored  # encrypted while it waits
    assert not HelpRequest.objects.exists()


def test_back_after_send_now_then_the_thank_you_page_shows_the_form_empty(client, contact_data):
    send_too_fast(client, contact_data)
    page = client.get("/contact/?check=1").content.decode()
    token = form_fields_as_shown(page)["form_token"]
    client.post("/contact/", {**contact_data, "form_token": token}, follow=True)

    back = client.get("/contact/?check=1")  # Back from the thank-you page

    html = back.content.decode()
    assert back.status_code == 200 and "Send now" not in html
    assert contact_data["message"] not in html
    assert HelpRequest.objects.count() == 1


def test_already_sent_is_asked_on_a_page_that_reload_shows_again(client, contact_data):
    client.post("/contact/", contact_data, follow=True)
    reference = HelpRequest.objects.get().reference
    another = {**contact_data, "message": "One more thing.", "form_token": form_token()}

    response = client.post("/contact/", another)

    assert response.status_code == 303 and response["Location"] == "/contact/?check=1"
    for _reload in range(2):
        html = client.get("/contact/?check=1").content.decode()
        assert "You have already sent us a message" in html and reference in html
        assert "One more thing." in html and "Send now" in html


def test_the_limit_page_counts_down_on_reload_then_shows_just_the_form(
    client, contact_data, settings, monkeypatch
):
    settings.INTAKE_RATE_LIMIT = 1
    client.post("/contact/", {**contact_data, "form_token": form_token(confirm=True)})
    another = {**contact_data, "message": "One more thing.", "form_token": form_token(confirm=True)}

    response = client.post("/contact/", another)

    assert response.status_code == 303 and response["Location"] == "/contact/?check=1"
    limited = client.get("/contact/?check=1")
    assert limited.status_code == 429 and 'id="rate-limited"' in limited.content.decode()
    wait = int(limited["Retry-After"])
    assert 0 < wait <= settings.INTAKE_RATE_WINDOW_SECONDS
    later = time.time() + wait - 30
    # The view's clock only (the test client and signing keep the real one).
    monkeypatch.setattr("intake.views.time", SimpleNamespace(time=lambda: later))
    reloaded = client.get("/contact/?check=1")
    assert reloaded.status_code == 429 and 0 < int(reloaded["Retry-After"]) <= 30

    monkeypatch.setattr("intake.views.time", SimpleNamespace(time=lambda: later + 31))
    over = client.get("/contact/?check=1")

    html = over.content.decode()
    assert over.status_code == 200 and 'id="rate-limited"' not in html
    assert "One more thing." in html  # still there to send
    assert HelpRequest.objects.count() == 1
