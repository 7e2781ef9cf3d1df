"""Security and privacy a clinic can defend: headers, error pages, logs, hostile input."""

import csv
import io
import ipaddress
import json
import logging
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError
from django.test import Client

from intake.models import HelpRequest
from intake.tasks import notify_staff
from recovery_site import roles
from recovery_site.logging import JsonFormatter
from tests.factories import HelpRequestFactory, user_in_role
from tests.helpers import form_token

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/", "/learn/", "/learn/heroin-withdrawal/", "/learn/search/?q=withdrawal", "/programs/",
    "/about/", "/privacy/", "/contact/", "/consultation/", "/contact/thanks/", "/no-such-page/",
]  # fmt: skip


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'none'", "form-action 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'", "script-src 'self'"):  # fmt: skip
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_sends_the_security_headers(client, guides, path):
    assert_security_headers(client.get(path))


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/", "/admin/intake/helprequest/"])
def test_the_admin_sends_them_too(client, path):
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    assert_security_headers(client.get(path))


@pytest.mark.parametrize(
    ("status", "trigger"),
    [
        (400, lambda c: c.get("/", headers={"host": "evil.example"})),
        (403, lambda c: Client(enforce_csrf_checks=True).post("/contact/", {"name": "x"})),
        (404, lambda c: c.get("/learn/nothing-here/")),
        (413, lambda c: c.post("/contact/", {"message": "x" * 200_000})),
        (413, lambda c: c.post("/contact/", {"name": "x", "file": io.BytesIO(b"x" * 500_000)})),
    ],
    ids=["foreign-host", "csrf", "not-found", "too-large", "large-file"],
)
def test_error_pages_are_friendly_and_show_how_to_get_help(client, status, trigger):
    response = trigger(client)

    html = response.content.decode()
    assert response.status_code == status
    assert settings.CLINIC["phone"] in html and 'href="tel:988"' in html
    assert 'href="tel:911"' in html
    for leak in ("Traceback", "SECRET_KEY", "DATABASES", "settings.py", "csrfmiddlewaretoken"):
        assert leak not in html


def test_a_database_outage_answers_503_with_the_phone_number(client):
    client.raise_request_exception = False
    with mock.patch(
        "education.views.HomeView.get_context_data",
        side_effect=OperationalError("connection to server failed"),
    ):
        response = client.get("/")

    assert response.status_code == 503
    assert settings.CLINIC["phone"] in response.content.decode()
    assert response["Retry-After"] == "60"


def test_a_crash_shows_the_500_page_without_details(client):
    client.raise_request_exception = False
    with mock.patch("education.views.HomeView.get_context_data", side_effect=RuntimeError("boom")):
        response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "boom" not in html and settings.CLINIC["phone"] in html


