"""A member of staff may read the admin in Spanish: their own choice, for their own pages."""

import pytest

from recovery_site.models import StaffPreferences
from tests.factories import GuideFactory, UserFactory

pytestmark = pytest.mark.django_db
CHOICE = "/admin/passkeys/language/"


def test_a_staff_member_chooses_spanish_for_their_own_admin_only(client):
    lucia, sam = UserFactory(username="lucia"), UserFactory(username="sam")
    GuideFactory(slug="withdrawal")
    client.force_login(lucia)

    offered = client.get("/admin/passkeys/").content.decode()
    response = client.post(CHOICE, {"admin_language": "es"}, follow=True)
    own_admin = client.get("/admin/")
    visitor_page = client.get("/learn/withdrawal/")
    client.force_login(sam)
    other_admin = client.get("/admin/")

    assert 'name="admin_language" value="es"' in offered and "Español" in offered
    assert "The language of your admin is saved." in response.content.decode()
    assert StaffPreferences.objects.get(user=lucia).admin_language == "es"
    assert '<html lang="es"' in own_admin.content.decode()
    assert "Cerrar sesión" in own_admin.content.decode()  # Django's own words
    assert own_admin["Content-Language"] == "es"
    assert '<html lang="en"' in visitor_page.content.decode()  # never a visitor's page
    assert visitor_page["Content-Language"] == "en"
    assert '<html lang="en' in other_admin.content.decode()
    assert "Log out" in other_admin.content.decode()


def test_the_choice_is_kept_for_the_next_sign_in_and_can_be_undone(client):
    lucia = UserFactory(username="lucia")
    StaffPreferences.objects.create(user=lucia, admin_language="es")
    client.force_login(lucia)

    spanish = client.get("/admin/").content.decode()
    client.post(CHOICE, {"admin_language": "en"})
    english = client.get("/admin/").content.decode()

    assert "Cerrar sesión" in spanish
    assert "Log out" in english and "Cerrar sesión" not in english
