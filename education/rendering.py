"""Turn a guide's Markdown into sanitised HTML, a table of contents and plain text."""

import html as html_entities
import math
import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import slugify

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "h2": {"id"}, "h3": {"id"}}
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    toc: list[dict]
    text: str
    reading_minutes: int


def _heading_id(value: str, separator: str) -> str:
    return slugify(html_entities.unescape(value)) or "section"


def _plain(fragment: str) -> str:
    """Text as a reader sees it: no tags, and entities turned back into characters."""
    return html_entities.unescape(strip_tags(fragment))


def plain_text(html: str) -> str:
    """The words of an HTML fragment as one line of text, as search and reading time use it."""
    return re.sub(r"\s+", " ", _plain(html)).strip()


def render(source: str) -> RenderedMarkdown:
    """Render Markdown written by staff; nothing in it can run script or load a resource."""
    converter = markdown.Markdown(
        extensions=["toc", "sane_lists", "tables"],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-3"}},
        output_format="html",
    )
    raw_html = converter.convert(source)
    html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    toc = [
        {"id": token["id"], "title": _plain(token["name"]), "children": [
            {"id": child["id"], "title": _plain(child["name"])} for child in token["children"]
        ]}
        for token in converter.toc_tokens
    ]  # fmt: skip
    text = plain_text(html)
    words = len(text.split())
    return RenderedMarkdown(
        html=html, toc=toc, text=text, reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE))
    )
