"""Staff preview a guide exactly as visitors would see it: its draft, or what the change form
holds before saving, on staff-only addresses that no cache keeps and no search engine
indexes. The public page stays as published."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import resolve

from education.models import Guide, GuideRevision
from education.revisions import content_of
from education.services import draft_save
from recovery_site import roles
from tests.factories import GuideFactory, SourceFactory, UserFactory, user_in_role
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

GUIDES = "/admin/education/guide/"
PUBLISHED_WORDS = "Withdrawal is hard but it passes."
DRAFT_WORDS = "Our nurses added this line."


def preview_url(guide) -> str:
    return f"{GUIDES}{guide.pk}/preview/"


def page_url(guide) -> str:
    return f"{GUIDES}{guide.pk}/preview/page/"


@pytest.fixture
def live_guide(db):
    guide = GuideFactory(title="Withdrawal", slug="withdrawal", body_markdown=PUBLISHED_WORDS)
    SourceFactory(guide=guide, title="TIP 63", publisher="SAMHSA")
    return guide


@pytest.fixture
def editor(staff_roles, client):
    user = user_in_role(roles.CONTENT_EDITORS, username="dana")
    client.force_login(user)
    return user


def with_draft(guide, author, **changes):
    draft_save(guide=guide, content={**content_of(guide), **changes}, author=author)
    guide.refresh_from_db()
    return guide


def post_form(client, url, guide, **changes):
    """Press Preview on the guide's change form with `changes` typed in (not saved)."""
    return client.post(url, change_form_data(guide, **changes))


# Who may see a preview.


