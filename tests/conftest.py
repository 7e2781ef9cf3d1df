"""Fixtures shared by the whole suite."""

import importlib

import pytest
from django.apps import apps as django_apps

from tests.factories import SuperuserFactory
from tests.helpers import form_token


@pytest.fixture
def admin_user(db):
    """A signed-in-able administrator (replaces pytest-django's fixture of the same name)."""
    return SuperuserFactory(username="chief")


@pytest.fixture
def guides(db):
    """The shipped starting guides, loaded as `make run` loads them."""
    from education.models import Guide
    from education.services import guides_load

    guides_load()
    return Guide.objects.published()


@pytest.fixture
def contact_data():
    """What a person fills in on "Send us a message"."""
    return {
        "name": "Jordan Avery",
        "email": "jordan@example.com",
        "phone": "",
        "message": "My brother has been using for a year. What can we do?",
        "form_token": form_token(),
        "leave_blank": "",
    }


@pytest.fixture
def consultation_data():
    """A complete, valid consultation request."""
    return {
        "name": "Sam Rivera",
        "phone": "(202) 555-0143",
        "email": "",
        "preferred_contact": "call",
        "contact_window": "evening",
        "voicemail_ok": "no",
        "who_needs_help": "someone_else",
        "substances": ["heroin", "fentanyl"],
        "program": "not_sure",
        "insurance": "medicaid_medicare",
        "insurance_provider": "",
        "state": "ME",
        "message": "",
        "form_token": form_token(),
        "leave_blank": "",
    }


@pytest.fixture(scope="session")
def _roles_migration():
    """The data migration that creates the staff roles, and the models as it knows them."""
    from django.db.migrations.loader import MigrationLoader

    state = MigrationLoader(None, ignore_no_migrations=True).project_state(("intake", "0002_roles"))
    return importlib.import_module("intake.migrations.0002_roles"), state.apps


@pytest.fixture
def staff_roles(transactional_db, _roles_migration):
    """The staff roles, for tests that commit: those end by emptying every table.

    Not serialized_rollback: Django keeps its serialized copy on the connection object, and
    once Playwright has started, the test thread is given a new one (connections are
    context-local), so the copy is lost whenever a test without a browser ran first.
    """
    migration, historical_apps = _roles_migration
    migration.create_roles(historical_apps, schema_editor=None)
    # Created as "article" permissions, as then; education 0007 renamed them "guide".
    renamed = importlib.import_module("education.migrations.0007_guide_permissions")
    renamed.forwards(django_apps, schema_editor=None)
    # Contact attempts came later (intake 0011): the roles that work requests log them.
    attempts = importlib.import_module("intake.migrations.0011_contact_attempt_roles")
    attempts.grant(django_apps, schema_editor=None)
    # And the Reports page later still (intake 0015).
    reports = importlib.import_module("intake.migrations.0015_reports_permission")
    reports.grant(django_apps, schema_editor=None)
    # Publishing, approving and the Clinical reviewers role (education 0012).
    editorial = importlib.import_module("education.migrations.0012_editorial_roles")
    editorial.grant(django_apps, schema_editor=None)
