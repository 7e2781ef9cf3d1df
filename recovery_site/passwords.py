"""Staff passwords an attacker would not try first: not the clinic's own name."""

import re
from difflib import SequenceMatcher

from django.conf import settings
from django.core.exceptions import ValidationError


def _letters(text: str) -> str:
    """Lower-case letters only: "HarborLight2026!" and "harbor light" both become words."""
    return re.sub(r"[^a-z]", "", text.lower())


class ClinicNameSimilarityValidator:
    """Refuse passwords built on the clinic's name, the first guess against its staff.

    Like Django's UserAttributeSimilarityValidator, but digits and symbols are ignored
    first ("HarborLight2026!" is "harborlight"), and the name is compared whole and in runs
    of its words ("harbor", "harborlight", "lightrecovery" ...). A password that contains
    two or more of the name's words in a row is refused however long it is.
    """

    def __init__(self, max_similarity: float = 0.7):
        self.max_similarity = max_similarity

    def _parts(self) -> list[list[str]]:
        words = [_letters(word) for word in settings.CLINIC["name"].split()]
        words = [word for word in words if len(word) >= 3]
        return [words[start:end] for start in range(len(words))
                for end in range(start + 1, len(words) + 1)]  # fmt: skip

    def validate(self, password, user=None):
        core = _letters(password)
        if not core:
            return
        for run in self._parts():
            part = "".join(run)
            similar = SequenceMatcher(a=core, b=part).ratio() >= self.max_similarity
            if similar or (len(run) > 1 and part in core):
                raise ValidationError(
                    "This password is too close to the clinic's name, which is the first "
                    "thing someone would try. Please choose one that has nothing to do with it.",
                    code="password_like_clinic_name",
                )

    def get_help_text(self):
        return "Your password can't be based on the clinic's name."
