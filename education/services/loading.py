"""Writes to the guides that do more than save a form."""

import contextlib
import contextvars
import html
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone

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
    Topic,
)
from education.querysets import LEXEME_OF_WORD, SEARCH_CONFIG, plain_words
from education.revisions import content_of
from recovery_site.context_processors import clinic

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
# Set by migration 0003 on guides the loader wrote and nobody had edited before the
# fingerprint gained the reviewer and the sources' addresses.
UNTOUCHED_SINCE_LOAD = "untouched-before-0003"
REQUIRED_KEYS = {"title", "slug", "topic", "summary", "reviewed_on", "reviewer"}
REQUIRED_SOURCE_KEYS = {"title", "publisher", "url", "read_on"}
# The clinic's pages written as templates, searchable like guides.
SEARCHABLE_PAGES = ("education:programs", "education:about", "education:privacy")


class GuideFileError(ValueError):
    """A starting guide's file cannot be read; the message names the file and the problem."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_staff_edits: list[str] = field(default_factory=list)
    deleted_by_staff: list[str] = field(default_factory=list)


def parse_guide(path: Path) -> tuple[dict, str]:
    """Split a guide file into its TOML front matter and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise GuideFileError(f"{path.name}: expected TOML front matter between +++ lines")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as error:
        raise GuideFileError(f"{path.name}: {error}") from None
    missing = REQUIRED_KEYS - meta.keys()
    if missing:
        raise GuideFileError(f"{path.name}: missing {', '.join(sorted(missing))}")
    for number, source in enumerate(meta.get("sources", []), start=1):
        missing = REQUIRED_SOURCE_KEYS - source.keys()
        if missing:
            raise GuideFileError(f"{path.name}: source {number} lacks {', '.join(sorted(missing))}")
    return meta, parts[2].strip() + "\n"


def _load_reviewers(directory: Path) -> dict[str, Reviewer]:
    """Shipped reviewers, created once: administrators' later edits to them are kept."""
    path = directory / "reviewers.toml"
    items = tomllib.loads(path.read_text(encoding="utf-8"))["reviewers"] if path.exists() else []
    reviewers = {}
    for item in items:
        reviewers[item["key"]], _ = Reviewer.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "credentials": item["credentials"],
                "specialty": item.get("specialty", ""),
                "placeholder": item.get("placeholder", False),
            },
        )
    return reviewers


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
    """Load the starting topics and guides shipped as files.

    The rule: a guide is matched to its file by the file's name, whatever its slug is now.
    A guide that does not exist yet is created and published, once: if staff delete it, it
    stays deleted. An existing guide is brought
    up to date with its file only while nobody has changed it since the last load (its
    content still matches the fingerprint the loader left, and it has no draft); a guide
    staff have edited is never overwritten. Loading twice changes nothing.
    """
    report = LoadReport()
    topics_meta = tomllib.loads((directory / "topics.toml").read_text(encoding="utf-8"))
    topics = {}
    for item in topics_meta["topics"]:
        topics[item["slug"]], _ = Topic.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "description": item.get("description", ""),
                "order": item.get("order", 0),
            },
        )

    reviewers = _load_reviewers(directory)
    related_slugs = {}
    for path in sorted((directory / "guides").glob("*.md")):
        meta, body = parse_guide(path)
        if meta["topic"] not in topics:
            raise GuideFileError(f"{path.name}: unknown topic {meta['topic']!r}")
        reviewer = (
            reviewers.get(meta["reviewer"]) or Reviewer.objects.filter(key=meta["reviewer"]).first()
        )
        if reviewer is None:
            raise GuideFileError(f"{path.name}: unknown reviewer {meta['reviewer']!r}")
        key = path.stem
        guide = Guide.objects.filter(seed_key=key).first()
        if guide is None and ShippedGuide.objects.filter(file_name=key).exists():
            report.deleted_by_staff.append(key)
            continue
        # A draft waiting to be published is a staff edit too, though the guide is unchanged.
        if guide is not None and (
            guide.draft_id is not None
            or (
                guide.seed_fingerprint != UNTOUCHED_SINCE_LOAD
                and guide.content_fingerprint() != guide.seed_fingerprint
            )
        ):
            report.kept_staff_edits.append(guide.slug)
            continue
        if guide is None:
            guide = Guide(seed_key=key, status=Guide.Status.PUBLISHED, published_at=timezone.now())
        guide.topic = topics[meta["topic"]]
        guide.title = meta["title"]
        guide.slug = meta["slug"]
        guide.summary = meta["summary"]
        guide.body_markdown = body
        guide.featured = meta.get("featured", False)
        guide.order = meta.get("order", 0)
        guide.reviewed_on = meta["reviewed_on"]
        guide.reviewer = reviewer
        guide.review_interval_months = meta.get("review_interval_months", 12)
        sources = [
            (s["title"], s["publisher"], s["url"], str(s["read_on"]))
            for s in meta.get("sources", [])
        ]
        fingerprint = guide.content_fingerprint(sources=sources)
        if guide.pk and fingerprint == guide.seed_fingerprint:
            report.unchanged.append(guide.slug)
            continue
        (report.updated if guide.pk else report.created).append(guide.slug)
        guide.seed_fingerprint = fingerprint
        guide.save()
        ShippedGuide.objects.get_or_create(file_name=key)
        guide.sources.all().delete()
        Source.objects.bulk_create(
            Source(guide=guide, title=title, publisher=publisher, url=url, read_on=read_on, order=i)
            for i, (title, publisher, url, read_on) in enumerate(sources)
        )
        related_slugs[guide] = meta.get("related", [])

    for guide, slugs in related_slugs.items():
        guide.related.set(Guide.objects.filter(seed_key__in=slugs))
        # Its history starts with what the file put on the site, so the first staff edit
        # can be compared with it and put back.
        GuideRevision.objects.create(
            guide=guide, kind=GuideRevision.Kind.PUBLISHED, content=content_of(guide),
            note="Loaded from the shipped guide file",
        )  # fmt: skip
    # The pages' templates ship with the code, so every deploy's load brings them up to date.
    search_pages_index()
    return report


