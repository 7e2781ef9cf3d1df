"""The development administrator `make run` creates on a first run."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake.models import HelpRequest
from tests.factories import HelpRequestFactory


@pytest.mark.django_db
def test_first_development_run_creates_an_admin_and_prints_its_password_once(settings, capsys):
    settings.DJANGO_ENV = "development"

    call_command("create_dev_admin")
    first = capsys.readouterr().out
    call_command("create_dev_admin")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    assert len(password) >= 16
    assert second == ""


@pytest.mark.django_db
def test_no_admin_is_created_outside_development(settings):
    settings.DJANGO_ENV = "production"

    with pytest.raises(CommandError, match="only runs with DJANGO_ENV=development"):
        call_command("create_dev_admin")

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_housekeeping_deletes_expired_sessions_and_requests_past_retention():
    ended = SessionStore()
    ended["intake_thanks"] = {"reference": "MS-ABCDEF"}
    ended.set_expiry(-1)
    ended.save()
    current = SessionStore()
    current["intake_thanks"] = {"reference": "MS-GHJKMN"}
    current.save()
    old_spam = HelpRequestFactory(
        spam=True, status="spam", created_at=timezone.now() - timedelta(days=60)
    )

    call_command("housekeeping", "--once", stdout=None)

    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    assert not HelpRequest.objects.filter(pk=old_spam.pk).exists()
