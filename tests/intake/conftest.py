"""Fixtures for the intake tests."""

import pytest

from recovery_site import roles
from tests.factories import user_in_role


@pytest.fixture
def coordinator(client):
    """An intake coordinator, signed in."""
    user = user_in_role(roles.COORDINATORS, username="casey")
    client.force_login(user)
    return user
