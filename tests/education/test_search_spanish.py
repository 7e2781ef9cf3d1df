"""A Spanish-speaking visitor searches at /es/learn/search/ and finds the guides and the
clinic's pages in Spanish, misspelt, in everyday words, with or without accents."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education import search
from education.models import SearchPage
from education.services import search_pages_index
from tests.education.test_search import found, kept_searches  # noqa: F401 (a fixture)
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


def buscado(client, query, **params):
    """The Spanish search page a visitor gets for `query`, as text."""
    response = client.get("/es/learn/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def translated(original, **fields):
    """A published Spanish translation of `original`."""
    return GuideFactory(language="es", translation_of=original, topic=original.topic, **fields)


@pytest.fixture
def guias(db):
    """An English guide about withdrawal, about an overdose and about families, each with a
    Spanish version, and one English guide with none."""
    withdrawal = GuideFactory(
        title="Heroin withdrawal: what to expect", slug="heroin-withdrawal",
        body_markdown="Withdrawal from heroin is hard. Detox with medicine is safer.",
    )  # fmt: skip
    overdose = GuideFactory(
        title="Overdose: what to do now", slug="overdose-what-to-do",
        body_markdown="Call 911. Give naloxone. An overdose can kill.",
    )  # fmt: skip
    families = GuideFactory(
        title="Helping someone you love", slug="helping-a-loved-one",
        body_markdown="When your son or daughter uses heroin, you can help.",
    )  # fmt: skip
    return {
        "abstinencia": translated(
            withdrawal, title="Abstinencia de heroína: qué esperar", slug="abstinencia-de-heroina",
            body_markdown="La abstinencia de heroína es dura. Con medicinas es más segura.",
        ),
        "sobredosis": translated(
            overdose, title="Sobredosis: qué hacer ahora", slug="sobredosis-que-hacer",
            body_markdown="Llame al 911. Dé naloxona. Una sobredosis puede matar.",
        ),
        "familias": translated(
            families, title="Cómo ayudar a un ser querido", slug="como-ayudar-a-un-ser-querido",
            body_markdown="Cuando su hijo o su hija consume heroína, usted puede ayudar.",
        ),
        "fentanyl": GuideFactory(
            title="Fentanyl and today's drug supply", slug="fentanyl",
            body_markdown="Fentanyl is in much of the heroin sold today.",
        ),
    }  # fmt: skip


def test_a_spanish_search_finds_the_spanish_guide_not_its_english_original(client, guias):
    html = buscado(client, "abstinencia de heroína")

    assert found(html) == ["/es/learn/abstinencia-de-heroina/"]
    assert "<mark>abstinencia</mark>" in html.lower()


def test_accents_never_matter_in_spanish(client, guias):
    plain = found(buscado(client, "heroina"))

    assert "/es/learn/abstinencia-de-heroina/" in plain
    for typed in ("HEROÍNA", "heroína", "héroina"):
        assert found(buscado(client, typed)) == plain, typed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sobredossis", "sobredosis"), ("eroina", "heroina"), ("abstinensia", "abstinencia")],
)
def test_a_misspelt_spanish_word_is_corrected_to_the_spanish_guides_word(
    client, guias, typed, meant
):
    html = buscado(client, typed)

    assert search.search(typed, language="es").corrected == meant
    assert f"<strong>{meant}</strong>" in html
    assert f'href="/es/learn/search/?q={meant}"' in html  # the corrected words, in Spanish
    assert found(html)


def test_an_english_word_is_not_corrected_to_a_spanish_one(guias):
    assert search.search("sobredossis", language="en").corrected != "sobredosis"


@pytest.mark.parametrize(
    ("typed", "guide"),
    [("narcan", "sobredosis"), ("Mi hijo", "familias"), ("desintoxicación", "abstinencia"),
     ("suboxone", None)],
)  # fmt: skip
def test_a_spanish_synonym_widens_the_search(client, guias, typed, guide):
    results = found(buscado(client, typed))

    if guide is None:  # no guide speaks of buprenorfina here: the synonym finds nothing
        assert results == []
    else:
        assert results[0] == guias[guide].get_absolute_url()


def test_an_english_guide_with_no_spanish_version_is_found_marked_as_english(client, guias):
    html = buscado(client, "fentanyl")

    assert found(html) == ["/learn/fentanyl/"]
    assert '<a href="/learn/fentanyl/" lang="en">' in html
    assert search.search("fentanyl", language="es").results[0].lang == "en"


def test_an_english_guide_with_a_spanish_version_is_not_found_in_spanish(client, guias):
    assert found(buscado(client, "withdrawal")) == []


def test_an_english_search_never_returns_spanish_guides(client, guias):
    for query in ("heroin", "heroína", "sobredosis", "naloxone", "911"):
        results = found(client.get("/learn/search/", {"q": query}).content.decode())
        assert not [url for url in results if url.startswith("/es/")], query


@pytest.mark.parametrize("query", ["sobredosis", "naloxona", "narcan", "Sobredósis"])
def test_a_spanish_search_about_an_overdose_leads_with_the_overdose_guide(client, guias, query):
    GuideFactory(
        language="es", translation_of=GuideFactory(), title="Sobredosis, naloxona y familias",
        body_markdown="Sobredosis, sobredosis, naloxona, hijo, familias.",
    )  # fmt: skip

    html = buscado(client, query)

    assert found(html)[0] == "/es/learn/sobredosis-que-hacer/"
    assert 'class="call-button" href="tel:911"' in html


def test_a_spanish_search_never_returns_the_clinics_english_pages(client, guias):
    search_pages_index()
    assert SearchPage.objects.filter(language="es").count() == 3

    for query in ("clínica", "privacy", "programs", "consultation"):
        pages = [url for url in found(buscado(client, query)) if "/learn/" not in url]
        assert all(url.startswith("/es/") for url in pages), (query, pages)


def test_a_spanish_page_of_the_clinic_is_found_by_its_spanish_words(client, db):
    for language, title, body in (
        ("en", "About us", "Our team answers every request."),
        ("es", "Sobre nosotros", "Nuestro equipo responde cada solicitud."),
    ):
        page = SearchPage.objects.create(
            url_name="education:about", language=language, title=title, body_text=body
        )
        SearchPage.objects.filter(pk=page.pk).refresh_search_vectors()

    assert found(buscado(client, "equipo")) == ["/es/about/"]
    assert found(buscado(client, "team")) == []
    assert found(client.get("/learn/search/", {"q": "team"}).content.decode()) == ["/about/"]


def test_the_same_words_are_kept_apart_per_language(client, guias, kept_searches):  # noqa: F811
    english = client.get("/learn/search/", {"q": "heroin"}).content.decode()
    spanish = buscado(client, "heroin")

    assert found(client.get("/learn/search/", {"q": "heroin"}).content.decode()) == found(english)
    assert found(buscado(client, "heroin")) == found(spanish)
    assert not [url for url in found(english) if url.startswith("/es/")]
    assert "/es/learn/abstinencia-de-heroina/" in found(spanish)
    assert re.search(r'<html lang="es"', spanish)


def test_a_spanish_search_answers_in_as_many_queries_as_an_english_one(
    client,
    guias,
    kept_searches,  # noqa: F811
):
    def queries_for(address, query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address, {"q": query})
            assert found(response.content.decode())
        return len(queries)

    # The content version, the spelling check, the synonyms, the guides and the pages.
    assert queries_for("/learn/search/", "heroin withdrawl") == 5
    assert queries_for("/es/learn/search/", "abstinensia de heroina") == 5
    assert queries_for("/es/learn/search/", "mi hijo") == 5
    # Kept: the content version only.
    assert queries_for("/es/learn/search/", "abstinensia de heroina") == 1


def test_what_is_in_spanish_comes_before_an_english_guide_that_matches_as_well(client, guias):
    results = found(buscado(client, "heroína"))

    assert results[-1] == "/learn/fentanyl/"  # "heroin" in its text, and in English
    assert set(results[:-1]) == {
        guias[name].get_absolute_url() for name in ("abstinencia", "familias")
    }


def test_labels_say_in_spanish_what_is_in_english_and_what_is_about_the_clinic(client, guias):
    """Needs the compiled Spanish catalogue (locale/es), which holds these labels."""
    page = SearchPage.objects.create(
        url_name="education:about", language="es", title="Sobre nosotros",
        body_text="Nuestro equipo conoce el fentanyl.",
    )  # fmt: skip
    SearchPage.objects.filter(pk=page.pk).refresh_search_vectors()

    html = buscado(client, "fentanyl")

    assert f"{guias['fentanyl'].topic.title} · En inglés" in html
    assert "Sobre nuestra clínica" in html
    assert "In English" not in html and "About our clinic" not in html


def test_when_nothing_is_found_the_guides_are_listed_in_spanish_or_marked_english(client, guias):
    spanish = buscado(client, "zzzqqq")
    english = client.get("/learn/search/", {"q": "zzzqqq"}).content.decode()

    assert '<a href="/es/learn/sobredosis-que-hacer/">Sobredosis: qué hacer ahora</a>' in spanish
    assert '<a href="/learn/fentanyl/" lang="en">' in spanish
    assert "/learn/overdose-what-to-do/" not in spanish  # its Spanish version stands in
    assert "/learn/overdose-what-to-do/" in english and "sobredosis-que-hacer" not in english
