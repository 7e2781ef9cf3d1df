"""Publishing and unpublishing at a set time: an editor sets it in the clinic's time, the
task worker carries it out."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from education.models import Guide
from education.revisions import content_of
from education.services import draft_save, schedule_set
from education.tasks import carry_out_schedule
from tests.factories import GuideFactory, UserFactory
from tests.helpers import clinic_clock

pytestmark = pytest.mark.django_db

CLINIC = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture
def publisher(client):
    """A content editor who may publish."""
    user = UserFactory(username="robin")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_guide", "change_guide", "publish_guide"])
    )
    client.force_login(user)
    return user


@pytest.fixture
def drafted(publisher):
    """A live guide with a change waiting in a draft."""
    guide = GuideFactory(slug="withdrawal", body_markdown="The published words.\n")
    draft_save(
        guide=guide,
        content={**content_of(guide), "body_markdown": "The new words.\n"},
        author=publisher,
    )
    return guide


def schedule(guide) -> str:
    return f"/admin/education/guide/{guide.pk}/schedule/"


def clinic_time(days: int = 0, minutes: int = 0) -> datetime.datetime:
    """A time `days` and `minutes` from now, to the minute, in the clinic's time zone."""
    moment = timezone.localtime() + datetime.timedelta(days=days, minutes=minutes)
    return moment.replace(second=0, microsecond=0)


def as_typed(moment: datetime.datetime) -> str:
    """What a date-and-time input sends."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_an_editor_sets_a_publish_time_in_the_clinics_time_and_the_worker_is_queued(
    client, drafted, django_capture_on_commit_callbacks
):
    at = clinic_time(days=1).replace(hour=9, minute=30)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(schedule(drafted), {"publish_at": as_typed(at)})

    assert response.status_code == 302
    assert at.tzinfo.key == settings.TIME_ZONE
    drafted.refresh_from_db()
    assert drafted.publish_at == at
    queued = DBTaskResult.objects.get(task_path="education.tasks.carry_out_schedule")
    assert queued.run_after == at
    change_form = client.get(f"/admin/education/guide/{drafted.pk}/change/")
    assert change_form.context["schedule_url"] == schedule(drafted)
    assert change_form.context["schedule_summary"].startswith("Publishes")


def test_a_time_that_has_passed_is_refused(client, drafted):
    response = client.post(schedule(drafted), {"publish_at": as_typed(clinic_time(minutes=-1))})

    assert response.status_code == 200
    assert "That time has already passed. Choose a later time." in response.content.decode()
    assert Guide.objects.get(pk=drafted.pk).publish_at is None


def test_unpublishing_before_publishing_is_refused(client, drafted):
    publish_at = clinic_time(days=1)
    unpublish_at = publish_at - datetime.timedelta(hours=1)

    response = client.post(
        schedule(drafted),
        {"publish_at": as_typed(publish_at), "unpublish_at": as_typed(unpublish_at)},
    )

    assert "Choose a time after it is published." in response.content.decode()


def test_clearing_the_times_leaves_nothing_set(client, drafted):
    schedule_set(guide=drafted, publish_at=timezone.now() + datetime.timedelta(days=1))

    client.post(schedule(drafted), {"publish_at": "", "unpublish_at": ""})

    drafted.refresh_from_db()
    assert drafted.publish_at is None and drafted.unpublish_at is None


def test_only_someone_who_may_publish_sets_times(client, drafted):
    editor = UserFactory(username="sam")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_guide", "change_guide"])
    )
    client.force_login(editor)

    assert client.get(schedule(drafted)).status_code == 403
    assert (
        client.get(f"/admin/education/guide/{drafted.pk}/change/").context["schedule_url"] is None
    )


def test_the_worker_publishes_a_guide_whose_time_has_come(client, drafted, monkeypatch):
    clinic_clock(monkeypatch, 2026, 11, 23, 9, 0)
    schedule_set(guide=drafted, publish_at=datetime.datetime(2026, 11, 24, 9, 30, tzinfo=CLINIC))
    carry_out_schedule.call()  # early: nothing happens yet
    assert "The published words." in client.get("/learn/withdrawal/").content.decode()

    clinic_clock(monkeypatch, 2026, 11, 24, 9, 30)
    done = carry_out_schedule.call()  # as the worker runs it, at that time

    assert done["published"] == ["withdrawal"]
    assert "The new words." in client.get("/learn/withdrawal/").content.decode()
    drafted.refresh_from_db()
    assert drafted.publish_at is None and drafted.draft is None


def test_the_worker_takes_a_guide_off_the_site_at_its_time(client, drafted, monkeypatch):
    clinic_clock(monkeypatch, 2026, 11, 23, 9, 0)
    schedule_set(guide=drafted, unpublish_at=datetime.datetime(2026, 11, 23, 17, 0, tzinfo=CLINIC))

    clinic_clock(monkeypatch, 2026, 11, 23, 17, 1)
    carry_out_schedule.call()

    assert client.get("/learn/withdrawal/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_itself_carries_out_a_set_time(client, drafted):
    with_time_just_past = timezone.now() + datetime.timedelta(seconds=1)
    schedule_set(guide=drafted, publish_at=with_time_just_past)
    Guide.objects.filter(pk=drafted.pk).update(publish_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert "The new words." in client.get("/learn/withdrawal/").content.decode()


def test_a_time_years_away_is_refused_as_a_typo(client, drafted):
    response = client.post(schedule(drafted), {"publish_at": "9999-12-31T23:59"})

    assert response.status_code == 200
    assert "Please choose a time within the next two years." in response.content.decode()
    assert Guide.objects.get(pk=drafted.pk).publish_at is None
