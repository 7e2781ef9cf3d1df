"""Every rule of the two forms, as a visitor meets it."""

import pytest
from crispy_forms.utils import render_crispy_form

from intake.forms import ConsultationForm, ContactForm

pytestmark = pytest.mark.django_db


def errors_of(form_class, data):
    form = form_class(data=data)
    form.is_valid()
    return form.errors


def test_a_complete_message_is_valid(contact_data):
    assert errors_of(ContactForm, contact_data) == {}


@pytest.mark.parametrize("field", ["name", "message"])
def test_message_requires_name_and_message(contact_data, field):
    contact_data[field] = ""

    assert field in errors_of(ContactForm, contact_data)


def test_a_message_with_only_a_phone_number_is_valid(contact_data):
    contact_data.update(email="", phone="(202) 555-0143")

    assert errors_of(ContactForm, contact_data) == {}


def test_a_message_with_only_an_email_is_valid(contact_data):
    contact_data.update(email="jordan@example.com", phone="")

    assert errors_of(ContactForm, contact_data) == {}


def test_a_message_needs_a_phone_number_or_an_email(contact_data):
    contact_data.update(email="", phone="")

    assert errors_of(ContactForm, contact_data) == {
        "email": ["Please give a phone number, an email address, or both, so we can reply."]
    }


def test_message_phone_is_optional_but_must_be_a_real_number(contact_data):
    contact_data["phone"] = "12345"
    assert "phone" in errors_of(ContactForm, contact_data)

    contact_data["phone"] = "202-555-0143"
    form = ContactForm(data=contact_data)
    assert form.is_valid()
    assert form.cleaned_data["phone"] == "+12025550143"


