"""The form pages come from memory (intake/form_cache.py), and are the page a fresh render
gives, each visitor with their own tokens; a form holding what someone typed never does."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from intake import form_cache
from intake.forms import ConsultationForm, ContactForm
from intake.models import HelpRequest
from intake.spam import TOKEN_SALT
from tests.helpers import form_fields_as_shown

pytestmark = pytest.mark.django_db

FORM_PAGES = ["/consultation/", "/contact/", "/es/consultation/", "/es/contact/"]
TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|form_token)" value=")[^"]*"')


@pytest.fixture(autouse=True)
def _nothing_kept_yet(monkeypatch):
    monkeypatch.setattr(form_cache, "_kept_forms", {})
    monkeypatch.setattr(form_cache, "_kept_pages", form_cache.KeptInMemory())


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 60


def headers(response) -> dict:
    """Every header but the request id, the length (it varies with the tokens) and Expires
    (never_cache's "now")."""
    varying = {"X-Request-ID", "Content-Length", "Expires"}
    return {name: value for name, value in response.items() if name not in varying}


def without_tokens(html: str) -> str:
    return TOKENS.sub(r'\1"', html)


def tokens(html: str) -> tuple[str, str]:
    fields = form_fields_as_shown(html)
    return fields["csrfmiddlewaretoken"], fields["form_token"]


def kept_page(client, path, **extra):
    """The form page as a later visitor gets it, checked to come from memory."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert len(queries) == 0, f"{path} was rendered again"
    return response


@pytest.mark.parametrize("path", FORM_PAGES)
def test_a_kept_form_page_is_the_freshly_rendered_page_but_for_its_tokens(client, settings, path):
    fresh = Client().get(path)  # the page cache is off in tests
    settings.PAGE_CACHE_ENABLED, settings.PAGE_CACHE_VERSION_SECONDS = True, 60
    client.get(path)

    kept = kept_page(Client(), path)

    assert kept.status_code == fresh.status_code == 200
    assert without_tokens(kept.content.decode()) == without_tokens(fresh.content.decode())
    assert headers(kept) == headers(fresh)
    assert "csrftoken" in kept.cookies


@pytest.mark.parametrize(
    ("form_class", "language"),
    [(ConsultationForm, "en"), (ContactForm, "en"), (ConsultationForm, "es"), (ContactForm, "es")],
)
def test_a_kept_form_is_what_crispy_forms_draws(rf, form_class, language):
    crispy = Template("{% load crispy_forms_tags %}{% crispy form %}")
    kept = Template("{% load request_forms %}{% request_form form %}")
    with translation.override(language):
        kept.render(Context({"form": form_class()}))  # drawn and kept

        form = form_class(initial={"source_page": '/learn/a "quoted" <page>/'})
        assert kept.render(Context({"form": form})) == crispy.render(Context({"form": form}))
        assert 'value="/learn/a &quot;quoted&quot; &lt;page&gt;/"' in crispy.render(
            Context({"form": form})
        )


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_visitor_gets_their_own_tokens(client, page_cache_on, path):
    first = client.get(path).content.decode()
    second = kept_page(client, path).content.decode()
    third = kept_page(client, path).content.decode()

    assert len({tokens(first), tokens(second), tokens(third)}) == 3
    assert len({signing.loads(tokens(page)[1], salt=TOKEN_SALT)["key"]
                for page in (first, second, third)}) == 3  # fmt: skip


def test_the_page_the_visitor_came_from_is_filled_in(client, page_cache_on):
    client.get("/contact/")  # kept without a page to come from

    came_from = kept_page(client, "/contact/", HTTP_REFERER="http://testserver/learn/x/")
    no_referrer = kept_page(client, "/contact/")

    assert form_fields_as_shown(came_from.content.decode())["source_page"] == "/learn/x/"
    assert 'name="source_page" id=' in no_referrer.content.decode()  # no value, as Django


def test_a_visitor_sends_the_form_from_a_kept_page(client, page_cache_on, contact_data):
    client.get("/contact/")
    page = kept_page(client, "/contact/").content.decode()
    csrf, token = tokens(page)

    client.handler.enforce_csrf_checks = True
    sent = {**contact_data, "csrfmiddlewaretoken": csrf, "form_token": token}
    response = client.post("/contact/", sent, follow=True)

    # Its tokens are good: a token this fresh is a quick send, and "Send now" asks, as on a
    # freshly rendered page.
    assert response.status_code == 200
    assert "Send now" in response.content.decode()


@pytest.mark.parametrize("path", ["/consultation/", "/es/consultation/"])
def test_a_form_with_mistakes_is_drawn_afresh_and_never_kept(
    client, page_cache_on, consultation_data, path
):
    client.get(path)
    consultation_data["name"] = ""

    shown = client.post(path, consultation_data, follow=True).content.decode()
    again = client.get(path).content.decode()

    assert 'aria-invalid="true"' in shown and "(202) 555-0143" in shown
    assert 'aria-invalid="true"' not in again and "(202) 555-0143" not in again
    assert not HelpRequest.objects.exists()
