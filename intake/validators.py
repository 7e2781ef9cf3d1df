"""Rules for text anyone types into the site: visitors' forms and staff notes alike, and
the phone number field that reads a number only from text that has passed them."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field import formfields

# Control characters, surrogates, and format characters (category Cf: bidi overrides,
# zero-width and tag characters) that can hide or reorder text a staff member reads.
INVISIBLE_CATEGORIES = {"Cc", "Cs", "Cf"}


def reject_control_characters(value: str) -> None:
    """Refuse NUL and other invisible characters; line breaks and tabs are fine."""
    for character in value:
        if character in "\n\r\t":
            continue
        if unicodedata.category(character) in INVISIBLE_CATEGORIES:
            raise ValidationError(
                "Please remove the invisible characters from this field (they often come "
                "with copied text): type it again, or paste it as plain text.",
                code="control_characters",
            )


class PhoneField(formfields.PhoneNumberField):
    """django-phonenumber-field's form field (a number without a country code is read in
    PHONENUMBER_DEFAULT_REGION), checked in two steps as the forms always have: the text as
    typed first meets the field's text validators (its length, no invisible characters),
    and only then is read as a number; one we cannot call gets our own message.

    The library's own order reads the number first, so a valid number with a hidden
    character pasted in would pass, and a long, wrong one would get two messages.
    """

    default_validators = []  # the number's own check is the second step of clean()
    default_error_messages = {
        "invalid": "Please enter a phone number we can call, like (202) 555-0123."
    }

    def clean(self, value):
        text = forms.CharField.to_python(self, value)  # the text, stripped, not yet a number
        self.validate(text)
        self.run_validators(text)
        number = self.to_python(text)
        if number and not number.is_valid():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
