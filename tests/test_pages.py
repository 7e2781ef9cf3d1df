"""Every page carries the clinic's phone number, the crisis lines and a quick exit."""

import pytest
from django.conf import settings


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
def test_stylesheet_is_served_with_a_hashed_name_and_cached_for_a_year(client):
    html = client.get("/").content.decode()
    start = html.index("/static/css/site.")
    href = html[start : html.index('"', start)]

    assert href != "/static/css/site.css", "static files must carry a content hash"
    response = client.get(href)
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert b".skip-link" in body
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
