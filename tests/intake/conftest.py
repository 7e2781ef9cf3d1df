"""Fixtures for the intake tests."""

import pytest
from django.conf import settings
from django.utils import translation

from recovery_site import roles
from tests.factories import user_in_role


@pytest.fixture
def coordinator(client):
    """An intake coordinator, signed in."""
    user = user_in_role(roles.COORDINATORS, username="casey")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _english_unless_the_address_says_otherwise():
    """Each test starts in English: LanguageMiddleware activates a request's language for
    the thread and leaves it, so a /es/ request would make later tests' forms Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
