"""Writes to the guides that do more than save a form."""

import contextlib
import contextvars
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone, translation

from education import rendering
from education.models import (
    Guide,
    GuideRevision,
    Reviewer,
    SearchPage,
    SearchSynonym,
    SearchWord,
    ShippedGuide,
    Source,
)
from education.querysets import LEXEME_OF_WORD, plain_words, search_config
from education.revisions import content_of
from education.services.guide_files import (
    GuideFileError,
    parse_guide,
    reviewers_load,
    topics_load,
    translation_files,
)
from recovery_site.context_processors import clinic

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
# Set by migration 0003 on guides the loader wrote and nobody had edited before the
# fingerprint gained the reviewer and the sources' addresses.
UNTOUCHED_SINCE_LOAD = "untouched-before-0003"
# The clinic's pages written as templates, searchable like guides.
SEARCHABLE_PAGES = ("education:programs", "education:about", "education:privacy")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_staff_edits: list[str] = field(default_factory=list)
    deleted_by_staff: list[str] = field(default_factory=list)


# Set while many rows are saved at once, so the search's words are rebuilt once, at the end.
_refresh_at_end = contextvars.ContextVar("search_words_refresh_at_end", default=False)


@contextlib.contextmanager
def search_words_refreshed_once():
    """Saves inside rebuild the search's words once when they are done, not once each."""
    token = _refresh_at_end.set(True)
    try:
        yield
    finally:
        _refresh_at_end.reset(token)
    search_words_refresh()


@transaction.atomic
@search_words_refreshed_once()
def guides_load(*, directory: Path = CONTENT_DIR) -> LoadReport:
    """Load the starting topics and guides shipped as files, and the guides' translations.

    The rule: a guide is matched to its file by the file's name, whatever its slug is now.
    A guide that does not exist yet is created and published, once: if staff delete it, it
    stays deleted. An existing guide is brought up to date with its file only while nobody
    has changed it since the last load (its content still matches the fingerprint the
    loader left, and it has no draft); a guide staff have edited is never overwritten.
    Loading twice changes nothing. Translations (guides/<language>/*.md) follow the same
    rule; each names its English original, whose topic and review date it takes.
    """
    report = LoadReport()
    topics = topics_load(directory)
    reviewers = reviewers_load(directory)
    loaded = {}  # guide -> the file names of its related guides (None for a translation)
    for path in sorted((directory / "guides").glob("*.md")):
        meta, body = parse_guide(path)
        if meta["topic"] not in topics:
            raise GuideFileError(f"{path.name}: unknown topic {meta['topic']!r}")
        fields = {
            "topic": topics[meta["topic"]],
            "featured": meta.get("featured", False),
            "order": meta.get("order", 0),
            "reviewed_on": meta["reviewed_on"],
        }
        guide = _guide_load(
            key=path.stem, meta=meta, body=body, fields=fields, reviewers=reviewers, report=report
        )
        if guide is not None:
            loaded[guide] = meta.get("related", [])

    for language, path in translation_files(directory):
        meta, body = parse_guide(path)
        key = f"{language}/{path.stem}"
        original = _original_of(meta["translation_of"], file_name=key)
        if original is None:  # staff deleted the original: its translation goes with it
            report.deleted_by_staff.append(key)
            continue
        fields = {
            "language": language,
            "translation_of": original,
            "awaiting_translation_review": meta.get("awaiting_review", True),
            "topic": original.topic,
            "order": original.order,
            "reviewed_on": meta.get("reviewed_on", original.reviewed_on),
        }
        guide = _guide_load(
            key=key, meta=meta, body=body, fields=fields, reviewers=reviewers, report=report
        )
        if guide is not None:
            loaded[guide] = None

    for guide, related in loaded.items():
        if related is not None:
            guide.related.set(Guide.objects.filter(seed_key__in=related))
        # Its history starts with what the file put on the site, so the first staff edit
        # can be compared with it and put back.
        GuideRevision.objects.create(
            guide=guide, kind=GuideRevision.Kind.PUBLISHED, content=content_of(guide),
            note="Loaded from the shipped guide file",
        )  # fmt: skip
    # The pages' templates ship with the code, so every deploy's load brings them up to date.
    search_pages_index()
    return report


def _original_of(slug: str, *, file_name: str) -> Guide | None:
    """The English guide a translation file names: by its file's name, else by its slug."""
    english = Guide.objects.filter(language=settings.LANGUAGE_CODE)
    original = english.filter(seed_key=slug).first() or english.filter(slug=slug).first()
    if original is None and not ShippedGuide.objects.filter(file_name=slug).exists():
        raise GuideFileError(f"{file_name}.md: translation_of names no English guide {slug!r}")
    return original


