"""What a visitor sees on the public reading pages."""

import gzip
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from education.models import Guide
from recovery_site.views import server_error
from tests.factories import GuideFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/learn/", "/learn/search/", "/programs/", "/about/", "/privacy/"]


def html_of(response):
    return response.content.decode()


def title_and_description(html):
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    return title, description


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/learn/heroin-withdrawal/"])
def test_every_public_page_has_phone_crisis_lines_quick_exit_and_one_h1(client, guides, path):
    html = html_of(client.get(path))

    assert f'href="tel:{settings.CLINIC["phone_e164"]}"' in html
    assert 'href="tel:988"' in html and "1-800-662-4357" in html and 'href="tel:911"' in html
    assert 'id="quick-exit"' in html
    assert html.count("<h1") == 1
    assert '<link rel="canonical" href="http://testserver' in html
    assert '<meta property="og:title"' in html


def test_every_page_has_its_own_title_and_description(client, guides):
    pages = [*PUBLIC_PAGES, *[g.get_absolute_url() for g in guides]]

    seen = [title_and_description(html_of(client.get(path))) for path in pages]

    assert len({title for title, _ in seen}) == len(pages)
    assert len({description for _, description in seen}) == len(pages)


def test_home_page_offers_programs_featured_guides_and_ways_to_get_help(client, guides):
    html = html_of(client.get("/"))

    for program in ("detox", "inpatient", "outpatient", "virtual", "medication-assisted-treatment"):
        assert f'/programs/#{program}"' in html
    for featured in Guide.objects.featured():
        assert featured.get_absolute_url() in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "MedicalClinic"
    assert data["telephone"] == settings.CLINIC["phone_e164"]


def test_library_lists_every_published_guide_under_its_topic(client, guides):
    draft = GuideFactory(title="Unfinished draft", status=Guide.Status.DRAFT)

    html = html_of(client.get("/learn/"))

    for guide in guides.filter(language="en"):
        assert guide.get_absolute_url() in html
        assert f'id="{guide.topic.slug}"' in html
    assert draft.title not in html


def test_guide_page_shows_contents_review_sources_and_related_guides(client, guides):
    guide = guides.get(slug="heroin-withdrawal")

    html = html_of(client.get("/learn/heroin-withdrawal/"))

    for item in guide.toc:
        assert f'href="#{item["id"]}"' in html
        assert f'id="{item["id"]}"' in html
    assert f"{guide.reading_minutes} min read" in html
    assert "Medical review pending" in html  # the shipped reviewer is a placeholder
    for source in guide.sources.all():
        assert source.title in html
        assert f'href="{source.url}"' in html
    for other in guide.related.all():
        assert other.get_absolute_url() in html


def test_guide_page_describes_itself_to_search_engines(client, guides):
    guides.filter(slug="heroin-withdrawal").update(reviewer=ReviewerFactory(name="Ana Lima"))
    html = html_of(client.get("/learn/heroin-withdrawal/"))

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == str(guides.get(slug="heroin-withdrawal").reviewed_on)
    assert data["reviewedBy"]["name"] == "Ana Lima"
    assert '<meta property="og:type" content="article">' in html


def test_guide_page_runs_a_fixed_small_number_of_queries(client, guides):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/learn/treatment-options/")

    assert response.status_code == 200
    assert len(queries) <= 3


def test_guide_page_html_css_and_js_transfer_under_60_kb_compressed(client, guides):
    response = client.get("/learn/treatment-options/", headers={"accept-encoding": "gzip"})
    html = (
        response.content
        if response.get("Content-Encoding") != "gzip"
        else gzip.decompress(response.content)
    )
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        asset_response = client.get(asset.decode())
        total += len(gzip.compress(b"".join(asset_response.streaming_content)))
        asset_response.close()

    assert total < 60 * 1024


