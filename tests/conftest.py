"""Fixtures shared by the whole suite."""

import pytest

from tests.factories import SuperuserFactory


@pytest.fixture
def admin_user(db):
    """A signed-in-able administrator (replaces pytest-django's fixture of the same name)."""
    return SuperuserFactory(username="chief")


@pytest.fixture
def guides(db):
    """The shipped starting guides, loaded as `make run` loads them."""
    from education.models import Article
    from education.services import guides_load

    guides_load()
    return Article.objects.published()


def form_token(seconds_ago: float = 30, key: str | None = None) -> str:
    """A form token as the page would have issued it `seconds_ago`."""
    import time
    import uuid

    from django.core import signing

    from intake.forms import TOKEN_SALT

    payload = {"at": time.time() - seconds_ago, "key": key or str(uuid.uuid4())}
    return signing.dumps(payload, salt=TOKEN_SALT)


@pytest.fixture
def contact_data():
    """What a person fills in on "Send us a message"."""
    return {
        "name": "Jordan Avery",
        "email": "jordan@example.com",
        "phone": "",
        "message": "My brother has been using for a year. What can we do?",
        "form_token": form_token(),
        "website": "",
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
        "consent_contact": "on",
        "form_token": form_token(),
        "website": "",
    }
