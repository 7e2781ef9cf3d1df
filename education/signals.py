"""What follows a change to what readers see: every process drops the pages it keeps."""

from django.db import transaction

from education.models import Guide, Reviewer, SearchPage, SearchSynonym, SlugRedirect, Source, Topic
from education.page_cache import bump_content_version
from education.services import search_words_refresh

# Everything a reader's page or search result is built from; apps.py connects a save or
# delete of each.
READER_CONTENT = (Guide, Topic, Source, SlugRedirect, SearchPage, SearchSynonym, Reviewer)
# Everything whose words a misspelling may be corrected to.
SEARCH_VOCABULARY = (Guide, SearchPage, SearchSynonym)


def reader_content_changed(*, using: str, **kwargs) -> None:
    """Bump the content version once the change is committed, not before.

    Bumped inside the transaction, another process could read the new version, render the
    page from the still-uncommitted old rows and keep that old page under the new version.
    A change that is rolled back bumps nothing.
    """
    transaction.on_commit(bump_content_version, using=using)


def search_vocabulary_changed(**kwargs) -> None:
    """Rebuild the search's words at once, in the same transaction as the change."""
    search_words_refresh()
