"""What `make bench` and scripts/bench_queue.py get from `prepare_bench` and
`time_staff_queue`, the refusal that keeps a staff session off a real site, and the bare
Django reference and table of scripts/bench.py."""

import importlib.util
import json
import os
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from intake.models import HelpRequest
from recovery_site import roles
from tests.servers import ROOT

QUEUE = "/admin/intake/helprequest/"


def prepare_bench(*options: str) -> dict:
    """Run the command as the bench scripts do; return the summary it prints last."""
    out = StringIO()
    call_command("prepare_bench", *options, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_bench_setup_is_refused_with_production_settings(settings, tmp_path):
    settings.DJANGO_ENV = "production"
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refused with production settings"):
        prepare_bench("--staff-session", "--tokens-file", str(tmp_path / "tokens.txt"))

    assert not get_user_model().objects.exists()
    assert not Session.objects.exists()
    assert not (tmp_path / "tokens.txt").exists()


@pytest.mark.django_db
def test_bench_setup_runs_with_production_settings_only_when_told_to(settings):
    settings.DJANGO_ENV = "production"
    settings.DEBUG = False

    prepared = prepare_bench("--staff-session", "--allow-production")

    assert Session.objects.filter(session_key=prepared["staff_session"]).exists()


@pytest.mark.django_db
def test_fake_requests_are_refused_in_production_even_when_the_bench_is_allowed(settings):
    settings.DJANGO_ENV = "production"
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing to add fake requests"):
        prepare_bench("--rows", "3", "--allow-production")

    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_the_bench_session_is_an_intake_coordinator_who_can_open_the_queue(client):
    prepared = prepare_bench("--staff-session")

    bench = get_user_model().objects.get(username="bench")
    assert bench.is_staff and not bench.is_superuser
    assert list(bench.groups.values_list("name", flat=True)) == [roles.COORDINATORS]
    client.cookies["sessionid"] = prepared["staff_session"]
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_a_second_bench_session_signs_in_the_same_coordinator():
    first = prepare_bench("--staff-session")
    second = prepare_bench("--staff-session")

    assert first["staff_session"] != second["staff_session"]
    assert get_user_model().objects.filter(username="bench").count() == 1


@pytest.mark.django_db
def test_each_bench_form_token_sends_one_consultation(consultation_data, tmp_path):
    tokens_file = tmp_path / "tokens.txt"

    prepared = prepare_bench("--tokens-file", str(tokens_file), "--tokens", "3")

    tokens = tokens_file.read_text().splitlines()
    assert prepared["tokens_file"] == str(tokens_file)
    assert len(set(tokens)) == 3
    # As wrk posts them (scripts/bench.lua): no session, another address each time.
    for number, token in enumerate(tokens):
        consultation_data.update(form_token=token, email=f"bench-{number}@example.com")
        response = Client().post("/consultation/", consultation_data)
        assert response.status_code == 302
        assert response["Location"] == "/consultation/thanks/"
    assert HelpRequest.objects.count() == 3


@pytest.mark.django_db
def test_fake_requests_are_added_up_to_the_number_asked_for_once():
    first = prepare_bench("--rows", "4")
    second = prepare_bench("--rows", "4")

    assert first == second == {"requests": 4, "duplicate_submissions": 0}
    assert HelpRequest.objects.count() == 4


@pytest.mark.django_db
def test_the_queue_timings_list_each_page_with_its_query_count():
    prepared = prepare_bench("--rows", "3", "--staff-session")
    out = StringIO()

    call_command(
        "time_staff_queue", "--session", prepared["staff_session"], "--runs", "2",
        "--warm-ups", "1", stdout=out,
    )  # fmt: skip

    lines = out.getvalue().splitlines()
    assert lines[0] == "3 requests; 2 runs each after 1 warm-ups"
    pages = [line[:32].strip() for line in lines[2:]]
    assert pages == [
        "queue (open, oldest first)",
        "queue page 20",
        "overdue filter",
        "search name part",
        "search name without accents",
        "search reference, no prefix",
        "search phone run (area+exch.)",
        "search phone (other format)",
        "search email",
        "reports (last 12 weeks)",
        "reports (a year)",
    ]
    assert all(int(line.split()[-1]) > 0 for line in lines[2:])


@pytest.mark.django_db
def test_the_queue_timings_stop_when_the_session_is_not_signed_in():
    prepare_bench("--rows", "1")

    with pytest.raises(CommandError, match="answered 302, not 200"):
        call_command("time_staff_queue", "--session", "not-a-session", stdout=StringIO())


def bench_script():
    """scripts/bench.py as `make bench` runs it (a script, not a package: loaded by path)."""
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_bare_django_reference_serves_the_saved_page_and_nothing_more(tmp_path):
    bench = bench_script()
    saved = tmp_path / "guide.html"
    saved.write_bytes("<!doctype html><title>Withdrawal</title><p>Día 1 …</p>".encode())
    env = {**os.environ, "BARE_DJANGO_PAGE": str(saved)}

    server, base = bench.start_gunicorn(
        "bare_django:application", env=env, up="/learn/heroin-withdrawal/", workers=1,
        pythonpath=str(ROOT / "scripts"),
    )  # fmt: skip
    try:
        status, page, headers = bench.fetch(base + "/learn/heroin-withdrawal/")
        other_path = bench.fetch(base + "/anything/else/?q=1")[1]
    finally:
        bench.stop(server)

    assert status == 200
    assert page == other_path == saved.read_bytes()
    assert headers["Content-Length"] == str(len(saved.read_bytes()))
    # No middleware: none of the headers our stack adds to every page.
    assert not {"Content-Security-Policy", "X-Frame-Options", "Set-Cookie", "ETag"} & set(headers)


def test_the_bench_table_shows_each_page_against_the_three_references_and_its_target():
    bench = bench_script()

    def measured(rps, p50=3.0):
        return {"rps": rps, "p50": p50, "p95": 5.0, "p99": 9.0, "good": 10, "bad": 0,
                "socket_errors": 0, "all_rps": [rps - 1, rps, rps + 1]}  # fmt: skip

    results = [
        (bench.Scenario(bench.BARE_DJANGO, "http://bare/"), measured(5000)),
        (bench.Scenario(bench.OUR_STACK, "http://site/bench/ceiling/"), measured(2500)),
        (bench.Scenario(bench.NGINX_STATIC, "http://static/"), measured(50000)),
        (bench.Scenario("a guide", "http://site/learn/", target=0.90), measured(4600)),
        (bench.Scenario('search "narcan"', "http://site/learn/search/", target=0.30),
         measured(200)),
        (bench.Scenario("a guide behind nginx", "http://proxy/learn/", target=0.50,
                        target_of=bench.NGINX_STATIC), measured(30000)),
        (bench.Scenario("staff queue", "http://site/admin/", under_ms=50), measured(25, 41.0)),
    ]  # fmt: skip

    lines = bench.table(results)
    header, bare, _stack, static, guide, search, proxied, queue = lines[:8]

    assert header.split()[:8] == ["page", "req/s", "p50", "ms", "p95", "ms", "p99", "ms"]
    assert "of bare" in header and "of stack" in header and "of nginx" in header
    # After the page's name: req/s, p50, p95, p99, ratios to bare Django, our stack and
    # nginx static, then the target.
    assert bare[38:].split()[:7] == ["5000", "3.0", "5.0", "9.0", "1.000", "2.00", "0.100"]
    assert static[38:].split()[:7] == ["50000", "3.0", "5.0", "9.0", "10.000", "20.00", "1.000"]
    assert guide[38:].split()[:12] == ["4600", "3.0", "5.0", "9.0", "0.920", "1.84", "0.092",
                                       ">=", "0.90", "of", "bare", "met"]  # fmt: skip
    assert search[38:].split()[7:13] == [">=", "0.30", "of", "bare", "NOT", "met"]
    assert proxied[38:].split()[4:12] == ["6.000", "12.00", "0.600", ">=", "0.50", "of",
                                          "nginx", "met"]  # fmt: skip
    assert queue[38:].split()[7:12] == ["p50", "<", "50", "ms", "met"]
    # Each round's figure beside the median, and which targets were missed, said plainly.
    assert "req/s by round [4599, 4600, 4601]" in guide
    assert 'Targets met: 3 of 4; not met: search "narcan"' in lines
