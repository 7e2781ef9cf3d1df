"""What search reads besides the guides: the clinic's pages, synonyms and the vocabulary."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation

from education.querysets import SearchableQuerySet, plain_words


class SearchPage(models.Model):
    """A clinic page written as a template (programs, about, privacy), kept here for search,
    once per language.

    `load_guides` fills it from the rendered page, so it follows each deploy.
    """

    url_name = models.CharField(max_length=60)
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300, blank=True)
    body_text = models.TextField()
    search_vector = SearchVectorField(null=True)

    objects = SearchableQuerySet.as_manager()

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="searchpage_search_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["url_name", "language"], name="searchpage_one_per_language"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The page's address in its own language (/es/about/ for the Spanish one)."""
        with translation.override(self.language):
            return reverse(self.url_name)


class SearchSynonym(models.Model):
    """A word visitors use that the guides do not, and the guides' words for it, in the
    language visitors search in."""

    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the search it helps, and of the guides' words.",
    )
    term = models.CharField(
        "visitors type",
        max_length=60,
        help_text="A word or a few words, such as “suboxone” or “my son”. "
        "Case and accents do not matter.",
    )
    means = models.CharField(
        "search also for",
        max_length=200,
        help_text="Words the guides use, such as “buprenorphine”. To lead to one guide, "
        "use words from its title, such as “paying for care”.",
    )

    class Meta:
        ordering = ["language", "term"]
        verbose_name = "search synonym"
        constraints = [
            models.UniqueConstraint(
                fields=["language", "term"], name="searchsynonym_one_per_language"
            )
        ]

    def __str__(self):
        return f"{self.term} → {self.means}"

    def save(self, *args, **kwargs):
        self.term = plain_words(self.term)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the uniqueness check, so "Suboxone" is found to be "suboxone" already.
        self.term = plain_words(self.term)
        if not self.term:
            raise ValidationError({"term": "Type a word with letters or numbers."})
        if not plain_words(self.means):
            raise ValidationError({"means": "Type a word with letters or numbers."})


class SearchWord(models.Model):
    """A word of the guides, the clinic's pages and the synonyms in one language, to correct
    that language's misspellings to.

    Rebuilt whenever one of them changes (education/signals.py).
    """

    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    word = models.CharField(max_length=60)
    lexeme = models.CharField(max_length=60)  # the word as that language's vectors hold it
    frequency = models.PositiveIntegerField(default=1)
    in_synonym = models.BooleanField(default=False)  # a word of a synonym's term

    class Meta:
        # GiST, not GIN: it hands out the nearest words first (ORDER BY word <-> typed).
        indexes = [
            GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="searchword_trgm_idx"),
            models.Index(fields=["language", "lexeme"], name="searchword_lexeme_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="searchword_one_per_language")
        ]

    def __str__(self):
        return self.word
