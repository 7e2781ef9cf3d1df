"""Every page carries the clinic's phone number, the crisis lines and a quick exit."""

import pytest
from django.conf import settings
from django.utils import translation

from recovery_site.views import error_page
from tests.helpers import clinic_clock


@pytest.mark.django_db
def test_home_page_shows_phone_crisis_lines_and_quick_exit(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="tel:{settings.CLINIC["phone_e164"]}"' in html
    assert 'href="tel:988"' in html
    assert "1-800-662-4357" in html
    assert 'href="tel:911"' in html
    assert 'id="quick-exit"' in html
    assert "does not erase your browser history" in html


@pytest.mark.django_db
def test_the_exit_comes_before_everything_else_on_the_page(client):
    html = client.get("/").content.decode()
    body = html[html.index("<body>") :]

    assert body.index('id="quick-exit"') < body.index('href="#main"') < body.index('href="tel:911"')
    assert body.index('href="tel:988"') < body.index("/learn/overdose-what-to-do/")
    assert body.index("/learn/overdose-what-to-do/") < body.index("<header")
    # The explanation of the Shift shortcut waits for the script that makes the shortcut work.
    assert '<details class="crisis__help" id="quick-exit-help" hidden>' in body


@pytest.mark.django_db
def test_on_a_weekday_afternoon_the_header_says_the_clinic_is_open_until_closing(
    client, monkeypatch
):
    clinic_clock(monkeypatch, 2026, 11, 23, 15, 30)  # a Monday

    html = client.get("/").content.decode()

    assert "Open now until 8 p.m." in html
    assert "Closed now" not in html


@pytest.mark.django_db
def test_on_a_weekday_night_the_header_says_closed_and_gives_the_lines_open_all_night(
    client, monkeypatch
):
    clinic_clock(monkeypatch, 2026, 11, 23, 21, 5)  # Monday, after closing

    html = client.get("/").content.decode()

    assert (
        'Closed now — call <a href="tel:988">988</a> or '
        '<a href="tel:+18006624357">1-800-662-4357</a> any time'
    ) in html
    assert "Open now" not in html


@pytest.mark.django_db
def test_on_a_saturday_the_header_says_closed(client, monkeypatch):
    clinic_clock(monkeypatch, 2026, 11, 21, 11, 0)

    assert "Closed now — call" in client.get("/").content.decode()


@pytest.mark.django_db
def test_search_box_is_in_the_header_of_guide_pages_only(client, guides):
    assert 'id="site-search-q"' in client.get("/learn/").content.decode()
    assert 'id="site-search-q"' in client.get("/learn/heroin-withdrawal/").content.decode()
    assert 'id="site-search-q"' not in client.get("/").content.decode()
    assert 'id="site-search-q"' not in client.get("/about/").content.decode()


@pytest.mark.django_db
def test_script_is_served_with_a_hashed_name_and_cached_for_a_year(client):
    # The stylesheet is inline (tests/test_first_paint_css.py); the script is still a file.
    html = client.get("/").content.decode()
    start = html.index("/static/js/quick-exit.")
    href = html[start : html.index('"', start)]

    assert href != "/static/js/quick-exit.js", "static files must carry a content hash"
    response = client.get(href)
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert b"quick-exit" in body
    assert (
        "max-age=315360000" in response["Cache-Control"] or "immutable" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_admin_sign_in_page_loads(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.django_db
def test_administrator_reaches_the_admin_home(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert b"Requests for help and guides" in response.content


SPANISH_PAGES = ["/es/", "/es/about/", "/es/programs/", "/es/privacy/", "/es/learn/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_a_spanish_page_is_marked_spanish_and_its_chrome_speaks_spanish(client, path):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Ir al contenido principal" in html and "Skip to main content" not in html
    assert "Ayuda urgente, de día y de noche" in html  # the footer
    assert "Urgent help" not in html


@pytest.mark.django_db
def test_the_language_switch_on_a_spanish_page_leads_to_the_same_page_in_english(client):
    html = client.get("/es/privacy/").content.decode()
    switch = html.split('class="language-switch"')[1].split("</ul>")[0]

    assert '<a href="/privacy/" lang="en" hreflang="en">English</a>' in switch
    assert client.get("/privacy/").status_code == 200


@pytest.mark.django_db
def test_a_missing_spanish_page_says_so_in_spanish(client):
    response = client.get("/es/nope/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in html
    assert "No encontramos esa página" in html


def test_an_error_page_for_a_spanish_address_is_in_spanish():
    with translation.override("es"):
        response = error_page(500)

    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Algo falló de nuestro lado" in html and "Something went wrong" not in html
    assert 'llame o envíe un mensaje de texto al <a href="tel:988">988</a>' in html
