"""The development administrator `make run` creates on a first run."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


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
