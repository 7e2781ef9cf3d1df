"""Rules for text anyone types into the site: visitors' forms and staff notes alike."""

import unicodedata

from django.core.exceptions import ValidationError

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
