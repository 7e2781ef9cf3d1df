"""Every word a visitor reads in a template is marked for translation, so a Spanish visitor
meets no English sentence: text outside {% translate %} / {% blocktranslate %} fails here,
with the template and the words that need marking."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = settings.BASE_DIR / "templates"
# Staff pages (the admin, Django's sign-out page, a guide's preview frame around the page)
# are the admin's business; robots.txt is for crawlers.
STAFF_ONLY = ("admin/", "registration/", "education/preview_frame.html")
NOT_PAGES = {"robots.txt"}
# Names said the same in every language. The clinic's own name comes from a setting.
NAMES = {"SAMHSA", "TTY"}
# Blocks whose words are values for machines, not readers (og:type's "article").
MACHINE_BLOCKS = {"og_type"}
# Attributes a visitor reads or hears; the rest (class, href, id ...) are for machines.
SPOKEN_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "label"}
SPOKEN_META = {"description", "og:title", "og:description", "og:image:alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
LETTER = re.compile(r"[^\W\d_]")


def untranslated_skeleton(source: str) -> str:
    """The template's own text with every tag, variable, comment and translated passage
    taken out: the HTML a page would show if every translation came out empty."""
    kept, closing = [], None
    for token in Lexer(source).tokenize():
        if closing:  # inside a {% blocktranslate %} or {% comment %} block
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:  # {% translate %} and every other tag: gone
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans", "comment"}:
                closing = "end" + name
            elif name == "block" and token.contents.split()[1] in MACHINE_BLOCKS:
                closing = "endblock"
    return "".join(kept)


class _Reader(HTMLParser):
    """Collects what a visitor reads: text between tags, and the spoken attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES:
                self.words.append(value or "")
        meta = values.get("name") or values.get("property")
        if tag == "meta" and meta in SPOKEN_META:
            self.words.append(values.get("content") or "")
        if tag == "input" and values.get("type") in BUTTON_INPUTS:
            self.words.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.words.append(data)


def untranslated_words(source: str) -> list[str]:
    """Each piece of human-language text in the template that no translation tag covers."""
    reader = _Reader()
    reader.feed(untranslated_skeleton(source))
    reader.close()
    found = []
    for text in reader.words:
        text = " ".join(text.split())
        if LETTER.search(" ".join(w for w in re.split(r"[\s,.;:()]+", text) if w not in NAMES)):
            found.append(text)
    return found


def visitor_templates() -> list[str]:
    names = (path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*"))
    return sorted(
        name
        for name in names
        if (TEMPLATES / name).is_file()
        and not name.startswith(STAFF_ONLY)
        and name not in NOT_PAGES
    )


@pytest.mark.parametrize("name", visitor_templates())
def test_every_visitor_template_marks_its_words_for_translation(name):
    words = untranslated_words((TEMPLATES / name).read_text(encoding="utf-8"))

    assert not words, f"templates/{name} has words outside a translation tag: {words}"


def test_the_check_finds_bare_english_and_spares_translated_words():
    bare = """{% load i18n %}<h1>Treatment programs</h1>
    <input type="search" placeholder="Search the guides"><img src="x.svg" alt="A map">
    <meta name="description" content="Help with opioid use">"""
    translated = """{% load i18n %}{# A note for developers. #}{% comment %}Also this.{% endcomment %}
    <h1>{% translate "Treatment programs" %}</h1><p class="lead">{{ clinic.name }} · 988</p>
    <input type="search" placeholder="{% translate "Search the guides" %}">
    <p>{% blocktranslate trimmed with phone=clinic.phone %}Call us on
    <a href="tel:{{ phone }}">{{ phone }}</a>.{% endblocktranslate %} (1-800-662-4357)</p>
    <p>SAMHSA, TTY: 1-800-487-4889</p><script>var words = "not read";</script>"""

    assert untranslated_words(bare) == [
        "Treatment programs",
        "Search the guides",
        "A map",
        "Help with opioid use",
    ]
    assert untranslated_words(translated) == []
