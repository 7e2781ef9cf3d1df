"""Staff's changes reach readers' pages once they are committed, and only then."""

import pytest
from django.core.cache import cache
from django.db import transaction

from education.models import Guide
from education.page_cache import VERSION_KEY
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


class EditAbandoned(Exception):
    """What ends an edit before it is saved: an error in a later step, say."""


@pytest.fixture
def version_before(guides):
    cache.set(VERSION_KEY, "before the edit", timeout=None)
    return "before the edit"


def test_an_edit_changes_the_content_version_only_once_it_is_committed(
    version_before, django_capture_on_commit_callbacks
):
    guide = Guide.objects.get(slug="heroin-withdrawal")

    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Withdrawal, explained by our nurses"
        guide.save()
        # Another process reading the version now would still see the old rows.
        assert cache.get(VERSION_KEY) == version_before

    assert cache.get(VERSION_KEY) != version_before


def test_an_edit_rolled_back_leaves_the_content_version_alone(
    version_before, django_capture_on_commit_callbacks
):
    guide = Guide.objects.get(slug="heroin-withdrawal")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(EditAbandoned),
        transaction.atomic(),
    ):
        guide.title = "Withdrawal, explained by our nurses"
        guide.save()
        raise EditAbandoned

    assert callbacks == []
    assert cache.get(VERSION_KEY) == version_before


def test_adding_or_deleting_a_source_changes_the_content_version(
    version_before, django_capture_on_commit_callbacks
):
    guide = Guide.objects.get(slug="heroin-withdrawal")

    with django_capture_on_commit_callbacks(execute=True):
        source = SourceFactory(guide=guide)
    added = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        source.delete()

    assert version_before != added != cache.get(VERSION_KEY)
