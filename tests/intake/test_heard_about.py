"""'How did you hear about us?': a visitor answers it (or not) on either form, and staff
correct it on the request's page."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.db import connection
from django.utils import timezone

from intake.forms import ConsultationForm, ContactForm
from intake.models import AuditEntry, HelpRequest
from intake.notifications import notification_email
from tests.factories import HelpRequestFactory
from tests.helpers import admin_change_url, form_token, triage_post

pytestmark = pytest.mark.django_db

FORMS = ["/contact/", "/consultation/"]


@pytest.fixture
def filled_in(contact_data, consultation_data):
    """What a visitor fills in on the form at a path."""
    return lambda path: dict(contact_data if path == "/contact/" else consultation_data)


def raw_columns(help_request) -> str:
    """What the database itself holds for the answer, as a stolen backup would show it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT heard_about, heard_about_other FROM intake_helprequest WHERE id = %s",
            [help_request.pk],
        )
        return " ".join(cursor.fetchone())


# --- Visitors ------------------------------------------------------------------------------


@pytest.mark.parametrize("form_class", [ContactForm, ConsultationForm])
def test_the_question_comes_last_short_and_says_it_is_optional(form_class):
    html = render_crispy_form(form_class())

    assert "How did you hear about us? (optional)" in html
    assert '<option value="" selected>Choose one (optional)</option>' in html
    assert "If somewhere else, where? (optional)" in html
    assert 'name="heard_about_other"' in html and "<textarea" not in html.split("heard_about")[1]
    # After the message, before the button (and the consultation's consent note).
    assert html.index('name="message"') < html.index('name="heard_about"')
    assert html.index('name="heard_about_other"') < html.index('type="submit"')
    if form_class is ConsultationForm:
        assert html.index('name="heard_about_other"') < html.index('class="consent-note"')


@pytest.mark.parametrize("path", FORMS)
def test_a_visitor_who_heard_from_a_doctor_has_it_stored(client, filled_in, path):
    data = filled_in(path) | {"heard_about": "doctor"}

    response = client.post(path, data)

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.heard_about == HelpRequest.HeardAbout.DOCTOR
    assert help_request.get_heard_about_display() == "A doctor or hospital"
    assert help_request.heard_about_index == HelpRequest.program_index_for("doctor")


@pytest.mark.parametrize("path", FORMS)
def test_leaving_it_blank_is_fine(client, filled_in, path):
    data = filled_in(path) | {"heard_about": "", "heard_about_other": ""}

    response = client.post(path, data)

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.heard_about == "" and help_request.heard_about_other == ""


def test_somewhere_else_keeps_their_words_encrypted(client, contact_data):
    contact_data.update(heard_about="other", heard_about_other="  my   pastor ")

    client.post("/contact/", contact_data)

    help_request = HelpRequest.objects.get()
    assert help_request.heard_about == HelpRequest.HeardAbout.OTHER
    assert help_request.heard_about_other == "my pastor"
    assert "pastor" not in raw_columns(help_request)
    assert "other" not in raw_columns(help_request)  # the choice is encrypted too


# Never lost silently: beside another choice the words stay; with no choice they are
# "somewhere else".
@pytest.mark.parametrize(("chosen", "stored"), [("doctor", "doctor"), ("", "other")])
def test_words_typed_beside_another_choice_or_none_are_kept(client, contact_data, chosen, stored):
    contact_data.update(heard_about=chosen, heard_about_other="Dr Lee at Mercy")

    client.post("/contact/", contact_data)

    help_request = HelpRequest.objects.get()
    assert (help_request.heard_about, help_request.heard_about_other) == (stored, "Dr Lee at Mercy")


@pytest.mark.parametrize("path", FORMS)
def test_too_long_words_get_a_clear_message_and_everything_typed_stays(client, filled_in, path):
    data = filled_in(path) | {"heard_about": "other", "heard_about_other": "a" * 61}

    response = client.post(path, data, follow=True)

    html = response.content.decode()
    assert not HelpRequest.objects.exists()
    assert "Please shorten this to 60 characters or fewer (it has 61)." in html
    assert 'href="#id_heard_about_other"' in html  # the error summary links to it
    assert f'value="{"a" * 61}"' in html
    assert '<option value="other" selected>Somewhere else</option>' in html
    assert f'value="{data["name"]}"' in html


