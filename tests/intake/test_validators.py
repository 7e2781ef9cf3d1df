"""Our rules for text a visitor types, and our words for every mistake: never Django's
defaults ("Enter a valid email address.", "Ensure this value has at most ...")."""

import pytest
from django import forms
from django.core.validators import EmailValidator, MaxLengthValidator

from intake.forms import ConsultationForm, ContactForm

pytestmark = pytest.mark.django_db


def test_a_number_we_cannot_call_gets_our_one_message(contact_data):
    contact_data["phone"] = "202-555-014"

    assert ContactForm(data=contact_data).errors["phone"] == [
        "Please enter a phone number we can call, like (202) 555-0123."
    ]


def test_a_pasted_number_with_a_hidden_character_is_refused_with_that_message(contact_data):
    contact_data["phone"] = "202\u200b555 0143"  # zero-width space: a valid number around it

    errors = ContactForm(data=contact_data).errors["phone"]

    assert len(errors) == 1 and "invisible characters" in errors[0]


@pytest.mark.parametrize("form_class", [ContactForm, ConsultationForm])
def test_an_invalid_email_is_refused_in_our_words(contact_data, consultation_data, form_class):
    data = contact_data if form_class is ContactForm else consultation_data
    data["email"] = "jordan@"

    assert form_class(data=data).errors["email"] == [
        "Please check the email address: it should look like name@example.com."
    ]


@pytest.mark.parametrize(
    ("form_class", "limit"), [(ContactForm, "2,000"), (ConsultationForm, "1,000")]
)
def test_a_message_too_long_is_refused_in_our_words_and_not_cut(
    contact_data, consultation_data, form_class, limit
):
    data = contact_data if form_class is ContactForm else consultation_data
    data["message"] = "a" * 2345

    assert form_class(data=data).errors["message"] == [
        f"Please shorten your message to {limit} characters or fewer (it has 2345)."
    ]
    html = str(form_class()["message"])
    assert "maxlength" not in html  # a browser would cut pasted text without a word
    assert f'data-character-limit="{limit.replace(",", "")}"' in html


def test_a_long_name_is_refused_in_our_words(contact_data):
    contact_data["name"] = "a" * 101

    assert ContactForm(data=contact_data).errors["name"] == [
        "Please shorten this to 100 characters or fewer (it has 101)."
    ]


def django_default_messages():
    """Every message Django's form fields and their validators say on their own."""
    messages = set()
    for cls in (forms.Field, forms.CharField, forms.EmailField, forms.ChoiceField,
                forms.TypedChoiceField, forms.MultipleChoiceField, forms.BooleanField):  # fmt: skip
        messages |= {str(m) for m in cls.default_error_messages.values()}
    messages |= {str(EmailValidator.message), str(MaxLengthValidator.message)}
    return messages - {""}


@pytest.mark.parametrize("form_class", [ContactForm, ConsultationForm])
def test_no_field_speaks_in_django_default_words(form_class):
    defaults = django_default_messages()

    for name, field in form_class().fields.items():
        for code in ("required", "max_length", "invalid", "invalid_choice", "invalid_list"):
            message = str(field.error_messages.get(code, ""))
            assert message not in defaults, (name, code, message)
        for validator in field.validators:
            # A validator's own words show unless the field has its own for the same code.
            said = field.error_messages.get(getattr(validator, "code", None), "")
            said = said or getattr(validator, "message", "")
            assert str(said) not in defaults, (name, validator, said)


@pytest.mark.parametrize(
    ("data", "expected"),
    [({"program": "miracle"}, "program"), ({"substances": ["caffeine"]}, "substances")],
)
def test_an_unknown_choice_is_refused_in_our_words(consultation_data, data, expected):
    consultation_data.update(data)

    assert ConsultationForm(data=consultation_data).errors[expected][0].startswith("Please choose")


@pytest.mark.parametrize("bad", ["Sam\x00", "Sam\x07Rivera", "Sam\x1b[31m"])
def test_control_characters_are_refused_with_a_message(contact_data, bad):
    contact_data["name"] = bad

    errors = ContactForm(data=contact_data).errors

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

    errors = ContactForm(data=contact_data).errors

    assert field in errors
    assert "invisible characters" in str(errors[field]) or field == "email"


@pytest.mark.parametrize("name", ["12345", "!!!", "-- --", "\u0660\u0661"])
def test_a_name_needs_a_letter(contact_data, name):
    contact_data["name"] = name

    assert "letters" in str(ContactForm(data=contact_data).errors["name"])


@pytest.mark.parametrize("name", ["José", "Nguyễn Văn An", "محمد", "李雷", "O'Brien-Smith"])
def test_names_in_any_script_are_welcome(contact_data, name):
    contact_data["name"] = name

    assert ContactForm(data=contact_data).errors == {}


def test_line_breaks_in_a_message_are_fine(contact_data):
    contact_data["message"] = "First line.\r\nSecond line.\tIndented."

    assert ContactForm(data=contact_data).errors == {}