def test_guide_page_answers_a_conditional_request_with_304(client, guides):
    first = client.get("/learn/heroin-withdrawal/")
    assert first.has_header("ETag") and first.has_header("Last-Modified")

    again = client.get("/learn/heroin-withdrawal/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304


def test_browsers_must_check_back_before_reusing_a_page(client, guides):
    for path in ("/", "/learn/", "/learn/heroin-withdrawal/"):
        assert "no-cache" in client.get(path)["Cache-Control"]


def test_reading_a_guide_sets_no_cookie(client, guides):
    response = client.get("/learn/heroin-withdrawal/")

    assert response.cookies == {}


def test_a_renamed_guide_answers_301_at_its_old_address(client):
    guide = GuideFactory(slug="old-address")
    guide.slug = "new-address"
    guide.save()

    response = client.get("/learn/old-address/")

    assert response.status_code == 301
    assert response["Location"] == "/learn/new-address/"


def test_drafts_and_unknown_guides_answer_404_with_help(client):
    draft = GuideFactory(status=Guide.Status.DRAFT)

    for path in (draft.get_absolute_url(), "/learn/no-such-guide/"):
        response = client.get(path)
        assert response.status_code == 404
        assert 'href="tel:988"' in html_of(response)
        assert settings.CLINIC["phone"] in html_of(response)


def test_search_finds_withdrawal_from_withdrawing_with_a_highlighted_snippet(client, guides):
    html = html_of(client.get("/learn/search/", {"q": "withdrawing"}))

    assert "/learn/heroin-withdrawal/" in html
    assert re.search(r"<mark>withdrawal</mark>", html, re.I)
    first_result = re.search(r'<ol class="search-results">.*?href="([^"]+)"', html, re.S).group(1)
    assert first_result == "/learn/heroin-withdrawal/"


def test_search_snippets_cannot_inject_markup(client):
    GuideFactory(title="Withdrawal", body_markdown="Withdrawal `<b>bold</b>` & more")

    html = html_of(client.get("/learn/search/", {"q": "withdrawal"}))

    assert "<b>bold</b>" not in html
    assert "bold  &amp; more" in html  # escaped: an "&" reaches the page as "&amp;"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        '"unbalanced',
        "a & | ! ( :*",
        "the",
        "x" * 5000,
        "\u202e🙂",
    ],
)
def test_empty_or_odd_searches_get_a_helpful_page(client, guides, query):
    response = client.get("/learn/search/", {"q": query})

    assert response.status_code == 200
    html = html_of(response)
    assert "/learn/heroin-withdrawal/" in html  # browse list or a real result
    assert "Search the guides" in html


def test_a_nul_byte_in_a_search_gets_the_friendly_400_page(client):
    response = client.get("/learn/search/", {"q": "naloxone\x00"})

    assert response.status_code == 400
    assert 'href="tel:988"' in response.content.decode()


def test_search_with_no_match_suggests_what_to_try(client, guides):
    html = html_of(client.get("/learn/search/", {"q": "zebra"}))

    assert "Nothing found for “zebra”" in html
    assert "withdrawal" in html


def test_sitemap_lists_pages_and_every_published_guide(client, guides):
    xml = client.get("/sitemap.xml").content.decode()

    for guide in guides:
        assert f"http://testserver{guide.get_absolute_url()}" in xml
    assert "<lastmod>" in xml
    assert "http://testserver/programs/" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_programs_page_covers_every_treatment_option(client):
    html = html_of(client.get("/programs/"))

    for anchor in ("detox", "inpatient", "outpatient", "virtual", "medication-assisted-treatment",
                   "aftercare"):  # fmt: skip
        assert f'id="{anchor}"' in html


def test_about_page_says_clinic_staff_answer_not_a_referral_line(client):
    html = html_of(client.get("/about/"))

    assert 'id="who-answers"' in html
    assert "We are not a paid referral line" in html


def test_privacy_page_explains_collection_retention_and_safe_browsing(client):
    html = html_of(client.get("/privacy/"))

    for section in ("what-we-collect", "who-sees-it", "how-long", "browsing-safely"):
        assert f'id="{section}"' in html
    assert "30 days after they were marked" in html
    assert f"deleted automatically {settings.INTAKE_RETENTION_DAYS} days after" in html


def test_server_error_page_shows_phone_and_crisis_lines_without_the_database(rf):
    with CaptureQueriesContext(connection) as queries:
        response = server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert settings.CLINIC["phone"] in html and 'href="tel:988"' in html
    assert len(queries) == 0


def test_privacy_page_states_the_retention_the_purge_uses(client, settings):
    settings.INTAKE_RETENTION_DAYS = 200

    assert "deleted automatically 200 days after" in html_of(client.get("/privacy/"))


def test_a_search_stays_out_of_the_title_and_every_cache(client, guides):
    response = client.get("/learn/search/", {"q": "my son overdosed on fentanyl"})

    html = response.content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "overdosed" not in title and "fentanyl" not in title
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
