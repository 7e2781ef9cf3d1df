"""Keeping only what we need (purge_intake), and demo data for the queue (seed_demo_requests)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.hours import business_hours_between, response_due
from intake.models import AuditEntry, ContactAttempt, HelpRequest
from recovery_site import roles
from tests.factories import HelpRequestFactory, user_in_role

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def aged_requests(settings):
    settings.INTAKE_RETENTION_DAYS = 365
    return {
        "old_spam": HelpRequestFactory(
            spam=True, status="spam", created_at=days_ago(40), spam_marked_at=days_ago(31)
        ),
        "new_spam": HelpRequestFactory(
            spam=True, status="spam", created_at=days_ago(29), spam_marked_at=days_ago(29)
        ),
        # Arrived long ago, marked spam by staff only yesterday: its 30 days have just begun.
        "old_request_marked_spam_yesterday": HelpRequestFactory(
            spam=True, status="spam", created_at=days_ago(90), spam_marked_at=days_ago(1)
        ),
        "old_closed": HelpRequestFactory(status="closed", closed_at=days_ago(366)),
        "recently_closed": HelpRequestFactory(status="closed", closed_at=days_ago(300)),
        "held": HelpRequestFactory(status="closed", closed_at=days_ago(900), legal_hold=True),
        "old_but_open": HelpRequestFactory(created_at=days_ago(900)),
    }


def test_purge_deletes_old_spam_and_old_closed_requests_only(aged_requests, capsys):
    call_command("purge_intake")

    left = set(HelpRequest.objects.values_list("pk", flat=True))
    expected = {
        aged_requests[k].pk
        for k in (
            "new_spam", "old_request_marked_spam_yesterday", "recently_closed", "held",
            "old_but_open",
        )
    }  # fmt: skip
    assert left == expected
    assert "Deleted 1 request(s) marked spam" in capsys.readouterr().out


def test_purge_writes_counts_never_contents_to_the_audit_trail(aged_requests):
    call_command("purge_intake")

    entry = AuditEntry.objects.get(action="purge")
    assert entry.details["spam"] == 1 and entry.details["closed"] == 1
    assert entry.details["kept_on_legal_hold"] == 1
    text = str(entry.details)
    assert not any(r.name in text or r.reference in text for r in aged_requests.values())


def test_a_dry_run_counts_and_deletes_nothing(aged_requests, capsys):
    call_command("purge_intake", dry_run=True)

    assert HelpRequest.objects.count() == len(aged_requests)
    assert "Would delete 1 request(s) marked spam" in capsys.readouterr().out
    assert not AuditEntry.objects.exists()


def test_retention_days_come_from_settings(aged_requests, settings):
    settings.INTAKE_RETENTION_DAYS = 200

    call_command("purge_intake")

    assert not HelpRequest.objects.filter(pk=aged_requests["recently_closed"].pk).exists()


def test_spam_retention_days_come_from_settings(aged_requests, settings):
    settings.INTAKE_SPAM_RETENTION_DAYS = 20

    call_command("purge_intake")

    assert not HelpRequest.objects.filter(pk=aged_requests["new_spam"].pk).exists()


def test_the_privacy_notice_states_the_spam_retention_the_purge_uses(client, settings):
    settings.INTAKE_SPAM_RETENTION_DAYS = 14

    html = client.get("/privacy/").content.decode()

    assert (
        "Requests marked as spam are deleted automatically 14 days after they were marked." in html
    )


def test_seed_demo_requests_fills_realistic_fake_requests():
    call_command("seed_demo_requests", 300)

    assert HelpRequest.objects.count() == 300
    assert HelpRequest.objects.queue().exists()
    assert HelpRequest.objects.filter(spam=True).exists()
    assert HelpRequest.objects.values("reference").distinct().count() == 300


def test_referred_and_not_a_fit_are_purged_like_closed(settings):
    settings.INTAKE_RETENTION_DAYS = 365
    referred = HelpRequestFactory(status="referred", closed_at=days_ago(400))
    not_a_fit = HelpRequestFactory(status="not_a_fit", closed_at=days_ago(400))

    call_command("purge_intake")

    assert not HelpRequest.objects.filter(pk__in=[referred.pk, not_a_fit.pk]).exists()


def test_a_request_staff_moved_out_of_spam_is_not_purged_as_spam():
    rescued = HelpRequestFactory(spam=False, status="new", created_at=days_ago(60))

    call_command("purge_intake")

    assert HelpRequest.objects.filter(pk=rescued.pk).exists()


def test_seeded_requests_can_be_filtered_by_program(client):
    call_command("seed_demo_requests", 200)
    client.force_login(user_in_role(roles.COORDINATORS, username="casey"))

    html = client.get("/admin/intake/helprequest/", {"program": "detox", "status": "all"})

    assert HelpRequest.objects.filter(program_index__gt="").exists()
    assert html.content.decode().count("Medically supervised detox") >= 1


@pytest.fixture
def seeded():
    call_command("seed_demo_requests", 1000, seed=16)
    return HelpRequest.objects.prefetch_related("contact_attempts")


def test_seeded_attempts_match_each_request_s_summary(seeded):
    tried = [item for item in seeded if item.attempt_count]

    assert len(tried) > len(seeded) / 2
    for item in seeded:
        attempts = list(item.contact_attempts.all())
        assert item.attempt_count == len(attempts)
        if not attempts:
            assert item.first_attempt_at is item.last_attempt_at is item.first_contact_at is None
            continue
        spoke = [a.attempted_at for a in attempts if a.outcome == ContactAttempt.Outcome.SPOKE]
        assert item.first_attempt_at == attempts[0].attempted_at
        assert (item.last_attempt_at, item.last_attempt_outcome) == (
            attempts[-1].attempted_at,
            attempts[-1].outcome,
        )
        assert item.first_contact_at == (spoke[0] if spoke else None)
        assert item.assigned_to == attempts[0].made_by
        assert item.created_at <= item.first_attempt_at <= item.last_attempt_at <= timezone.now()
        assert item.updated_at <= timezone.now()


def test_seeded_business_hours_are_those_between_arrival_and_first_attempt_and_contact(seeded):
    reached = [item for item in seeded if item.first_contact_at]

    assert reached
    for item in seeded.filter(first_attempt_at__isnull=False):
        assert item.business_hours_to_first_attempt == pytest.approx(
            business_hours_between(item.created_at, item.first_attempt_at)
        )
    for item in reached:
        assert item.business_hours_to_first_contact == pytest.approx(
            business_hours_between(item.created_at, item.first_contact_at)
        )


def test_every_seeded_outcome_has_the_details_its_status_asks_for(seeded):
    for item in seeded:
        item.clean()  # raises ValidationError when an outcome lacks its details
        assert (item.closed_at is not None) == item.is_finished
        assert item.respond_by == response_due(item.created_at, urgent=item.urgent)

    started = seeded.filter(close_reason=HelpRequest.CloseReason.STARTED_CARE)
    reached = seeded.filter(first_contact_at__isnull=False)
    assert 0.2 < started.count() / reached.count() < 0.45
    assert set(seeded.values_list("status", flat=True)) == set(HelpRequest.Status)


def test_seeded_requests_arrive_over_half_a_year_with_sources_languages_and_spam(seeded):
    oldest = timezone.now() - timedelta(weeks=26, days=1)
    real = seeded.filter(spam=False)

    assert not seeded.filter(created_at__lt=oldest).exists()
    assert 0.6 < real.exclude(heard_about_index="").count() / real.count() < 0.8
    assert seeded.filter(language=HelpRequest.Language.SPANISH).count() > 60
    assert seeded.filter(kind=HelpRequest.Kind.CONSULTATION).exclude(program_index="").exists()
    assert seeded.filter(held_on_arrival=True, spam=True).exists()
    assert seeded.filter(held_on_arrival=True, spam=False).exists()
    for item in seeded.filter(heard_about_index__gt=""):
        assert item.heard_about_index == HelpRequest.program_index_for(item.heard_about)


def test_seeding_twice_adds_other_fake_people_without_clashing(seeded):
    call_command("seed_demo_requests", 50)

    assert HelpRequest.objects.count() == 1050


def test_the_same_seed_seeds_the_same_clinic():
    def people():
        columns = ("name", "kind", "language", "urgent", "heard_about", "program")
        return [
            tuple(getattr(item, c) for c in columns) for item in HelpRequest.objects.order_by("pk")
        ]

    call_command("seed_demo_requests", 100, seed=7)
    first = people()
    HelpRequest.objects.all().delete()
    call_command("seed_demo_requests", 100, seed=7)

    assert people() == first
