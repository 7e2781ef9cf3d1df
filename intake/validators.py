"""Rules for text anyone types into the site: visitors' forms and staff notes alike, the
phone number field that reads a number only from text that has passed them, and the words
the visitors' forms use for every mistake (never Django's defaults)."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
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
                _(
                    "Please remove the invisible characters from this field (they often come "
                    "with copied text): type it again, or paste it as plain text."
                ),
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
        "invalid": _("Please enter a phone number we can call, like (202) 555-0123.")
    }

    def clean(self, value):
        text = forms.CharField.to_python(self, value)  # the text, stripped, not yet a number
        self.validate(text)
        self.run_validators(text)
        number = self.to_python(text)
        if number and not number.is_valid():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


# Our words for what any field may get wrong, in place of Django's ("Enter a valid email
# address.", "Ensure this value has at most ..."), then each required field's own.
FIELD_MESSAGES = {
    "required": _("Please answer this question."),
    "max_length": _(
        "Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
    ),
    "invalid_choice": _("Please choose one of the answers shown."),
    "invalid_list": _("Please choose from the answers shown."),
}
EMAIL_MESSAGE = _("Please check the email address: it should look like name@example.com.")
# {limit} is the limit with its thousands comma ("2,000"), filled in by the form.
MESSAGE_TOO_LONG = _(
    "Please shorten your message to {limit} characters or fewer (it has %(show_value)d)."
)
NO_WAY_TO_REACH = _("Please give a phone number, an email address, or both, so we can reply.")
NAME_IN_LETTERS = _("Please write your name in letters (a first name or a nickname is fine).")
# The consultation's way to reach the visitor, chosen without what it needs.
PHONE_TO_CALL = _("Please give a phone number so we can call or text you.")
EMAIL_TO_WRITE = _("Please give an email address so we can write to you.")
TEXTS_NEED_CONSENT = _("Please tick this box if you would like us to text you.")
# The message's character count (static/js/character-count.js) says these, {count} being
# the number: the words travel to the script in data-* attributes of the message box.
COUNT_WORDS = {
    "data-count-left-one": _("You have 1 character left"),
    "data-count-left": _("You have {count} characters left"),
    "data-count-over-one": _("You have 1 character too many"),
    "data-count-over": _("You have {count} characters too many"),
}

REQUIRED_MESSAGES = {
    "name": _("Please tell us your name (a first name is fine)."),
    "message": _("Please write your message."),
    "contact_window": _("Please choose a time when it is safe to reach you."),
    "voicemail_ok": _("Please tell us whether we may leave a voicemail."),
}


def in_our_words(name: str, field: forms.Field) -> None:
    """Give a field of a visitor's form our rules for text and our words for its mistakes."""
    if isinstance(field, forms.CharField):
        # Ours refuses NUL too, in our words: Django's own check would say it twice.
        kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators = [*kept, reject_control_characters]
    field.error_messages.update(FIELD_MESSAGES)
    if name in REQUIRED_MESSAGES:
        field.error_messages["required"] = REQUIRED_MESSAGES[name]
    if isinstance(field, forms.EmailField):
        field.error_messages["invalid"] = EMAIL_MESSAGE
    # No maxlength: a browser would silently cut pasted text. The server says when something
    # is too long, and a message shows a count as its limit nears.
    field.widget.attrs.pop("maxlength", None)
