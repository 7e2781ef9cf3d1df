"""Production is the default posture: it refuses to start without its required values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "clinic.example.org",
    "DATABASE_URL": "postgres://clinic@db.example.org:5432/clinic",
    "SMTP_HOST": "smtp.example.org",
    "INTAKE_NOTIFY_EMAILS": "intake@clinic.example.org",
    "FIELD_ENCRYPTION_KEYS": "q1xKJ0gH4m6Bq9Ck7s5v0QyF3o8Zr2wT1nUe6pLdA4c=",
    "FIELD_INDEX_KEY": "a-long-random-index-key-for-this-test-only",
    "SITE_URL": "https://clinic.example.org",
    "TRUSTED_PROXIES": "172.30.80.10",
    "CLINIC_LICENCES": "Licensed by the state health department, licence no. 12345",
}


def clean_environment():
    """The test runner's environment without any of the values under test."""
    unwanted = {*PRODUCTION, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in unwanted}


def django_check(env_overrides, *args):
    env = clean_environment()
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SMTP_HOST", "INTAKE_NOTIFY_EMAILS",
        "FIELD_ENCRYPTION_KEYS", "FIELD_INDEX_KEY", "SITE_URL",
    ],
)  # fmt: skip
def test_production_refuses_to_start_without_a_required_value(missing):
    result = django_check({**PRODUCTION, missing: None})

    assert result.returncode != 0
    assert f"The environment variable {missing} is required" in result.stderr


def test_production_is_the_default_when_nothing_is_configured():
    result = django_check({})

    assert result.returncode != 0
    assert "is required in production" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = django_check(PRODUCTION, "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checklist_warns_when_the_proxy_address_is_not_set():
    result = django_check({**PRODUCTION, "TRUSTED_PROXIES": None}, "--deploy")

    assert "recovery_site.W001" in result.stdout + result.stderr


def test_the_checklist_warns_while_the_about_page_shows_sample_licences():
    result = django_check({**PRODUCTION, "CLINIC_LICENCES": None}, "--deploy")

    assert "recovery_site.W002" in result.stdout + result.stderr


def production_setting(expression: str) -> str:
    """What `expression` (about `settings`) prints under the production environment."""
    code = f"from django.conf import settings; print({expression})"
    env = {**clean_environment(), **PRODUCTION}
    env["DJANGO_SETTINGS_MODULE"] = "recovery_site.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for():
    assert production_setting("settings.DEBUG") == "False"


def test_only_the_test_suite_hashes_passwords_the_fast_way(settings):
    assert settings.PASSWORD_HASHERS[0].endswith(".MD5PasswordHasher")
    assert production_setting("settings.PASSWORD_HASHERS[0]").endswith(".PBKDF2PasswordHasher")


def test_a_mistyped_boolean_is_refused_with_its_name():
    result = django_check({**PRODUCTION, "DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_debug_is_refused_in_production():
    result = django_check({**PRODUCTION, "DEBUG": "true"})

    assert result.returncode != 0
    assert "DEBUG=true" in result.stderr