def _guide_load(*, key, meta, body, fields, reviewers, report) -> Guide | None:
    """Create or bring up to date the guide of one file; the guide if it was written."""
    reviewer = (
        reviewers.get(meta["reviewer"]) or Reviewer.objects.filter(key=meta["reviewer"]).first()
    )
    if reviewer is None:
        raise GuideFileError(f"{key}.md: unknown reviewer {meta['reviewer']!r}")
    guide = Guide.objects.filter(seed_key=key).first()
    if guide is None and ShippedGuide.objects.filter(file_name=key).exists():
        report.deleted_by_staff.append(key)
        return None
    # A draft waiting to be published is a staff edit too, though the guide is unchanged.
    if guide is not None and (
        guide.draft_id is not None
        or (
            guide.seed_fingerprint != UNTOUCHED_SINCE_LOAD
            and guide.content_fingerprint() != guide.seed_fingerprint
        )
    ):
        report.kept_staff_edits.append(guide.slug)
        return None
    if guide is None:
        guide = Guide(seed_key=key, status=Guide.Status.PUBLISHED, published_at=timezone.now())
    for name, value in fields.items():
        setattr(guide, name, value)
    guide.title = meta["title"]
    guide.slug = meta["slug"]
    guide.summary = meta["summary"]
    guide.body_markdown = body
    guide.reviewer = reviewer
    guide.review_interval_months = meta.get("review_interval_months", 12)
    sources = [
        (s["title"], s["publisher"], s["url"], str(s["read_on"])) for s in meta.get("sources", [])
    ]
    fingerprint = guide.content_fingerprint(sources=sources)
    if guide.pk and fingerprint == guide.seed_fingerprint:
        report.unchanged.append(guide.slug)
        return None
    (report.updated if guide.pk else report.created).append(guide.slug)
    guide.seed_fingerprint = fingerprint
    guide.save()
    ShippedGuide.objects.get_or_create(file_name=key)
    guide.sources.all().delete()
    Source.objects.bulk_create(
        Source(guide=guide, title=title, publisher=publisher, url=url, read_on=read_on, order=i)
        for i, (title, publisher, url, read_on) in enumerate(sources)
    )
    return guide


def _page_text(url_name: str, language: str) -> dict[str, str]:
    """A clinic page's title, description and main text, rendered as a visitor of
    `language` sees them."""
    with translation.override(language):
        view_class = resolve(reverse(url_name)).func.view_class
        # The pages read nothing from the request: their view's context and the clinic's
        # details.
        page = render_to_string(
            view_class.template_name,
            {**clinic(None), **view_class().get_context_data(), "LANGUAGE_CODE": language},
        )
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S).group(1)
    return {
        "title": rendering.plain_text(re.search(r"<h1[^>]*>(.*?)</h1>", main, re.S).group(1)),
        "summary": html.unescape(
            re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
        ),
        "body_text": rendering.plain_text(main),
    }


@transaction.atomic
def search_pages_index() -> None:
    """Keep the clinic pages' text for search, in each language; a page whose text is
    unchanged is not saved."""
    languages = [code for code, _ in settings.LANGUAGES]
    SearchPage.objects.exclude(url_name__in=SEARCHABLE_PAGES, language__in=languages).delete()
    for url_name, language in ((u, lang) for u in SEARCHABLE_PAGES for lang in languages):
        text = _page_text(url_name, language)
        page = SearchPage.objects.filter(
            url_name=url_name, language=language
        ).first() or SearchPage(url_name=url_name, language=language)
        if page.pk and all(getattr(page, name) == value for name, value in text.items()):
            continue
        for name, value in text.items():
            setattr(page, name, value)
        page.save()
        SearchPage.objects.filter(pk=page.pk).refresh_search_vectors()


@transaction.atomic
def search_words_refresh() -> None:
    """Rebuild the words misspellings are corrected to, from what is searchable now.

    For each language, every word of three letters or more of its published guides and
    clinic pages, and every word of its synonyms' terms ("od"), with its lexeme in that
    language and how often it occurs. Stop words (no lexeme) are left out.
    """
    if _refresh_at_end.get():
        return
    SearchWord.objects.all().delete()
    for language, _ in settings.LANGUAGES:
        SearchWord.objects.bulk_create(_search_words(language))


def _search_words(language: str) -> list[SearchWord]:
    counts = Counter()
    for texts in (
        Guide.objects.published().filter(language=language),
        SearchPage.objects.filter(language=language),
    ):
        for text in texts.values_list("title", "summary", "body_text"):
            words = plain_words(" ".join(text)).split()
            counts.update(word for word in words if word.isalpha() and 3 <= len(word) <= 60)
    in_synonyms = Counter(
        word
        for term in SearchSynonym.objects.filter(language=language).values_list("term", flat=True)
        for word in term.split()
    )
    counts.update(in_synonyms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, {LEXEME_OF_WORD} FROM unnest(%(words)s::text[]) AS word",
            {"words": list(counts), "config": search_config(language)},
        )
        lexemes = dict(cursor.fetchall())
    return [
        SearchWord(
            language=language, word=word, lexeme=lexemes[word], frequency=count,
            in_synonym=word in in_synonyms,
        )
        for word, count in counts.items()
        if lexemes[word]
    ]  # fmt: skip
