"""What `make bench` and scripts/bench_queue.py get from `prepare_bench` and
`time_staff_queue`, and the refusal that keeps a staff session off a real site."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from intake.models import HelpRequest
from recovery_site import roles

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
        "search name",
        "search email",
        "search phone (other format)",
        "search reference",
    ]
    assert all(int(line.split()[-1]) > 0 for line in lines[2:])


@pytest.mark.django_db
def test_the_queue_timings_stop_when_the_session_is_not_signed_in():
    prepare_bench("--rows", "1")

    with pytest.raises(CommandError, match="answered 302, not 200"):
        call_command("time_staff_queue", "--session", "not-a-session", stdout=StringIO())
