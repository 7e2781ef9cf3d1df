"""What can be asked of many guides at once: published, featured, due for review, search;
and of reviewers: the About page's clinical team."""

import datetime
import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import models

# English stemming that ignores accents (made by migration 0008): used for the stored
# vectors and for every query, so "naloxóne" and "NALOXONE" both find "naloxone".
SEARCH_CONFIG = "english_unaccent"
# SQL: a `word`'s lexeme as the vectors hold it ('' for a stop word), %(config)s given.
LEXEME_OF_WORD = (
    "array_to_string(tsvector_to_array(to_tsvector(%(config)s::regconfig, word)), ' ')"
)  # fmt: skip
REVIEW_DUE_SOON_DAYS = 30


def plain_words(text: str) -> str:
    """Text as search compares it: lower case, no accents, words and numbers one space apart."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", unaccented))


class SearchableQuerySet(models.QuerySet):
    """Rows with a stored `search_vector` (guides, the clinic's pages) found by a visitor's words."""

    def refresh_search_vectors(self) -> int:
        """Store each row's words, the title weighing most, then the summary, then the body."""
        return self.update(
            search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
        )

    def matching(self, *, every: SearchQuery, some: SearchQuery):
        """Rows with any of the words, those with every word first, best match first.

        `every` joins the words with AND, `some` with OR: one query serves both the search
        and its fallback when no row has every word.
        """
        vector = models.F("search_vector")
        return (
            self.filter(search_vector=some)
            .annotate(
                has_every=models.ExpressionWrapper(
                    models.Q(search_vector=every), output_field=models.BooleanField()
                ),
                rank_every=SearchRank(vector, every),
                rank_some=SearchRank(vector, some),
                snippet=SearchHeadline(
                    "body_text",
                    some,
                    config=SEARCH_CONFIG,
                    # Markers that cannot occur in text; the page escapes, then marks up.
                    start_sel="\x02",
                    stop_sel="\x03",
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-has_every", "-rank_every", "-rank_some", "title")
        )


class ReviewerQuerySet(models.QuerySet):
    def about_team(self):
        """The clinical team the About page lists, in the order administrators set.

        A placeholder is a sample nobody employs, and an inactive clinician has left: the
        page names neither, whatever the box says.
        """
        return self.filter(on_about_page=True, active=True, placeholder=False).order_by(
            "about_order", "name"
        )


class GuideQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def featured(self):
        return self.published().filter(featured=True)

    def review_due(self, *, today: datetime.date, within_days: int = REVIEW_DUE_SOON_DAYS):
        """Guides whose next medical review falls within `within_days`, or has passed."""
        return self.filter(next_review_on__lte=today + datetime.timedelta(days=within_days))

    def review_overdue(self, *, today: datetime.date):
        return self.filter(next_review_on__lt=today)

    def search(self, *, every: SearchQuery, some: SearchQuery):
        """Published guides with a visitor's words (education/search.py builds the queries)."""
        return self.published().matching(every=every, some=some).select_related("topic")
