"""Guides render their Markdown safely and keep their old addresses working."""

import pytest

from education.models import Guide, SlugRedirect
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


def test_markdown_body_becomes_html_with_anchored_headings_and_a_contents_list():
    guide = GuideFactory(
        body_markdown="Intro.\n\n## Signs of use\n\nText.\n\n### Physical\n\nMore."
    )

    assert '<h2 id="signs-of-use">Signs of use</h2>' in guide.body_html
    assert guide.toc == [
        {
            "id": "signs-of-use",
            "title": "Signs of use",
            "children": [{"id": "physical", "title": "Physical"}],
        }
    ]


def test_script_and_dangerous_links_in_markdown_are_removed_on_save():
    guide = GuideFactory(
        body_markdown=(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
            "[click](javascript:alert(3)) <iframe src='https://evil.example'></iframe>\n\n"
            '<a href="https://example.org" onclick="alert(4)">fine</a>'
        )
    )

    html = guide.body_html.lower()
    for dangerous in ("<script", "onerror", "javascript:", "<iframe", "onclick", "<img"):
        assert dangerous not in html
    assert 'href="https://example.org"' in guide.body_html


def test_reading_time_follows_the_length_of_the_guide():
    short = GuideFactory(body_markdown="word " * 150)
    long = GuideFactory(body_markdown="word " * 1000)

    assert short.reading_minutes == 1
    assert long.reading_minutes == 5


def test_changing_a_slug_keeps_the_old_address_as_a_redirect():
    guide = GuideFactory(slug="old-name")

    guide.slug = "new-name"
    guide.save()

    assert SlugRedirect.objects.get(old_slug="old-name").guide == guide


def test_published_excludes_drafts():
    published = GuideFactory()
    GuideFactory(status=Guide.Status.DRAFT)

    assert list(Guide.objects.published()) == [published]


def test_contents_and_search_text_show_characters_not_html_entities():
    guide = GuideFactory(body_markdown="## Kratom & alcohol\n\nIf 5 < 6, mixing is risky.")

    assert guide.toc[0]["title"] == "Kratom & alcohol"
    assert "Kratom & alcohol If 5 < 6" in guide.body_text
