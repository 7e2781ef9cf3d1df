"""Browsers report Content-Security-Policy violations to us; we log the rule, never the visitor."""

import json
import logging

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from recovery_site import reporting

pytestmark = pytest.mark.django_db

SEARCH = "/learn/search/?q=my+son+jordan+overdosed"

# What Chrome sends for report-uri when an inline script is blocked on a search page.
REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": f"https://clinic.example.org{SEARCH}",
        "referrer": "https://clinic.example.org/contact/?name=Jordan",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'none'; report-uri /csp-report",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "column-number": 5,
        "source-file": f"https://clinic.example.org{SEARCH}",
        "status-code": 200,
        "script-sample": "alert('jordan@example.com')",
    }
}
# The Reporting API's batch (report-to): two violations and a report of another kind.
REPORT_TO_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://clinic.example.org/contact/?email=jordan%40example.com",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://clinic.example.org/contact/?email=jordan%40example.com",
            "referrer": "https://search.example/?q=heroin+help+portland",
            "blockedURL": "https://tracker.example.net/pixel.gif?visitor=jordan",
            "effectiveDirective": "img-src",
            "originalPolicy": "default-src 'none'",
            "sourceFile": "https://clinic.example.org/static/js/site.js",
            "sample": "",
            "disposition": "enforce",
            "statusCode": 200,
            "lineNumber": 40,
            "columnNumber": 7,
        },
    },
    {
        "type": "csp-violation",
        "url": "https://clinic.example.org/learn/",
        "body": {
            "documentURL": "https://clinic.example.org/learn/",
            "blockedURL": "eval",
            "effectiveDirective": "script-src",
            "disposition": "report",
            "sample": "x=1",
        },
    },
    {"type": "deprecation", "url": "https://clinic.example.org/", "body": {"id": "x"}},
]
PRIVATE = ["jordan", "Jordan", "overdosed", "?", "heroin", "pixel.gif", "alert", "x=1"]


def send(body, content_type="application/csp-report", client=None, **extra):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return (client or Client()).post("/csp-report", raw, content_type=content_type, **extra)


def logged(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "recovery_site.csp"]


@pytest.fixture(autouse=True)
def _capture(caplog):
    caplog.set_level(logging.WARNING, logger="recovery_site.csp")


def test_a_report_uri_report_is_logged_as_one_line_without_the_visitors_words(caplog):
    response = send(REPORT_URI_BODY, client=Client(enforce_csrf_checks=True))

    assert response.status_code == 204
    [line] = logged(caplog)
    assert line == (
        "csp violation directive=script-src-elem blocked=inline document=/learn/search/ "
        "disposition=enforce line=12 column=5"
    )
    assert [r.levelname for r in caplog.records if r.name == "recovery_site.csp"] == ["WARNING"]


def test_a_reporting_api_batch_logs_each_violation_without_queries_or_samples(caplog):
    response = send(REPORT_TO_BODY, content_type="application/reports+json")

    assert response.status_code == 204
    assert logged(caplog) == [
        "csp violation directive=img-src blocked=https://tracker.example.net "
        "document=/contact/ disposition=enforce line=40 column=7",
        "csp violation directive=script-src blocked=eval document=/learn/ "
        "disposition=report line=None column=None",
    ]
    for word in PRIVATE:
        assert not any(word in line for line in logged(caplog)), word


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/csp-report", 400),
        (b'{"csp-report": "text"}', "application/csp-report", 400),
        (b"42", "application/reports+json", 400),
        (b'{"csp-report": {"blocked-uri": "inline"}}', "text/plain", 415),
        (b'{"csp-report": {"blocked-uri": "inline"}}', "application/x-www-form-urlencoded", 415),
        (b'{"csp-report": {"\x00": "\x00"}}', "application/csp-report", 400),
        (b"\xff\xfe\x00{", "application/csp-report", 400),
        (b"[" * 20_000, "application/reports+json", 413),
        (b"[" * 8_000 + b"]" * 8_000, "application/reports+json", 400),
        (b'{"csp-report": {"line-number": 1' + b"0" * 5_000 + b"}}", "application/csp-report", 400),
        (b"x" * (16 * 1024 + 1), "application/csp-report", 413),
    ],
    ids=["broken-json", "not-an-object", "a-number", "text", "form", "nul-bytes", "not-utf8",
         "huge", "nested-deep", "huge-number", "one-byte-over"],
)  # fmt: skip
def test_anything_that_is_not_a_report_is_refused_without_an_error_or_a_log_line(
    caplog, body, content_type, status
):
    response = send(body, content_type=content_type)

    assert response.status_code == status
    assert logged(caplog) == []


def test_a_body_declared_larger_than_the_cap_is_refused_before_it_is_read(caplog):
    response = send(REPORT_URI_BODY, CONTENT_LENGTH=str(reporting.MAX_BODY_BYTES + 1))

    assert response.status_code == 413
    assert logged(caplog) == []


def test_hostile_values_inside_a_report_are_reduced_to_safe_words(caplog):
    body = {"csp-report": {
        "effective-directive": "script-src\x00; drop table",
        "blocked-uri": "javascript:alert('jordan')",
        "document-uri": "https://clinic.example.org/learn/\x00jordan?q=jordan",
        "disposition": "enforce\nforged line",
        "line-number": True,
        "column-number": -4,
    }}  # fmt: skip

    assert send(body).status_code == 204

    [line] = logged(caplog)
    assert line == (
        "csp violation directive=unknown blocked=javascript: document=unknown "
        "disposition=unknown line=None column=None"
    )


def test_reports_from_one_client_over_the_limit_are_accepted_but_not_logged(caplog, monkeypatch):
    monkeypatch.setattr(reporting, "RATE_LIMIT", 3)

    statuses = [send(REPORT_URI_BODY).status_code for _ in range(5)]
    other = send(REPORT_URI_BODY, REMOTE_ADDR="192.0.2.44")

    assert statuses == [204] * 5 and other.status_code == 204
    assert len(logged(caplog)) == 4


def test_reports_do_not_use_up_a_visitors_form_sends(client, contact_data, settings):
    settings.INTAKE_RATE_LIMIT = 1
    for _ in range(3):
        send(REPORT_URI_BODY, client=client)

    assert client.post("/contact/", contact_data).status_code == 302


def test_a_browser_opening_the_address_gets_method_not_allowed(client):
    assert client.get("/csp-report").status_code == 405


@pytest.mark.parametrize("path", ["/", "/contact/"])
def test_every_page_tells_browsers_where_to_report(client, path):
    response = client.get(path)

    csp = response["Content-Security-Policy"]
    assert "report-uri /csp-report" in csp and "report-to csp" in csp
    assert response["Reporting-Endpoints"] == 'csp="/csp-report"'


@hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=3000),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50)
            | st.sampled_from(["csp-violation", "inline", "https://x.example/a?b=c", "/"]),
            lambda children: st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["csp-report", "type", "body", "blocked-uri", "blockedURL",
                                 "document-uri", "documentURL", "line-number", "lineNumber",
                                 "effectiveDirective", "disposition"]) | st.text(max_size=10),
                children, max_size=6),
            max_leaves=20,
        ).map(json.dumps),
    ),
    content_type=st.sampled_from(["application/csp-report", "application/reports+json"]),
)  # fmt: skip
def test_no_body_ever_causes_a_server_error(body, content_type):
    response = send(body, content_type=content_type, REMOTE_ADDR="192.0.2.99")

    assert response.status_code in {204, 400, 413, 415}  # 415: an empty post has no type
