"""A page served from memory is the same answer as a freshly rendered one, headers included.

The page cache answers before the security middleware (education/page_cache.py), so a kept
page must still carry every header those gave it: CSP, HSTS, X-Frame-Options, the policies,
its language, its ETag and the 304 a browser revalidating gets.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGES = [
    ("/", "en"),
    ("/learn/heroin-withdrawal/", "en"),
    ("/es/", "es"),
    ("/es/learn/abstinencia-de-heroina/", "es"),
]
SECURITY_HEADERS = {
    "Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options",
    "Referrer-Policy", "X-Content-Type-Options", "Cross-Origin-Opener-Policy",
    "Permissions-Policy", "Reporting-Endpoints", "Content-Language", "ETag", "Cache-Control",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    settings.SECURE_HSTS_SECONDS = 3600


def headers(response) -> dict:
    """Every header but the request id, which is each request's own."""
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


def from_memory(client, path, **extra):
    """The page at `path` as a second visitor gets it, checked to come from memory."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert len(queries) == 0, f"{path} was rendered again"
    return response


@pytest.mark.parametrize(("path", "language"), PAGES)
def test_a_kept_page_carries_exactly_the_headers_of_a_fresh_one(client, guides, path, language):
    fresh = client.get(path, secure=True)

    kept = from_memory(client, path, secure=True)

    assert kept.status_code == fresh.status_code == 200
    assert kept.content == fresh.content
    assert headers(kept) == headers(fresh)
    assert set(headers(kept)) >= SECURITY_HEADERS
    assert kept["Content-Language"] == language


@pytest.mark.parametrize(("path", "language"), PAGES)
def test_a_browser_revalidating_a_kept_page_gets_the_304_a_fresh_page_gives(
    client, guides, settings, path, language
):
    etag = client.get(path, secure=True)["ETag"]
    settings.PAGE_CACHE_ENABLED = False
    fresh = client.get(path, secure=True, headers={"if-none-match": etag})
    settings.PAGE_CACHE_ENABLED = True

    kept = from_memory(client, path, secure=True, headers={"if-none-match": etag})

    assert kept.status_code == fresh.status_code == 304
    assert kept.content == fresh.content == b""
    assert headers(kept) == headers(fresh)
    assert kept["Content-Language"] == language


def test_a_changed_page_is_sent_whole_to_a_browser_with_an_older_copy(client, guides):
    page = client.get("/learn/heroin-withdrawal/")

    again = from_memory(client, "/learn/heroin-withdrawal/", headers={"if-none-match": '"old"'})

    assert again.status_code == 200 and again.content == page.content


def test_plain_http_is_not_served_the_page_kept_for_https(client, guides, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/learn/heroin-withdrawal/", secure=True).status_code == 200

    response = client.get("/learn/heroin-withdrawal/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/learn/heroin-withdrawal/"
