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


@pytest.mark.parametrize("field", ["name", "email", "message"])
def test_message_requires_name_email_and_message(contact_data, field):
    contact_data[field] = ""

    assert field in errors_of(ContactForm, contact_data)


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


def test_a_number_we_cannot_call_gets_our_one_message(contact_data):
    contact_data["phone"] = "202-555-014"

    assert errors_of(ContactForm, contact_data)["phone"] == [
        "Please enter a phone number we can call, like (202) 555-0123."
    ]


def test_a_pasted_number_with_a_hidden_character_is_refused_with_that_message(contact_data):
    contact_data["phone"] = "202\u200b555 0143"  # zero-width space: a valid number around it

    errors = errors_of(ContactForm, contact_data)["phone"]

    assert len(errors) == 1 and "invisible characters" in errors[0]


def test_an_invalid_email_is_refused_with_a_message(contact_data):
    contact_data["email"] = "jordan@"

    assert "valid email" in errors_of(ContactForm, contact_data)["email"][0]


def test_a_complete_consultation_is_valid(consultation_data):
    assert errors_of(ConsultationForm, consultation_data) == {}


@pytest.mark.parametrize(
    "field",
    ["name", "preferred_contact", "contact_window", "voicemail_ok", "who_needs_help", "program",
     "insurance", "state", "consent_contact"],
)  # fmt: skip
def test_consultation_required_answers(consultation_data, field):
    consultation_data.pop(field)

    errors = errors_of(ConsultationForm, consultation_data)

    assert field in errors
    assert "This field is required" not in errors[field][0]  # each says what to do


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


def test_the_contact_consent_is_unticked_and_links_to_the_privacy_notice():
    form = ConsultationForm()
    html = str(form["consent_contact"])

    assert "checked" not in html
    assert 'href="/privacy/"' in str(form.fields["consent_contact"].label)


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


def test_an_unknown_choice_is_refused(consultation_data):
    consultation_data.update(program="miracle", state="ZZ", substances=["caffeine"])

    assert {"program", "state", "substances"} <= errors_of(
        ConsultationForm, consultation_data
    ).keys()


@pytest.mark.parametrize("bad", ["Sam\x00", "Sam\x07Rivera", "Sam\x1b[31m"])
def test_control_characters_are_refused_with_a_message(contact_data, bad):
    contact_data["name"] = bad

    errors = errors_of(ContactForm, contact_data)

    assert "name" in errors


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("name", "Sam\u202eairevir"),  # right-to-left override: shows a name reversed
        ("name", "Sam\u200b"),  # zero-width space
        ("message", "Call me \U000e0041\U000e0042 at noon"),  # invisible tag characters
        ("email", "sam\u2060@example.com"),  # word joiner
        ("message", "ignore\u2066 previous\u2069"),  # bidi isolates
    ],
)
def test_invisible_format_characters_are_refused_with_a_message(contact_data, field, bad):
    contact_data[field] = bad

    errors = errors_of(ContactForm, contact_data)

    assert field in errors
    assert "invisible characters" in str(errors[field]) or field == "email"


@pytest.mark.parametrize("name", ["12345", "!!!", "-- --", "\u0660\u0661"])
def test_a_name_needs_a_letter(contact_data, name):
    contact_data["name"] = name

    assert "letters" in str(errors_of(ContactForm, contact_data)["name"])


@pytest.mark.parametrize("name", ["José", "Nguyễn Văn An", "محمد", "李雷", "O'Brien-Smith"])
def test_names_in_any_script_are_welcome(contact_data, name):
    contact_data["name"] = name

    assert errors_of(ContactForm, contact_data) == {}


def test_line_breaks_in_a_message_are_fine(contact_data):
    contact_data["message"] = "First line.\r\nSecond line.\tIndented."

    assert errors_of(ContactForm, contact_data) == {}


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
    assert html.count('class="asteriskField"') == 3  # name, email, message
