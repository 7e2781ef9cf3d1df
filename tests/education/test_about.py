"""The About page's trust signals: licences, the clinical team, where we are, help any hour.

Everything on it comes from settings or the admin, so another clinic runs the same code.
"""

import re

import pytest

from education.models import Reviewer
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    """The text of the page from the heading with `heading_id` up to the next heading."""
    start = html.index(f'<h2 id="{heading_id}"')
    following = html.find("<h2", start + 1)
    return html[start : following if following != -1 else len(html)]


def about_page(client) -> str:
    return client.get("/about/").content.decode()


@pytest.fixture
def another_clinic(settings):
    settings.CLINIC = {
        **settings.CLINIC,
        "name": "Cedar Path Health",
        "phone": "(207) 555-0199",
        "phone_e164": "+12075550199",
        "email": "frontdesk@cedarpath.example",
        "street": "9 Elm Row",
        "city": "Bangor",
        "region": "ME",
        "postal_code": "04401",
        "hours": "Every day, 7 a.m. to 7 p.m.",
        "licences": ["Licensed by the Maine Department of Health, licence no. 4711"],
        "directions": "Bus 3 stops at the door; parking is behind the building.",
    }
    return settings.CLINIC


def test_shipped_licence_lines_read_as_samples_and_claim_no_approval(client, settings):
    licences = section(about_page(client), "licences")

    assert "Licences and accreditation" in licences
    for line in settings.SAMPLE_LICENCES:
        assert line.startswith("Sample:") and "to be set by the clinic" in line
        assert f"<li>{line}</li>" in licences


def test_another_clinic_sets_its_own_licences_address_hours_and_directions(client, another_clinic):
    html = about_page(client)

    assert "licence no. 4711" in section(html, "licences")
    assert "Sample:" not in html
    where = section(html, "contact-us")
    address = re.search(r"<address>(.*?)</address>", where, re.S).group(1)
    for part in ("Cedar Path Health", "9 Elm Row", "Bangor, ME 04401"):
        assert part in address
    assert '<a href="tel:+12075550199">(207) 555-0199</a>' in address
    assert '<a href="mailto:frontdesk@cedarpath.example">' in address
    assert "Every day, 7 a.m. to 7 p.m." in where
    assert "Getting here:</strong> Bus 3 stops at the door" in where


def test_the_shipped_address_and_hours_show_without_a_getting_here_line(client, settings):
    where = section(about_page(client), "contact-us")

    assert settings.CLINIC["street"] in where and settings.CLINIC["hours"] in where
    assert "Getting here" not in where


def test_the_team_lists_only_clinicians_marked_for_about_in_the_admins_order(client):
    ReviewerFactory(name="Sam Lee", credentials="RN", role="Nurse lead", on_about_page=True,
                    about_order=2)  # fmt: skip
    ReviewerFactory(name="Ada Moss", credentials="MD", role="Medical director",
                    on_about_page=True, about_order=1)  # fmt: skip
    ReviewerFactory(name="Not Listed", on_about_page=False)
    ReviewerFactory(name="Left The Clinic", on_about_page=True, active=False)
    ReviewerFactory(name="Dana Sample", on_about_page=True, placeholder=True)

    team = section(about_page(client), "clinical-team")

    assert "<strong>Ada Moss, MD</strong>, Medical director" in team
    assert team.index("Ada Moss") < team.index("Sam Lee, RN")
    for hidden in ("Not Listed", "Left The Clinic", "Dana Sample"):
        assert hidden not in team


def test_without_anyone_marked_the_page_has_no_empty_team_heading(client):
    ReviewerFactory(name="Dana Sample", on_about_page=True, placeholder=True)

    assert 'id="clinical-team"' not in about_page(client)


def test_an_administrator_orders_the_team_from_the_reviewer_list(client, admin_user):
    first, second = ReviewerFactory(name="Ada Moss"), ReviewerFactory(name="Sam Lee")
    client.force_login(admin_user)

    response = client.post(
        "/admin/education/reviewer/",
        {
            "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save",
            "form-0-id": first.pk, "form-0-on_about_page": "on", "form-0-about_order": "2",
            "form-1-id": second.pk, "form-1-on_about_page": "on", "form-1-about_order": "1",
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert list(Reviewer.objects.about_team()) == [second, first]
    team = section(about_page(client), "clinical-team")
    assert team.index("Sam Lee") < team.index("Ada Moss")


def test_a_team_change_shows_at_once_on_the_kept_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    clinician = ReviewerFactory(name="Ada Moss")
    assert "Ada Moss" not in about_page(client)

    with django_capture_on_commit_callbacks(execute=True):
        clinician.on_about_page = True
        clinician.save()

    assert "Ada Moss" in about_page(client)


def test_about_shows_988_text_and_spanish_options_and_the_samhsa_tty(client):
    any_time = section(about_page(client), "any-time")

    assert 'href="tel:988"' in any_time and 'href="sms:988"' in any_time
    assert '<span lang="es">En español: llame y oprima 2, o envíe AYUDA al 988</span>' in any_time
    assert 'href="tel:+18006624357"' in any_time and 'href="tel:+18004874889"' in any_time
    assert '<span lang="es">También en español</span>' in any_time
