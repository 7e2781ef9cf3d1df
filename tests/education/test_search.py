"""A visitor's search finds what they type: misspelt, in everyday words, with any accents."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education import search
from education.models import Guide, SearchPage, SearchSynonym
from education.page_cache import VERSION_KEY
from education.services import guides_load
from recovery_site import roles
from tests.factories import GuideFactory, user_in_role

pytestmark = pytest.mark.django_db

WITHDRAWAL = "/learn/heroin-withdrawal/"
OVERDOSE = "/learn/overdose-what-to-do/"
FAMILIES = "/learn/helping-a-loved-one/"
PAYING = "/learn/paying-for-care-and-confidentiality/"
MEDICINES = {"/learn/moud-facts-and-myths/", "/learn/treatment-options/"}


def searched(client, query, **params):
    """The page a visitor gets for `query`, as text."""
    response = client.get("/learn/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def found(html):
    """The addresses of the results, best first."""
    results = re.search(r'<ol class="search-results">(.*?)</ol>', html, re.S)
    return re.findall(r'<h3><a href="([^"]+)"', results.group(1)) if results else []


def test_a_misspelt_word_is_corrected_to_the_guides_own_word(client, guides):
    html = searched(client, "withdrawl")

    assert found(html)[0] == WITHDRAWAL
    assert re.search(r"Showing results for <a [^>]*><strong>withdrawal</strong></a>", html)


def test_one_misspelt_word_does_not_empty_the_whole_search(client, guides):
    html = searched(client, "heroin withdrawl symptoms")

    assert found(html)[0] == WITHDRAWAL
    assert "Showing results for" in html and "heroin withdrawal symptoms" in html


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("herion", "heroin"), ("nalaxone", "naloxone"), ("fentynal", "fentanyl"),
     ("perscription", "prescription"), ("suboxen", "suboxone")],
)  # fmt: skip
def test_common_slips_are_corrected(guides, typed, meant):
    assert search.search(typed).corrected == meant


def test_a_word_found_in_another_form_is_no_misspelling(guides):
    for typed in ("withdrawing", "overdosed", "my sons", "ODs"):
        answer = search.search(typed)
        assert answer.results and answer.corrected == "", typed


def test_the_showing_results_for_link_searches_the_corrected_words(client, guides):
    html = searched(client, "withdrawl")
    link = re.search(r'Showing results for <a href="([^"]+)"', html).group(1)

    followed = client.get(link.replace("&amp;", "&")).content.decode()

    assert link == "/learn/search/?q=withdrawal"
    assert found(followed)[0] == WITHDRAWAL
    assert "Showing results for" not in followed


def test_the_exact_search_link_searches_what_was_typed(client, guides):
    html = searched(client, "withdrawl")
    link = re.search(r'<a href="([^"]+)">Search instead for “withdrawl”</a>', html).group(1)

    followed = client.get(link.replace("&amp;", "&")).content.decode()

    assert link == "/learn/search/?q=withdrawl&amp;exact=1"
    assert "Showing results for" not in followed
    assert "Nothing found for “withdrawl”" in followed
    assert 'value="withdrawl"' in followed


def test_a_brand_name_finds_the_medicine_suboxone(client, guides):
    html = searched(client, "suboxone")

    assert found(html)[0] in MEDICINES
    assert "<mark>buprenorphine</mark>" in html


def test_narcan_leads_with_the_overdose_guide_and_its_call_button(client, guides):
    html = searched(client, "narcan")

    assert found(html)[0] == OVERDOSE
    assert '<a class="call-button" href="tel:911">Call 911 now</a>' in html


def test_od_means_overdose(client, guides):
    assert found(searched(client, "od"))[0] == OVERDOSE


def test_a_search_about_an_overdose_leads_with_the_overdose_guide(client, guides):
    assert found(searched(client, "my son overdosed on fentanyl"))[0] == OVERDOSE


def test_my_son_finds_the_guide_for_families(client, guides):
    assert found(searched(client, "my son"))[0] == FAMILIES


def test_insurance_finds_paying_for_care(client, guides):
    assert found(searched(client, "insurance"))[0] == PAYING


def test_cost_finds_paying_for_care(client, guides):
    assert found(searched(client, "cost"))[0] == PAYING


def test_a_question_in_plain_words_finds_its_guide(client, guides):
    html = searched(client, "how long does withdrawal last")

    assert found(html)[0] == WITHDRAWAL
    assert "Showing results for" not in html  # "how", "does" are no misspellings


def test_methadone_finds_the_treatment_guides(client, guides):
    results = found(searched(client, "methadone"))

    assert results[0] in MEDICINES
    assert set(results) >= MEDICINES


def test_accents_and_case_never_matter(client, guides):
    plain = found(searched(client, "naloxone"))

    assert plain[0] == OVERDOSE
    for typed in ("NALOXONE", "Naloxóne", "nalöxone"):
        assert found(searched(client, typed)) == plain, typed


def test_accented_text_is_found_without_its_accents():
    guide = GuideFactory(title="Café drop-in hours", body_markdown="The café is open.")

    for typed in ("cafe", "CAFÉ"):
        assert search.search(typed).results[0].url == guide.get_absolute_url()


def test_a_spanish_spelling_is_corrected_to_the_guides_word(client, guides):
    html = searched(client, "naloxóna")

    assert "Showing results for" in html and "<strong>naloxone</strong>" in html
    assert found(html)[0] == OVERDOSE


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ("inpatient residential care", "/programs/"),
        ("paid referral line", "/about/"),
        ("privacy", "/privacy/"),
    ],
)
def test_the_programs_about_and_privacy_pages_are_found(client, guides, query, address):
    html = searched(client, query)

    assert address in found(html)[:3]
    assert "About our clinic" in html


def test_when_no_page_has_every_word_pages_with_some_are_ranked():
    both = GuideFactory(title="Kratom", body_markdown="Kratom and xylazine.")
    one = GuideFactory(title="Other drugs", body_markdown="A word on xylazine.")
    GuideFactory(title="Unrelated", body_markdown="Nothing to see.")

    answer = search.search("kratom xylazine zebra")

    assert answer.some_words_only
    assert [result.url for result in answer.results] == [
        both.get_absolute_url(), one.get_absolute_url()
    ]  # fmt: skip


def test_the_fallback_to_any_word_says_so(client, guides):
    html = searched(client, "heroin zebra")

    assert "Nothing has all of your words" in html
    assert len(found(html)) > 1


def test_stemmed_words_match_and_title_matches_rank_first():
    body_hit = GuideFactory(title="Getting support", body_markdown="Withdrawal can be hard.")
    title_hit = GuideFactory(title="Withdrawal explained", body_markdown="What happens.")
    GuideFactory(title="Unrelated", body_markdown="Nothing to see.")

    answer = search.search("withdrawing")

    assert [r.url for r in answer.results] == [
        title_hit.get_absolute_url(), body_hit.get_absolute_url()
    ]  # fmt: skip
    assert answer.corrected == ""


def test_draft_guides_are_not_found_nor_offered_as_corrections():
    GuideFactory(title="Xylazine wounds", status=Guide.Status.DRAFT)

    answer = search.search("xylazin")

    assert answer.results == () and answer.corrected == ""


def test_staff_add_a_synonym_in_the_admin_and_search_uses_it(
    client, guides, django_capture_on_commit_callbacks
):
    assert found(searched(client, "jonesing")) == []
    client.force_login(user_in_role(roles.CONTENT_EDITORS))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/education/searchsynonym/add/",
            {"language": "en", "term": " Jonesing ", "means": "cravings"},
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SearchSynonym.objects.get(means="cravings").term == "jonesing"
    client.logout()
    assert WITHDRAWAL in found(searched(client, "jonesing"))
    assert found(searched(client, "jonesin")) == found(searched(client, "jonesing"))


def test_a_synonym_typed_again_with_capitals_is_refused(client):
    client.force_login(user_in_role(roles.CONTENT_EDITORS))

    response = client.post(
        "/admin/education/searchsynonym/add/",
        {"language": "en", "term": "SUBOXONE", "means": "buprenorphine"},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()


@pytest.fixture
def kept_searches(settings):
    """Searches kept in memory as in production, the shared version read on every search."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    # A version of this test's own: nothing another test kept is current.
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def test_a_search_answers_in_a_constant_number_of_queries(client, guides, kept_searches):
    def queries_for(query):
        with CaptureQueriesContext(connection) as queries:
            assert found(searched(client, query))
        return len(queries)

    first_time = [queries_for(q) for q in ("withdrawal", "heroin withdrawl symptoms", "my son")]
    typed_again = [queries_for(q) for q in ("withdrawal", "heroin withdrawl symptoms", "my son")]
    typed_otherwise = [queries_for(q) for q in ("Withdrawal", "HEROIN withdrawl symptoms")]

    # The content version, the spelling check, the synonyms, the guides and the pages.
    assert first_time == [5, 5, 5]
    # The content version only: the page, then the answer (the same words), are kept.
    assert typed_again == [1, 1, 1]
    assert typed_otherwise == [1, 1]


