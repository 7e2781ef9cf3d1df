"""Guides in Spanish: loaded from their files, listed and read at /es/, and an English guide
not yet translated read in English among Spanish words, marked so."""

import re
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education.models import Guide, Topic
from education.services import CONTENT_DIR, GuideFileError, guides_load

pytestmark = pytest.mark.django_db

SPANISH = {
    "sobredosis-que-hacer": "overdose-what-to-do",
    "abstinencia-de-heroina": "heroin-withdrawal",
    "opciones-de-tratamiento": "treatment-options",
    "como-ayudar-a-un-ser-querido": "helping-a-loved-one",
    "como-pagar-el-tratamiento-y-confidencialidad": "paying-for-care-and-confidentiality",
    "que-pasa-cuando-nos-contacta": "what-happens-when-you-contact-us",
}
UNTRANSLATED = "heroin-and-the-brain"


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the shipped content that a test may change."""
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# Loading


def test_loading_creates_the_six_spanish_guides_from_their_files():
    guides_load()

    for slug, original_slug in SPANISH.items():
        guide = Guide.objects.get(slug=slug)
        original = Guide.objects.get(slug=original_slug)
        assert guide.language == "es" and guide.translation_of == original
        assert guide.status == Guide.Status.PUBLISHED
        assert guide.awaiting_translation_review
        assert guide.topic == original.topic and guide.reviewed_on == original.reviewed_on
        assert guide.sources.exists() and len(guide.toc) >= 3


def test_topics_and_reviewers_get_their_spanish_words_and_a_staff_wording_is_kept():
    guides_load()
    topic = Topic.objects.get(slug="staying-safe")
    assert topic.translated("title", "es") == "Sobredosis y cómo cuidarse más"
    topic.translations = {"es": {"title": "Sobredosis: cómo cuidarse"}}
    topic.save()

    guides_load()

    topic.refresh_from_db()
    assert topic.translated("title", "es") == "Sobredosis: cómo cuidarse"


def test_a_staff_edit_to_a_translation_is_never_overwritten(content):
    guides_load(directory=content)
    guide = Guide.objects.get(slug="abstinencia-de-heroina")
    guide.awaiting_translation_review = False  # a clinical reviewer approved it
    guide.title = "La abstinencia, explicada por nuestras enfermeras"
    guide.save()
    path = content / "guides" / "es" / "abstinencia-de-heroina.md"
    path.write_text(path.read_text() + "\nUna frase que la clínica agregó.\n")

    report = guides_load(directory=content)

    guide.refresh_from_db()
    assert report.kept_staff_edits == ["abstinencia-de-heroina"]
    assert guide.title == "La abstinencia, explicada por nuestras enfermeras"
    assert not guide.awaiting_translation_review
    assert "Una frase que la clínica agregó" not in guide.body_markdown


def test_an_untouched_translation_follows_its_file_and_a_deleted_one_stays_deleted(content):
    guides_load(directory=content)
    path = content / "guides" / "es" / "abstinencia-de-heroina.md"
    path.write_text(path.read_text() + "\nUna frase que la clínica agregó.\n")
    Guide.objects.get(slug="sobredosis-que-hacer").delete()

    report = guides_load(directory=content)

    assert report.updated == ["abstinencia-de-heroina"]
    assert "Una frase que la clínica agregó" in Guide.objects.get(slug=report.updated[0]).body_text
    assert report.deleted_by_staff == ["es/sobredosis-que-hacer"]
    assert not Guide.objects.filter(slug="sobredosis-que-hacer").exists()


def test_a_translation_of_a_guide_that_does_not_exist_is_refused(content):
    (content / "guides" / "es" / "guia-perdida.md").write_text(
        '+++\ntitle = "Guía perdida"\nslug = "guia-perdida"\n'
        'translation_of = "no-such-guide"\nsummary = "Nada."\n'
        'reviewer = "placeholder-reviewer"\n+++\nTexto.\n'
    )

    with pytest.raises(GuideFileError, match=r"guia-perdida.*no-such-guide"):
        guides_load(directory=content)


# Reading in Spanish


def test_the_spanish_library_lists_spanish_guides_and_marks_the_rest_as_english(client, guides):
    html = page(client, "/es/learn/")

    assert '<html lang="es">' in html
    assert "Sobredosis y cómo cuidarse más" in html  # the topic's Spanish title
    assert 'href="/es/learn/sobredosis-que-hacer/"' in html
    assert 'href="/es/learn/overdose-what-to-do/"' not in html  # its translation stands in
    english = guides.get(slug=UNTRANSLATED)
    assert f'href="/es/learn/{UNTRANSLATED}/" lang="en">{english.title}</a>' in html
    assert "En inglés" in html


def test_the_english_library_lists_english_guides_only(client, guides):
    html = page(client, "/learn/")

    assert 'href="/learn/overdose-what-to-do/"' in html
    for slug in SPANISH:
        assert slug not in html
    assert 'lang="en"' not in html.split("<main", 1)[1]


def test_the_home_page_features_the_spanish_translation_where_there_is_one(client, guides):
    featured = guides.filter(featured=True, language="en")
    assert featured.filter(slug="overdose-what-to-do").exists()

    html = page(client, "/es/")

    assert 'href="/es/learn/sobredosis-que-hacer/"' in html
    for guide in featured.exclude(translations__isnull=False):
        assert f'href="/es/learn/{guide.slug}/" lang="en"' in html


def test_a_spanish_guide_says_its_translation_awaits_clinical_review(client, guides):
    original = guides.get(slug="overdose-what-to-do")

    html = page(client, "/es/learn/sobredosis-que-hacer/")

    assert "<h1>Sobredosis: qué hacer ahora</h1>" in html
    assert "Traducción pendiente de revisión clínica" in html
    assert f'href="{original.get_absolute_url()}" hreflang="en"' in html
    assert 'class="call-button" href="tel:911"' in html  # the overdose guide's call button


def test_an_approved_translation_names_its_own_reviewer_and_date(client, guides):
    guide = guides.get(slug="opciones-de-tratamiento")
    guide.reviewer.placeholder = False
    guide.reviewer.save()
    Guide.objects.filter(pk=guide.pk).update(awaiting_translation_review=False)

    html = page(client, "/es/learn/opciones-de-tratamiento/")

    assert "Traducción pendiente" not in html
    assert f"Revisada por {guide.reviewer.name}, MD, medicina de las adicciones" in html


def test_an_untranslated_guide_is_shown_in_english_among_spanish_words(client, guides):
    english = guides.get(slug=UNTRANSLATED)

    html = page(client, f"/es/learn/{UNTRANSLATED}/")

    assert '<html lang="es">' in html
    assert "Esta guía todavía no está en español" in html
    assert f'<h1 lang="en">{english.title}</h1>' in html
    assert '<div class="prose guide__body" lang="en">' in html
    assert '<cite lang="en">' in html
    assert 'hreflang="es"' not in html.split("</head>")[0]  # no Spanish version to offer


def test_an_untranslated_guide_in_spanish_names_the_english_page_as_canonical(client, guides):
    html = page(client, f"/es/learn/{UNTRANSLATED}/")

    assert f'<link rel="canonical" href="http://testserver/learn/{UNTRANSLATED}/">' in html


def test_addresses_lead_to_the_guide_in_the_address_language(client, guides):
    # The English address under /es/ goes to the translation; the Spanish slug under the
    # English prefix goes to the Spanish page.
    assert client.get("/es/learn/overdose-what-to-do/").headers["Location"] == (
        "/es/learn/sobredosis-que-hacer/"
    )
    assert client.get("/es/learn/overdose-what-to-do/").status_code == 301
    moved = client.get("/learn/sobredosis-que-hacer/")
    assert moved.status_code == 301 and moved["Location"] == "/es/learn/sobredosis-que-hacer/"


def test_an_unpublished_translation_leads_to_its_original_for_now(client, guides):
    guides.filter(slug="abstinencia-de-heroina").update(status=Guide.Status.DRAFT)

    response = client.get("/es/learn/abstinencia-de-heroina/")

    assert response.status_code == 302
    assert response["Location"] == "/es/learn/heroin-withdrawal/"
    assert '<h1 lang="en">' in page(client, "/es/learn/heroin-withdrawal/")


def test_a_guide_and_its_translation_name_each_other_as_alternates(client, guides):
    english = page(client, "/learn/overdose-what-to-do/").split("</head>")[0]
    spanish = page(client, "/es/learn/sobredosis-que-hacer/").split("</head>")[0]

    for head in (english, spanish):
        assert (
            '<link rel="alternate" hreflang="es" '
            'href="http://testserver/es/learn/sobredosis-que-hacer/">' in head
        )
        assert (
            '<link rel="alternate" hreflang="en" '
            'href="http://testserver/learn/overdose-what-to-do/">' in head
        )
    assert 'hreflang="es"' not in page(client, f"/learn/{UNTRANSLATED}/").split("</head>")[0]


def test_structured_data_says_the_language_and_the_audience_in_spanish(client, guides):
    html = page(client, "/es/learn/sobredosis-que-hacer/")

    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    assert '"inLanguage":"es"' in data
    assert '"audienceType":"Pacientes y cuidadores"' in data


def test_related_guides_on_a_spanish_page_are_in_spanish_where_they_can_be(client, guides):
    original = guides.get(slug="overdose-what-to-do")
    original.related.set(guides.filter(slug__in=["helping-a-loved-one", UNTRANSLATED]))

    html = page(client, "/es/learn/sobredosis-que-hacer/")
    related = html.split('id="related-heading"', 1)[1].split("</section>", 1)[0]

    assert 'href="/es/learn/como-ayudar-a-un-ser-querido/"' in related
    assert f'href="/es/learn/{UNTRANSLATED}/" lang="en"' in related
    assert "(En inglés)" in related


# The sitemap


def test_the_sitemap_lists_both_languages_with_alternates(client, guides):
    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/es/learn/</loc>" in xml
    assert "<loc>http://testserver/es/learn/sobredosis-que-hacer/</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="es" '
        'href="http://testserver/es/learn/sobredosis-que-hacer/"/>' in xml
    )
    assert f"http://testserver/learn/{UNTRANSLATED}/" in xml
    assert f"http://testserver/es/learn/{UNTRANSLATED}/" not in xml


# Speed and the page cache


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("/", "/es/"),
        ("/learn/", "/es/learn/"),
        ("/learn/overdose-what-to-do/", "/es/learn/sobredosis-que-hacer/"),
        (f"/learn/{UNTRANSLATED}/", f"/es/learn/{UNTRANSLATED}/"),
    ],
)
def test_spanish_pages_cost_the_queries_english_ones_do(client, guides, english, spanish):
    assert queries_for(client, spanish) == queries_for(client, english)


def test_a_spanish_guide_page_runs_a_fixed_small_number_of_queries(client, guides):
    assert queries_for(client, "/es/learn/sobredosis-que-hacer/") <= 3


class TestPageCache:
    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        settings.PAGE_CACHE_ENABLED = True
        settings.PAGE_CACHE_VERSION_SECONDS = 0

    def test_english_and_spanish_pages_are_kept_apart(self, client, guides):
        for _ in range(2):  # the second time, both come from memory
            assert "<h1>Overdose: what to do now</h1>" in page(
                client, "/learn/overdose-what-to-do/"
            )
            assert "<h1>Sobredosis: qué hacer ahora</h1>" in page(
                client, "/es/learn/sobredosis-que-hacer/"
            )
            assert '<html lang="en">' in page(client, "/learn/")
            assert '<html lang="es">' in page(client, "/es/learn/")

    def test_a_published_translation_shows_at_once(
        self, client, guides, django_capture_on_commit_callbacks
    ):
        translation = guides.get(slug="abstinencia-de-heroina")
        with django_capture_on_commit_callbacks(execute=True):
            translation.status = Guide.Status.DRAFT
            translation.save()
        assert '<h1 lang="en">' in page(client, "/es/learn/heroin-withdrawal/")

        with django_capture_on_commit_callbacks(execute=True):
            translation.status = Guide.Status.PUBLISHED
            translation.save()

        response = client.get("/es/learn/heroin-withdrawal/")
        assert response.status_code == 301
        assert "Abstinencia de heroína" in page(client, response["Location"])

    def test_english_and_spanish_pages_have_their_own_validators(self, client, guides):
        for english, spanish in (("/", "/es/"), ("/learn/", "/es/learn/")):
            assert client.get(english)["ETag"] != client.get(spanish)["ETag"]
