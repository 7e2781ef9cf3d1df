"""A guide's content as one plain value: what a draft, a revision and a published guide
hold, so they can be stored, compared and put back. Written once here; the services, the
admin and the preview all read and write content through these functions."""

import difflib

# What an editor can change on a guide, and so what a revision keeps. The Markdown, not
# the HTML: a comparison is of what people wrote.
FIELDS = (
    "title", "slug", "topic", "summary", "body_markdown", "featured", "order", "reviewer",
    "reviewed_on", "review_interval_months", "related", "sources",
)  # fmt: skip
# A change to any of these is a change to the medical content: with the two-person rule on,
# it needs a reviewer's approval before it is published.
MEDICAL_FIELDS = ("title", "summary", "body_markdown", "sources")
LABELS = {
    "title": "Title", "slug": "Address (slug)", "topic": "Topic", "summary": "Summary",
    "body_markdown": "Body", "featured": "On the home page", "order": "Order",
    "reviewer": "Reviewer", "reviewed_on": "Last reviewed",
    "review_interval_months": "Review interval (months)", "related": "Related guides",
    "sources": "Sources",
}  # fmt: skip


def content_of(guide) -> dict:
    """The guide's content as stored on it now (the published version for a live guide)."""
    return {
        "title": guide.title,
        "slug": guide.slug,
        "topic": guide.topic_id,
        "summary": guide.summary,
        "body_markdown": guide.body_markdown.replace("\r\n", "\n"),
        "featured": guide.featured,
        "order": guide.order,
        "reviewer": guide.reviewer_id,
        "reviewed_on": guide.reviewed_on.isoformat() if guide.reviewed_on else None,
        "review_interval_months": guide.review_interval_months,
        "related": sorted(guide.related.values_list("pk", flat=True)) if guide.pk else [],
        "sources": [
            [s.title, s.publisher, s.url, s.read_on.isoformat() if s.read_on else ""]
            for s in (guide.sources.all() if guide.pk else [])
        ],
    }


def changed_fields(before: dict, after: dict) -> list[str]:
    return [name for name in FIELDS if before.get(name) != after.get(name)]


def is_medical_change(before: dict, after: dict) -> bool:
    return any(name in MEDICAL_FIELDS for name in changed_fields(before, after))


def _lines(name: str, value) -> list[str]:
    if name == "sources":
        return [" · ".join(part for part in source if part) for source in value or []]
    if value is None:
        return []
    return str(value).splitlines()


def diff(before: dict, after: dict) -> list[dict]:
    """What changed, field by field, as lines removed and added (the text people wrote, not
    HTML): [{"field": "Body", "lines": [("-", "old line"), ("+", "new line"), ...]}]."""
    changes = []
    for name in changed_fields(before, after):
        old, new = _lines(name, before.get(name)), _lines(name, after.get(name))
        lines = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
            if tag == "equal":
                continue
            lines += [("-", line) for line in old[i1:i2]]
            lines += [("+", line) for line in new[j1:j2]]
        changes.append({"field": LABELS[name], "name": name, "lines": lines})
    return changes
