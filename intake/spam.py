"""Telling people from bots on the request forms, without ever filing a person away.

Each form shown carries a signed token: when it was shown, and the key of this one
submission (so a second post of the same form finds the first request). A hidden field
people never see is the only sure sign of a bot; anything merely doubtful asks the visitor
to press "Send now".
"""

import time
import uuid

from django.core import signing

MIN_SECONDS_ON_PAGE = 3
TOKEN_SALT = "intake.form-token"
# The hidden field people never see. Its name, label and attributes match nothing a
# browser or password manager fills in (no "website", "url", "name", "email" ...).
HONEYPOT = "leave_blank"


class Verdict:
    """What the spam checks make of a valid submission."""

    HUMAN = "human"  # stored and notified
    CHECK = "check"  # ambiguous: the visitor is asked to press "Send now"
    BOT = "bot"  # unambiguous: held out of the queue, where staff can still rescue it


def issue_form_token(*, confirm: str | None = None) -> str:
    """A signed token saying when the form was shown, and the key of this one submission.

    `confirm` marks the form shown again with "Send now", and carries why it was asked
    ("" for a second request, not a doubtful one), for staff to see once it is sent.
    """
    payload = {"at": time.time(), "key": str(uuid.uuid4())}
    if confirm is not None:
        payload["confirm"] = confirm
    return signing.dumps(payload, salt=TOKEN_SALT)


class SpamChecksMixin:
    """For a form with the HONEYPOT and `form_token` fields: reads them once it is valid."""

    def verdict(self) -> tuple[str, str]:
        """How this valid submission looks (a Verdict) and, unless human, why.

        Only the hidden field holding something of its own is a bot for sure. A missing
        token, a rushed send (Back, then Send at once), or the hidden field holding the
        visitor's own details (an autofill) can be a person: they are asked to confirm.
        """
        trap = self.cleaned_data.get(HONEYPOT, "").strip()
        if trap and not self._looks_autofilled(trap):
            return Verdict.BOT, "hidden field filled"
        token = self.token_payload()
        if trap:
            return Verdict.CHECK, "hidden field autofilled"
        if token is None:
            return Verdict.CHECK, "missing or altered form token"
        if time.time() - token["at"] < MIN_SECONDS_ON_PAGE:
            return Verdict.CHECK, "sent too fast"
        return Verdict.HUMAN, ""

    def _looks_autofilled(self, trap: str) -> bool:
        own = {str(self.cleaned_data.get(name, "")).strip().casefold() for name in
               ("name", "email", "phone")}  # fmt: skip
        return trap.casefold() in own - {""}

    def is_confirmation(self) -> bool:
        """Sent from the form shown again with "Send now"."""
        token = self.token_payload()
        return bool(token and "confirm" in token)

    def confirmed_reason(self, fallback: str) -> str:
        """Why "Send now" was asked (the first send's doubt, not the confirming click's)."""
        carried = self.token_payload()["confirm"]
        return carried if isinstance(carried, str) else fallback

    def token_payload(self) -> dict | None:
        """The signed token's contents, checked once per form (None if missing or altered)."""
        if not hasattr(self, "_token_payload"):
            try:
                payload = signing.loads(self.cleaned_data.get("form_token", ""), salt=TOKEN_SALT)
                uuid.UUID(payload["key"])
                float(payload["at"])
            except (signing.BadSignature, KeyError, TypeError, ValueError):
                payload = None
            self._token_payload = payload
        return self._token_payload

    def submission_key(self) -> uuid.UUID:
        """The key of this one showing of the form (a fresh one if the token was altered)."""
        if not hasattr(self, "_submission_key"):
            token = self.token_payload()
            self._submission_key = uuid.UUID(token["key"]) if token else uuid.uuid4()
        return self._submission_key