def _page_text(url_name: str) -> dict[str, str]:
    """A clinic page's title, description and main text, rendered as a visitor sees them."""
    view_class = resolve(reverse(url_name)).func.view_class
    # The pages read nothing from the request: their view's context and the clinic's details.
    page = render_to_string(
        view_class.template_name, {**clinic(None), **view_class().get_context_data()}
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
    """Keep the clinic pages' text for search; a page whose text is unchanged is not saved."""
    SearchPage.objects.exclude(url_name__in=SEARCHABLE_PAGES).delete()
    for url_name in SEARCHABLE_PAGES:
        text = _page_text(url_name)
        page = SearchPage.objects.filter(url_name=url_name).first() or SearchPage(url_name=url_name)
        if page.pk and all(getattr(page, name) == value for name, value in text.items()):
            continue
        for name, value in text.items():
            setattr(page, name, value)
        page.save()
        SearchPage.objects.filter(pk=page.pk).refresh_search_vectors()


@transaction.atomic
def search_words_refresh() -> None:
    """Rebuild the words misspellings are corrected to, from what is searchable now.

    Every word of three letters or more of the published guides and the clinic's pages, and
    every word of the synonyms' terms ("od"), with its lexeme and how often it occurs. Stop
    words (no lexeme) are left out.
    """
    if _refresh_at_end.get():
        return
    counts = Counter()
    for texts in (
        Guide.objects.published().values_list("title", "summary", "body_text"),
        SearchPage.objects.values_list("title", "summary", "body_text"),
    ):
        for text in texts:
            words = plain_words(" ".join(text)).split()
            counts.update(word for word in words if word.isalpha() and 3 <= len(word) <= 60)
    in_synonyms = Counter(
        word
        for term in SearchSynonym.objects.values_list("term", flat=True)
        for word in term.split()
    )
    counts.update(in_synonyms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, {LEXEME_OF_WORD} FROM unnest(%(words)s::text[]) AS word",
            {"words": list(counts), "config": SEARCH_CONFIG},
        )
        lexemes = dict(cursor.fetchall())
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        SearchWord(word=word, lexeme=lexemes[word], frequency=count, in_synonym=word in in_synonyms)
        for word, count in counts.items()
        if lexemes[word]
    )