@pytest.mark.parametrize("raw", ["(202) 555-0143", "202.555.0143", "+1 202 555 0143", "2025550143"])
def test_phone_numbers_are_stored_normalised(consultation_data, raw):
    consultation_data["phone"] = raw
    form = ConsultationForm(data=consultation_data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12025550143"


def test_a_complete_consultation_is_valid(consultation_data):
    assert errors_of(ConsultationForm, consultation_data) == {}


@pytest.mark.parametrize("field", ["name", "contact_window", "voicemail_ok"])
def test_consultation_required_answers(consultation_data, field):
    consultation_data.pop(field)

    errors = errors_of(ConsultationForm, consultation_data)

    assert field in errors
    assert "This field is required" not in errors[field][0]  # each says what to do


def test_a_consultation_needs_only_a_name_a_way_to_reach_and_the_safety_answers(
    consultation_data,
):
    short = {
        "name": "Sam",
        "phone": "(202) 555-0143",
        "contact_window": "evening",
        "voicemail_ok": "no",
        "form_token": consultation_data["form_token"],
    }
    form = ConsultationForm(data=short)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["preferred_contact"] == "call"


def test_a_consultation_with_only_a_phone_number_is_valid(consultation_data):
    consultation_data.update(phone="(202) 555-0143", email="", preferred_contact="")
    form = ConsultationForm(data=consultation_data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["preferred_contact"] == "call"


def test_a_consultation_with_only_an_email_is_valid(consultation_data):
    consultation_data.update(phone="", email="sam@example.com", preferred_contact="")
    form = ConsultationForm(data=consultation_data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["preferred_contact"] == "email"


def test_email_only_with_email_chosen_is_valid(consultation_data):
    consultation_data.update(phone="", email="sam@example.com", preferred_contact="email")

    assert errors_of(ConsultationForm, consultation_data) == {}


def test_a_consultation_needs_a_phone_number_or_an_email(consultation_data):
    consultation_data.update(phone="", email="", preferred_contact="")

    assert errors_of(ConsultationForm, consultation_data) == {
        "phone": ["Please give a phone number, an email address, or both, so we can reply."]
    }


def test_the_optional_answers_are_grouped_under_tell_us_more():
    html = render_crispy_form(ConsultationForm())
    legend = html.index("Tell us more (optional)")

    for field in ("who_needs_help", "substances", "program", "insurance", "state", "message"):
        assert not ConsultationForm().fields[field].required
        assert html.index(f'name="{field}"') > legend
    assert html.index('name="contact_window"') < legend


def test_the_insurance_company_is_a_one_line_input():
    html = str(ConsultationForm()["insurance_provider"])

    assert html.startswith("<input") and 'type="text"' in html


@pytest.mark.parametrize("form_class", [ContactForm, ConsultationForm])
def test_the_submit_control_is_a_button(form_class):
    html = render_crispy_form(form_class())

    assert '<button type="submit"' in html or 'type="submit"' in html.split("<button", 1)[-1]
    assert '<input type="submit"' not in html


def test_calling_or_texting_needs_a_phone_number(consultation_data):
    consultation_data.update(phone="", email="sam@example.com", preferred_contact="call")

    assert "phone" in errors_of(ConsultationForm, consultation_data)


def test_email_as_the_way_to_reach_needs_an_email(consultation_data):
    consultation_data.update(preferred_contact="email", email="")

    assert "email" in errors_of(ConsultationForm, consultation_data)


def test_texting_needs_the_text_message_consent(consultation_data):
    consultation_data.update(preferred_contact="text")
    assert "consent_sms" in errors_of(ConsultationForm, consultation_data)

    consultation_data["consent_sms"] = "on"
    assert errors_of(ConsultationForm, consultation_data) == {}


def test_sending_is_the_consent_to_be_contacted_and_the_form_says_so(consultation_data):
    form = ConsultationForm(data=consultation_data)
    html = render_crispy_form(form)

    assert "consent_contact" not in html  # no box to tick
    assert "By sending this request you agree that we may contact you" in html
    assert 'href="/privacy/"' in html
    assert form.is_valid(), form.errors
    assert form.instance.consent_contact is True  # what is stored with it


def test_substances_and_insurance_provider_are_optional(consultation_data):
    consultation_data.update(substances=[], insurance_provider="")

    assert errors_of(ConsultationForm, consultation_data) == {}


def test_the_state_list_is_the_states_and_dc_then_the_territories():
    choices = ConsultationForm().fields["state"].choices
    codes = [code for code, _ in choices[1:]]
    labels = [str(label) for _, label in choices[1:]]

    assert choices[0] == ("", "Choose a state")
    assert labels[:51] == sorted(labels[:51]) and "DC" in codes[:51]
    assert codes[51:] == ["AS", "GU", "MP", "PR", "VI"]
    assert labels[51:] == [
        "American Samoa", "Guam", "Northern Mariana Islands", "Puerto Rico",
        "U.S. Virgin Islands",
    ]  # fmt: skip
    assert len(set(codes)) == 56  # no armed-forces mail codes


def test_an_unknown_choice_is_refused_anywhere(consultation_data):
    consultation_data.update(program="miracle", state="ZZ", substances=["caffeine"])

    assert {"program", "state", "substances"} <= errors_of(
        ConsultationForm, consultation_data
    ).keys()


@pytest.mark.parametrize(
    ("form_class", "field", "limit"),
    [
        (ContactForm, "name", 100),
        (ContactForm, "message", 2000),
        (ConsultationForm, "message", 1000),
        (ConsultationForm, "insurance_provider", 100),
    ],
)
def test_every_length_is_bounded(form_class, field, limit, contact_data, consultation_data):
    data = contact_data if form_class is ContactForm else consultation_data
    data[field] = "a" * limit
    assert errors_of(form_class, data) == {}

    data[field] = "a" * (limit + 1)
    assert field in errors_of(form_class, data)


def test_no_date_of_birth_member_number_or_ssn_is_asked():
    asked = set(ContactForm().fields) | set(ConsultationForm().fields)

    assert not {
        f for f in asked if any(w in f for w in ("birth", "dob", "ssn", "member", "social"))
    }


def test_the_required_fields_note_is_shown():
    html = render_crispy_form(ContactForm())

    assert '"*" indicates required fields' in html
    assert html.count('class="asteriskField"') == 2  # name and message: phone or email will do
