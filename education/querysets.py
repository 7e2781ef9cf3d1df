"""What can be asked of many guides at once: published, featured, due for review, search;
and of reviewers: the About page's clinical team."""

import datetime
import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import models

# Stemming that ignores accents, per language (made by migrations 0008 and 0014): a row's
# vector is stored with its own language's, a query uses the visitor's, so "naloxóne" and
# "NALOXONE" both find "naloxone", and "heroina" finds "heroína".
SEARCH_CONFIGS = {"en": "english_unaccent", "es": "spanish_unaccent"}
SEARCH_CONFIG = SEARCH_CONFIGS["en"]
# SQL: a `word`'s lexeme as the vectors hold it ('' for a stop word), %(config)s given.
LEXEME_OF_WORD = (
    "array_to_string(tsvector_to_array(to_tsvector(%(config)s::regconfig, word)), ' ')"
)  # fmt: skip
REVIEW_DUE_SOON_DAYS = 30


def search_config(language: str) -> str:
    """The text search configuration of `language` (English for one search has none of)."""
    return SEARCH_CONFIGS.get(language, SEARCH_CONFIGS[settings.LANGUAGE_CODE])


def plain_words(text: str) -> str:
    """Text as search compares it: lower case, no accents, words and numbers one space apart."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    unaccented = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", unaccented))


def _vector(config: str) -> SearchVector:
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body_text", weight="C", config=config)
    )


class SearchableQuerySet(models.QuerySet):
    """Rows with a stored `search_vector` (guides, the clinic's pages) found by a visitor's words."""

    def refresh_search_vectors(self) -> int:
        """Store each row's words in its own language, the title weighing most, then the
        summary, then the body."""
        return self.update(
            search_vector=models.Case(
                *(
                    models.When(language=language, then=_vector(config))
                    for language, config in SEARCH_CONFIGS.items()
                ),
                default=_vector(SEARCH_CONFIG),
                output_field=SearchVectorField(),
            )
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
                    config=some.config,  # the visitor's language
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

    def readable_in(self, language: str):
        """The published guides a reader of `language` is offered: those in it, and the
        English ones with no published translation into it (shown as being in English)."""
        if language == settings.LANGUAGE_CODE:
            return self.published().filter(language=language)
        translated = self.model.objects.published().filter(
            translation_of=models.OuterRef("pk"), language=language
        )
        return self.published().filter(
            models.Q(language=language)
            | models.Q(language=settings.LANGUAGE_CODE) & ~models.Exists(translated)
        )

    def search(self, *, every: SearchQuery, some: SearchQuery, language: str):
        """The guides a reader of `language` is offered with their words (education/search.py
        builds the queries)."""
        return self.readable_in(language).matching(every=every, some=some).select_related("topic")
