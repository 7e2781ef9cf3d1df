"""A Spanish-speaking visitor meets no English sentence on the Spanish pages, other than
names and the guides marked as not yet translated (inside lang="en").

Every English sentence the site can show comes from the catalogue's msgids, so each Spanish
page's text is checked against them; text marked lang="en" (an English guide shown in the
Spanish site, with its note) is left out, as a screen reader would read it in English."""

from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings

from intake.models import HelpRequest

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# A msgid the same in both languages ("Email" is not; "911" is) says nothing.
ENGLISH = sorted(
    {
        entry.msgid
        for entry in polib.pofile(str(settings.BASE_DIR / "locale/es/LC_MESSAGES/django.po"))
        if entry.msgstr != entry.msgid and len(entry.msgid.split()) >= 3 and "%(" not in entry.msgid
    }
)


class SpanishText(HTMLParser):
    """The page's text and visible attributes, outside lang="en", <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it skipped?
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (
            (self.stack and self.stack[-1])
            or attrs.get("lang") == "en"
            or tag in ("script", "style")
        )
        if not skipped:
            self.text += [
                attrs[a] for a in ("alt", "title", "aria-label", "placeholder") if attrs.get(a)
            ]
            if tag == "meta" and attrs.get("content"):
                self.text.append(attrs["content"])
        if tag not in VOID:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(" ".join(data.split()))


def english_on(html: str) -> list[str]:
    parser = SpanishText()
    parser.feed(html)
    text = "\n".join(parser.text)
    return [msgid for msgid in ENGLISH if msgid in text]


def test_the_check_finds_an_english_sentence_and_spares_one_marked_english():
    sentence = next(msgid for msgid in ENGLISH)

    assert english_on(f"<p>{sentence}</p>") == [sentence]
    assert english_on(f'<p lang="en">{sentence}</p>') == []


@pytest.mark.parametrize(
    "path",
    [
        "/es/", "/es/learn/", "/es/learn/sobredosis-que-hacer/", "/es/learn/abstinencia-de-heroina/",
        "/es/learn/signs-of-heroin-use/",  # not yet in Spanish: shown in English, marked
        "/es/learn/search/?q=sobredosis", "/es/learn/search/?q=zzzzqqq", "/es/programs/",
        "/es/about/", "/es/privacy/", "/es/consultation/", "/es/contact/", "/es/no-such-page/",
    ],
)  # fmt: skip
def test_a_spanish_page_has_no_english_sentence(client, guides, path):
    response = client.get(path)

    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert english_on(html) == []


def test_the_spanish_forms_with_mistakes_and_thank_you_page_have_no_english_sentence(
    client, consultation_data
):
    mistakes = client.post("/es/consultation/", {**consultation_data, "phone": "12"})
    thanks = client.post("/es/consultation/", consultation_data, follow=True)

    assert english_on(mistakes.content.decode()) == []
    assert HelpRequest.objects.get().language == "es"
    assert english_on(thanks.content.decode()) == []
