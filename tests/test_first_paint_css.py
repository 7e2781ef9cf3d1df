"""A page paints from its first response: the site's stylesheet is inline, allowed by hash.

On slow 3G every request costs a 2 s round trip, so base.html inlines css/site.css
(site_tags.inline_css) instead of linking it; scripts/first_paint.py measures the effect.
"""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

GUIDE = "/learn/overdose-what-to-do/"
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def inline_styles(response) -> list[str]:
    return STYLE.findall(response.content.decode())


def style_src(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        if name == "style-src":
            return sources
    return []


def csp_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", [GUIDE, "/consultation/"])
def test_a_page_carries_its_styles_and_asks_for_no_stylesheet(client, guides, path):
    response = client.get(path)

    [style] = inline_styles(response)
    assert ".skip-link" in style
    assert 'rel="stylesheet"' not in response.content.decode()


@pytest.mark.parametrize("path", [GUIDE, "/consultation/", "/no-such-page/"])
def test_the_policy_allows_exactly_the_inline_styles_by_their_hash(client, guides, path):
    response = client.get(path)

    [style] = inline_styles(response)
    assert csp_source(style) in style_src(response)
    assert "'unsafe-inline'" not in style_src(response)


def test_the_not_found_page_is_styled_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert ".skip-link" in inline_styles(response)[0]


def test_an_edited_stylesheet_is_inlined_with_its_new_hash(client, guides, settings, tmp_path):
    original = client.get(GUIDE)
    (tmp_path / "css").mkdir()
    edited = Path(finders.find("css/site.css")).read_text(encoding="utf-8") + "\n.edited { }\n"
    (tmp_path / "css" / "site.css").write_text(edited, encoding="utf-8")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    response = client.get(GUIDE)

    [style] = inline_styles(response)
    assert ".edited{}" in style  # minified, as the whole stylesheet is
    assert csp_source(style) in style_src(response)
    assert csp_source(inline_styles(original)[0]) not in style_src(response)


def test_the_page_cache_still_keeps_a_guide(client, guides, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    first = client.get(GUIDE)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(GUIDE)

    assert len(queries) == 0
    assert again.content == first.content
    assert csp_source(inline_styles(again)[0]) in style_src(again)
    assert "nonce-" not in again["Content-Security-Policy"]


def test_the_admin_keeps_its_own_stylesheets(client):
    response = client.get("/admin/login/")

    assert 'rel="stylesheet"' in response.content.decode()
    assert inline_styles(response) == []
