"""Reading the shipped content files: guides (English and their translations), topics and
reviewers. The loader (loading.py) decides what to write from them."""

import tomllib
from pathlib import Path

from django.conf import settings

from education.models import Reviewer, Topic

REQUIRED_KEYS = {"title", "slug", "topic", "summary", "reviewed_on", "reviewer"}
# A translation takes its topic, order, related guides and (unless given) review date from
# the English original it names.
REQUIRED_TRANSLATION_KEYS = {"title", "slug", "translation_of", "summary", "reviewer"}
REQUIRED_SOURCE_KEYS = {"title", "publisher", "url", "read_on"}


class GuideFileError(ValueError):
    """A starting guide's file cannot be read; the message names the file and the problem."""


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
    required = REQUIRED_TRANSLATION_KEYS if "translation_of" in meta else REQUIRED_KEYS
    missing = required - meta.keys()
    if missing:
        raise GuideFileError(f"{path.name}: missing {', '.join(sorted(missing))}")
    for number, source in enumerate(meta.get("sources", []), start=1):
        missing = REQUIRED_SOURCE_KEYS - source.keys()
        if missing:
            raise GuideFileError(f"{path.name}: source {number} lacks {', '.join(sorted(missing))}")
    return meta, parts[2].strip() + "\n"


def translation_files(directory: Path) -> list[tuple[str, Path]]:
    """(language, file) of every shipped translation: guides/<language>/*.md for each of
    the site's languages other than English."""
    return [
        (code, path)
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
        for path in sorted((directory / "guides" / code).glob("*.md"))
    ]


def _add_missing_translations(row: Topic | Reviewer, given: dict) -> None:
    """Give a row the words its file has in other languages, for each language it has none
    in yet: words staff have written in the admin are kept."""
    missing = {code: words for code, words in given.items() if not row.translations.get(code)}
    if missing:
        row.translations = {**row.translations, **missing}
        row.save(update_fields=["translations"])


def topics_load(directory: Path) -> dict[str, Topic]:
    """Shipped topics, created once (staff's later edits are kept), by slug."""
    topics = {}
    items = tomllib.loads((directory / "topics.toml").read_text(encoding="utf-8"))["topics"]
    for item in items:
        topic, _ = Topic.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "description": item.get("description", ""),
                "order": item.get("order", 0),
            },
        )
        _add_missing_translations(topic, item.get("translations", {}))
        topics[item["slug"]] = topic
    return topics


def reviewers_load(directory: Path) -> dict[str, Reviewer]:
    """Shipped reviewers, created once: administrators' later edits to them are kept."""
    path = directory / "reviewers.toml"
    items = tomllib.loads(path.read_text(encoding="utf-8"))["reviewers"] if path.exists() else []
    reviewers = {}
    for item in items:
        reviewer, _ = Reviewer.objects.get_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "credentials": item["credentials"],
                "specialty": item.get("specialty", ""),
                "placeholder": item.get("placeholder", False),
            },
        )
        _add_missing_translations(reviewer, item.get("translations", {}))
        reviewers[item["key"]] = reviewer
    return reviewers
