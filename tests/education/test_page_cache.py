"""Readers' pages come from memory: no rendering, no database, and fresh after an edit."""

from collections import Counter
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, path

from education.models import Guide
from education.page_cache import cacheable_page
from intake.models import HelpRequest
from tests.helpers import clinic_clock

pytestmark = pytest.mark.django_db

# Pages for the test that marks one view and not the other (@pytest.mark.urls(__name__)).
renders = Counter()


@cacheable_page
def marked_page(request):
    renders["marked"] += 1
    return HttpResponse("<p>The same for everyone.</p>")


def unmarked_page(request):
    renders["unmarked"] += 1
    return HttpResponse("<p>Nobody said this may be kept.</p>")


urlpatterns = [path("marked/", marked_page), path("unmarked/", unmarked_page)]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 0  # check the shared version on every request


def test_a_guide_read_again_is_served_without_rendering(client, guides, settings):
    first = client.get("/learn/heroin-withdrawal/")
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    client.get("/")  # the version is read here, then trusted for a minute

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/learn/heroin-withdrawal/")

    assert len(queries) == 0
    assert again.content == first.content
    assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"
    assert "no-cache" in again["Cache-Control"] and again.has_header("ETag")


def test_a_staff_edit_shows_at_once(client, guides, django_capture_on_commit_callbacks):
    client.get("/learn/heroin-withdrawal/")
    guide = Guide.objects.get(slug="heroin-withdrawal")
    with django_capture_on_commit_callbacks(execute=True):  # the edit is committed
        guide.title = "Withdrawal, explained by our nurses"
        guide.save()

    assert (
        "Withdrawal, explained by our nurses"
        in client.get("/learn/heroin-withdrawal/").content.decode()
    )


def test_a_page_kept_while_the_clinic_was_open_is_not_served_after_it_closes(
    client, guides, monkeypatch
):
    clinic_clock(monkeypatch, 2026, 11, 23, 19, 55)  # Monday, five minutes before closing
    assert "Open now until 8 p.m." in client.get("/learn/heroin-withdrawal/").content.decode()

    clinic_clock(monkeypatch, 2026, 11, 23, 20, 5)
    page = client.get("/learn/heroin-withdrawal/").content.decode()

    assert "Open now" not in page and "Closed now" in page


def test_a_visitor_with_a_session_is_never_served_from_memory(client, guides):
    client.get("/learn/heroin-withdrawal/")
    client.cookies["sessionid"] = "abc"

    with CaptureQueriesContext(connection) as queries:
        client.get("/learn/heroin-withdrawal/")

    assert len(queries) > 0


@pytest.mark.urls(__name__)
def test_a_page_whose_view_is_not_marked_is_rendered_for_every_visitor(client):
    renders.clear()

    for _visitor in range(3):
        client.get("/marked/")
        client.get("/unmarked/")

    assert renders == {"marked": 1, "unmarked": 3}


def test_the_reading_pages_and_only_they_are_marked_to_be_kept():
    def views(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from views(pattern.url_patterns, inner)
            else:
                yield f"{namespace}{pattern.name}", pattern.callback

    marked = {
        name
        for name, view in views(get_resolver().url_patterns)
        if getattr(view, "cacheable_page", False)
    }
    # Search is not among them: what a visitor searches for is theirs, and its view keeps
    # its pages per query itself (tests/education/test_search.py).
    assert marked == {
        "education:home", "education:guide_list", "education:guide_detail",
        "education:programs", "education:about", "education:privacy",
    }  # fmt: skip


# The outage can cost the test its connection, and with it the transaction that would roll
# back the request stored once the database is back: commit, then empty every table.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_cached_guides_still_serve_and_forms_answer_503(
    client, guides, settings, contact_data
):
    client.get("/learn/heroin-withdrawal/")
    client.raise_request_exception = False  # answer as the server would, not re-raise
    down = mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("could not connect to server"),
    )

    with down:
        guide = client.get("/learn/heroin-withdrawal/")
        form = client.post("/contact/", contact_data)
        library = client.get("/learn/search/?q=withdrawal")
        health = client.get("/healthz")

    assert guide.status_code == 200 and b"Heroin withdrawal" in guide.content
    assert form.status_code == 503 and settings.CLINIC["phone"].encode() in form.content
    assert contact_data["message"].encode() in form.content  # nothing typed is lost
    assert library.status_code == 503 and health.status_code == 503
    # Back without a restart: the same post is stored now.
    assert client.post("/contact/", contact_data).status_code == 302
    assert HelpRequest.objects.count() == 1
