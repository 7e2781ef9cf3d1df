"""Writes to the guides that do more than save a form: loading the shipped guides and the
search's words (loading.py), and the editing workflow of drafts, publishing, approval and
revisions (publishing.py). Imported from here."""

from education.services.loading import (
    CONTENT_DIR,
    UNTOUCHED_SINCE_LOAD,
    GuideFileError,
    LoadReport,
    guides_load,
    parse_guide,
    search_pages_index,
    search_words_refresh,
    search_words_refreshed_once,
)
from education.services.publishing import (
    ApprovalNeeded,
    draft_approve,
    draft_discard,
    draft_save,
    guide_publish,
    guide_unpublish,
    revision_revert,
    schedule_set,
    scheduled_changes_carry_out,
)

__all__ = [
    "CONTENT_DIR", "UNTOUCHED_SINCE_LOAD", "ApprovalNeeded", "GuideFileError", "LoadReport",
    "draft_approve", "draft_discard", "draft_save", "guide_publish", "guide_unpublish",
    "guides_load", "parse_guide", "revision_revert", "schedule_set",
    "scheduled_changes_carry_out", "search_pages_index", "search_words_refresh",
    "search_words_refreshed_once",
]  # fmt: skip