def test_someone_not_signed_in_is_sent_to_sign_in(client, live_guide):
    for response in (
        client.get(preview_url(live_guide)),
        client.get(page_url(live_guide)),
        post_form(client, preview_url(live_guide), live_guide),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_without_access_to_guides_are_refused(client, live_guide):
    client.force_login(UserFactory(username="no-guides"))

    assert client.get(preview_url(live_guide)).status_code == 403
    assert client.get(page_url(live_guide)).status_code == 403
    assert post_form(client, preview_url(live_guide), live_guide).status_code == 403


# A draft.


def test_an_editor_previews_a_draft_while_visitors_still_read_the_published_guide(
    client, editor, live_guide
):
    with_draft(live_guide, editor, body_markdown=f"{PUBLISHED_WORDS}\n\n{DRAFT_WORDS}")

    bar = client.get(preview_url(live_guide)).content.decode()
    page = client.get(page_url(live_guide)).content.decode()

    assert "Preview of unpublished changes — not on the site" in bar
    assert f'src="{page_url(live_guide)}"' in bar
    assert DRAFT_WORDS in page
    assert "TIP 63" in page  # the site's own guide template, sources and all
    assert 'class="prose guide__body"' in page
    assert DRAFT_WORDS not in client.get("/learn/withdrawal/").content.decode()


def test_a_guide_without_a_draft_previews_as_stored(client, editor, live_guide):
    page = client.get(page_url(live_guide)).content.decode()

    assert PUBLISHED_WORDS in page
    assert "Preview of the guide as it is on the site" in (
        client.get(preview_url(live_guide)).content.decode()
    )


def test_the_phone_width_link_frames_the_page_at_phone_width(client, editor, live_guide):
    response = client.get(preview_url(live_guide), {"width": "phone"})

    html = response.content.decode()
    assert 'class="preview preview--phone"' in html
    assert re.search(r'<a href="\?width=phone" aria-current="page">Phone width</a>', html)
    assert '<a href="?width=desktop">Desktop width</a>' in html


# Never cached, never indexed.


def test_every_preview_response_is_kept_out_of_caches_and_search_engines(
    client, editor, live_guide
):
    key_response = post_form(client, preview_url(live_guide), live_guide)
    unsaved = key_response["Location"]
    for url in (preview_url(live_guide), page_url(live_guide), unsaved, f"{unsaved}page/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert response["X-Robots-Tag"] == "noindex, nofollow", url
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_only_the_page_may_be_framed_and_only_by_this_site(client, editor, live_guide):
    bar = client.get(preview_url(live_guide))
    page = client.get(page_url(live_guide))

    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert bar["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in bar["Content-Security-Policy"]
    assert "frame-src 'self'" in bar["Content-Security-Policy"]
    # Otherwise as strict as every page: nothing from elsewhere, no inline script.
    for response in (bar, page):
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert "<script>" not in response.content.decode()


def test_the_page_cache_never_keeps_a_preview_and_the_public_page_is_unchanged(
    client, editor, live_guide, settings
):
    settings.PAGE_CACHE_ENABLED = True
    with_draft(live_guide, editor, body_markdown=DRAFT_WORDS)
    visitor = type(client)()
    before = visitor.get("/learn/withdrawal/").content

    client.get(page_url(live_guide))

    assert not getattr(resolve(page_url(live_guide)).func, "cacheable_page", False)
    after = visitor.get("/learn/withdrawal/").content
    assert after == before
    assert DRAFT_WORDS.encode() not in after


# Unsaved form content.


def test_preview_shows_what_the_form_holds_without_saving_it(client, editor, live_guide):
    response = post_form(
        client, preview_url(live_guide), live_guide, body_markdown="Typed, not saved yet."
    )

    assert response.status_code == 303
    assert "Typed" not in response["Location"]  # the text stays out of the address
    bar = client.get(response["Location"]).content.decode()
    assert "Preview of the form as it is now, saved or not — not on the site" in bar
    assert "previewing saves nothing" in bar
    page = client.get(response["Location"] + "page/").content.decode()
    assert "Typed, not saved yet." in page
    live_guide.refresh_from_db()
    assert live_guide.body_markdown == PUBLISHED_WORDS
    assert live_guide.draft is None
    assert not GuideRevision.objects.filter(guide=live_guide).exists()


def test_a_new_guide_can_be_previewed_before_it_is_first_saved(client, editor, live_guide):
    data = change_form_data(live_guide, title="Naloxone at home", slug="naloxone-at-home",
                            body_markdown="Keep it where you can reach it.")  # fmt: skip

    response = client.post(f"{GUIDES}add/preview/", data)

    page = client.get(response["Location"] + "page/").content.decode()
    assert "<h1>Naloxone at home</h1>" in page
    assert "Keep it where you can reach it." in page
    assert not Guide.objects.filter(slug="naloxone-at-home").exists()


def test_a_form_with_mistakes_previews_what_it_can_and_says_what_is_missing(
    client, editor, live_guide
):
    response = post_form(
        client, preview_url(live_guide), live_guide, title="", topic="",
        body_markdown="The new middle part.", **{
            "sources-0-title": "A page", "sources-0-publisher": "CDC",
            "sources-0-url": "not an address",
        },
    )  # fmt: skip

    bar = client.get(response["Location"])
    page = client.get(response["Location"] + "page/")
    assert bar.status_code == page.status_code == 200
    assert "Title: This field is required." in bar.content.decode()
    assert "Topic: This field is required." in bar.content.decode()
    assert "Source 1: Enter a valid URL." in bar.content.decode()
    assert "The new middle part." in page.content.decode()
    assert "Withdrawal" not in page.content.decode().split("<h1>")[1].split("</h1>")[0]


def test_a_post_with_nothing_in_it_is_not_an_error_page(client, editor, live_guide):
    response = client.post(preview_url(live_guide), {})

    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    assert client.get(response["Location"] + "page/").status_code == 200


def test_someone_else_cannot_open_my_unsaved_preview(client, editor, live_guide):
    location = post_form(client, preview_url(live_guide), live_guide)["Location"]
    other = type(client)()
    other.force_login(user_in_role(roles.CONTENT_EDITORS, username="sam"))

    assert other.get(location).status_code == 404
    assert other.get(location + "page/").status_code == 404


def test_the_change_form_offers_the_preview_button(client, editor, live_guide):
    response = client.get(f"{GUIDES}{live_guide.pk}/change/")

    assert response.context["guide_preview_url"] == preview_url(live_guide)
    button = render_to_string(
        "admin/education/guide/preview_button.html", {"guide_preview_url": preview_url(live_guide)}
    )
    assert f'formaction="{preview_url(live_guide)}"' in button
    assert 'formtarget="_blank"' in button


# View on site, and the slug's help text.


def test_view_on_site_opens_the_preview_until_the_guide_is_published(client, editor):
    new = GuideFactory(status="draft")
    live = GuideFactory()

    new_form = client.get(f"{GUIDES}{new.pk}/change/").content.decode()
    live_form = client.get(f"{GUIDES}{live.pk}/change/").content.decode()

    assert f'href="{preview_url(new)}" class="viewsitelink"' in new_form
    assert client.get(preview_url(new)).status_code == 200
    assert f'href="/learn/{live.slug}/" class="viewsitelink"' in live_form


def test_the_slug_help_text_shows_the_address_in_full(client, editor):
    form = client.get(f"{GUIDES}add/").content.decode()

    # The admin shows help texts as HTML: an address written "/learn/<slug>/" lost its slug.
    assert "<div>The guide's address: /learn/this-slug/.</div>" in form
    assert "/learn//." not in form
