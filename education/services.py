"""Writes to the guides that do more than save a form."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from education.models import Guide, Reviewer, ShippedGuide, Source, Topic

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Set by migration 0003 on guides the loader wrote and nobody had edited before the
# fingerprint gained the reviewer and the sources' addresses.
UNTOUCHED_SINCE_LOAD = "untouched-before-0003"
REQUIRED_KEYS = {"title", "slug", "topic", "summary", "reviewed_on", "reviewer"}
REQUIRED_SOURCE_KEYS = {"title", "publisher", "url", "read_on"}


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


@transaction.atomic
def guides_load(*, directory: Path = CONTENT_DIR) -> LoadReport:
    """Load the starting topics and guides shipped as files.

    The rule: a guide is matched to its file by the file's name, whatever its slug is now.
    A guide that does not exist yet is created and published, once: if staff delete it, it
    stays deleted. An existing guide is brought
    up to date with its file only while nobody has changed it since the last load (its
    content still matches the fingerprint the loader left); a guide staff have edited is
    never overwritten. Loading twice changes nothing.
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
        if (
            guide is not None
            and guide.seed_fingerprint != UNTOUCHED_SINCE_LOAD
            and guide.content_fingerprint() != guide.seed_fingerprint
        ):
            report.kept_staff_edits.append(guide.slug)
            continue
        if guide is None:
            guide = Guide(seed_key=key, status=Guide.Status.PUBLISHED)
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
    return report