def test_a_foreign_host_header_is_refused(client):
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_to_another_site(client, target, settings):
    settings.ADMIN_REQUIRE_2FA = False
    user_in_role(roles.COORDINATORS, username="casey")

    response = client.post(
        f"/admin/login/?next={target}",
        {"username": "casey", "password": "correct horse battery staple", "next": target},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_submission_leaves_no_trace_of_what_was_typed_in_logs_or_email(
    client, contact_data, caplog, capsys, django_capture_on_commit_callbacks
):
    marker = f"MARKER{uuid.uuid4().hex}"
    contact_data.update(
        name=f"Name {marker}", email=f"{marker.lower()}@example.com",
        message=f"Please help {marker}", source_page=f"/learn/?q={marker}",
    )  # fmt: skip
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", contact_data)
        client.get(f"/learn/search/?q={marker}")
    notify_staff.call(HelpRequest.objects.get().pk)

    out, err = capsys.readouterr()
    logged = caplog.text + out + err + "".join(str(r.__dict__) for r in caplog.records)
    assert marker not in logged and marker.lower() not in logged
    assert "request" in caplog.text  # the request lines were written
    assert mail.outbox and all(
        marker not in m.subject + m.body and marker.lower() not in m.body for m in mail.outbox
    )


XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_hostile_text_is_shown_inert_to_staff_and_on_the_thank_you_page(client, contact_data):
    contact_data.update(name=XSS, message=XSS + " ' OR 1=1; DROP TABLE intake_helprequest; --")
    thanks = client.post("/contact/", contact_data, follow=True)
    help_request = HelpRequest.objects.get()
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    assert help_request.name == XSS  # stored literally, SQL included
    assert "DROP TABLE" in help_request.message
    for page in (thanks, client.get("/admin/intake/helprequest/"),
                 client.get(f"/admin/intake/helprequest/{help_request.pk}/change/")):  # fmt: skip
        html = page.content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_hostile_text_in_every_consultation_field_is_inert_for_staff(
    client, consultation_data, mailoutbox, django_capture_on_commit_callbacks
):
    consultation_data.update(name=XSS, insurance_provider=XSS, message=XSS)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultation/", consultation_data)
    help_request = HelpRequest.objects.get()
    notify_staff.call(help_request.pk)
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    detail = client.get(f"/admin/intake/helprequest/{help_request.pk}/change/").content.decode()
    assert help_request.insurance_provider == XSS
    assert "<script>alert(1)" not in detail and "&lt;script&gt;alert(1)" in detail
    assert all("<script>" not in m.body for m in mailoutbox)


def test_hostile_cells_are_neutralised_in_the_csv_export(client):
    for payload in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"):
        HelpRequestFactory(name=payload)
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    response = client.post("/admin/intake/helprequest/export/", {"reason": "test", "query": ""})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    for row in rows:
        assert row["name"][:1] == "'", row["name"]


def test_reading_guides_creates_no_session(client, guides):
    for path in ("/", "/learn/", "/learn/heroin-withdrawal/", "/learn/search/?q=x"):
        response = client.get(path)
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_forms_still_work_without_a_prior_session(contact_data):
    fresh = Client(enforce_csrf_checks=True)
    page = fresh.get("/contact/")
    token = page.cookies["csrftoken"].value
    contact_data.update(csrfmiddlewaretoken=token, form_token=form_token())

    response = fresh.post("/contact/", contact_data)

    assert response.status_code == 302


# --- Client errors in the log ---------------------------------------------------------------


@pytest.fixture
def json_log():
    """The lines our JSON log handler writes while the test runs."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.mark.parametrize(
    ("trigger", "status"),
    [
        (lambda c: c.get("/", headers={"host": "evil.example"}), 400),
        (lambda c: c.post("/contact/", {f"f{n}": "x" for n in range(500)}), 413),
    ],
    ids=["foreign-host", "too-many-fields"],
)
def test_a_client_error_is_logged_as_a_warning_without_a_traceback(json_log, trigger, status):
    response = trigger(Client())

    security = [line for line in json_log() if line["logger"].startswith("django.security")]
    assert response.status_code == status
    assert security, "the refusal is still logged"
    for line in security:
        assert line["level"] == "WARNING" and "traceback" not in line


def test_a_real_failure_is_still_an_error_with_its_traceback(json_log):
    client = Client(raise_request_exception=False)
    with mock.patch("education.views.HomeView.get_context_data", side_effect=RuntimeError):
        assert client.get("/").status_code == 500

    errors = [line for line in json_log() if line["level"] == "ERROR"]
    assert errors and "traceback" in errors[0]


def test_a_forwarded_https_claim_is_believed_only_from_our_own_proxy(client, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.5/32")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    claim = {"HTTP_X_FORWARDED_PROTO": "https"}

    direct = client.get("/learn/", REMOTE_ADDR="198.51.100.7", **claim)
    via_proxy = client.get("/learn/", REMOTE_ADDR="10.0.0.5", **claim)

    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    assert via_proxy.status_code == 200
