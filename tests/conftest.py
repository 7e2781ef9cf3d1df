"""Fixtures shared by the whole suite."""

import pytest

from tests.factories import SuperuserFactory


@pytest.fixture
def admin_user(db):
    """A signed-in-able administrator (replaces pytest-django's fixture of the same name)."""
    return SuperuserFactory(username="chief")