def test_sixty_characters_are_enough(client, contact_data):
    contact_data.update(heard_about="other", heard_about_other="a" * 60)

    assert client.post("/contact/", contact_data).status_code == 302
    assert HelpRequest.objects.get().heard_about_other == "a" * 60


def test_invisible_characters_are_refused_in_our_words(contact_data):
    contact_data.update(heard_about="other", heard_about_other="my\u202epastor")

    form = ContactForm(data=contact_data)

    assert not form.is_valid()
    assert "invisible characters" in form.errors["heard_about_other"][0]


def test_an_answer_that_is_not_on_the_list_is_refused(contact_data):
    contact_data["heard_about"] = "billboard"

    form = ContactForm(data=contact_data)

    assert form.errors["heard_about"] == ["Please choose one of the answers shown."]


def test_sending_the_same_answers_again_before_the_thanks_page_creates_one_request(
    client, contact_data
):
    contact_data.update(heard_about="court", heard_about_other="my probation officer")
    client.post("/contact/", contact_data)  # the answer never arrived: no thank-you page

    client.post("/contact/", {**contact_data, "form_token": form_token()})

    assert HelpRequest.objects.count() == 1


def test_a_changed_answer_is_not_taken_for_the_same_words_sent_again(client, contact_data):
    # The form's fingerprint covers the answer: a changed one is asked about, not merged.
    client.post("/contact/", contact_data)
    changed = {**contact_data, "heard_about": "family", "form_token": form_token()}

    asked = client.post("/contact/", changed, follow=True)

    assert asked.redirect_chain == [("/contact/?check=1", 303)]
    assert "You have already sent us a message" in asked.content.decode()
    assert HelpRequest.objects.count() == 1


def test_the_staff_email_and_the_thank_you_page_say_nothing_of_it(client, contact_data):
    contact_data.update(heard_about="court", heard_about_other="my probation officer")

    thanks = client.post("/contact/", contact_data, follow=True).content.decode()

    subject, body = notification_email(HelpRequest.objects.get())
    page = thanks[thanks.index("<main") : thanks.index("</main>")]
    for private in ("court", "Court", "probation", "heard about"):
        assert private not in subject + body
        assert private not in page


# --- Staff -------------------------------------------------------------------------------------


def test_staff_see_it_in_its_own_section_below_the_safe_contact_card(client, coordinator):
    help_request = HelpRequestFactory(heard_about="search", heard_about_other="typed 'rehab'")

    html = client.get(admin_change_url(help_request)).content.decode()

    card = html[html.index('class="contact-card"') : html.index('name="status"')]
    assert "heard about" not in card.lower()
    section = html[html.index("Where they heard about us") :]
    assert '<option value="search" selected>A search engine</option>' in section
    assert "typed &#x27;rehab&#x27;" in section


def test_staff_correct_it_and_the_audit_trail_names_the_fields(client, coordinator):
    help_request = HelpRequestFactory(heard_about="search")
    post = triage_post(help_request, heard_about="court", heard_about_other="drug court")

    response = client.post(admin_change_url(help_request), post)

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.heard_about == HelpRequest.HeardAbout.COURT
    assert help_request.heard_about_other == "drug court"
    assert help_request.heard_about_index == HelpRequest.program_index_for("court")
    change = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert change.details["fields"] == ["heard_about", "heard_about_other"]
    assert "drug court" not in str(change.details)  # names of fields, never the words


def test_a_correction_from_an_older_copy_of_the_page_is_refused(client, coordinator):
    help_request = HelpRequestFactory(heard_about="search")
    older = triage_post(help_request, heard_about="family")
    HelpRequest.objects.filter(pk=help_request.pk).update(updated_at=timezone.now())

    response = client.post(admin_change_url(help_request), older, follow=True)

    help_request.refresh_from_db()
    assert help_request.heard_about == HelpRequest.HeardAbout.SEARCH
    html = response.content.decode()
    assert "Not saved" in html and "How they heard about us: Family or a friend" in html