def test_a_kept_search_shows_a_guide_edit_at_once(
    client, guides, kept_searches, django_capture_on_commit_callbacks
):
    assert "Heroin withdrawal: what to expect" in searched(client, "withdrawal")
    guide = Guide.objects.get(slug="heroin-withdrawal")

    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Withdrawal, explained by our nurses"
        guide.save()

    html = searched(client, "withdrawal")
    assert "Withdrawal, explained by our nurses" in html
    assert "Heroin withdrawal: what to expect" not in html


def test_loading_the_guides_indexes_the_clinic_pages_and_a_second_load_changes_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        guides_load()
    cache.set(VERSION_KEY, "after the first load", timeout=None)

    with django_capture_on_commit_callbacks(execute=True):
        guides_load()

    assert {page.url_name: page.title for page in SearchPage.objects.filter(language="en")} == {
        "education:programs": "Treatment programs",
        "education:about": "About us",
        "education:privacy": "Privacy",
    }
    assert sorted(page.get_absolute_url() for page in SearchPage.objects.filter(language="es")) == [
        "/es/about/", "/es/privacy/", "/es/programs/"
    ]  # fmt: skip
    assert cache.get(VERSION_KEY) == "after the first load"  # nothing to drop


def test_a_kept_search_page_is_still_kept_by_no_browser_or_shared_cache(
    client, guides, kept_searches
):
    first = client.get("/learn/search/", {"q": "narcan"})

    again = client.get("/learn/search/", {"q": "narcan"})

    assert again.content == first.content
    assert {"private", "no-store"} <= {part.strip() for part in again["Cache-Control"].split(",")}
    assert again["Content-Security-Policy"] and again["Content-Type"].startswith("text/html")
