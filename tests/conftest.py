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
