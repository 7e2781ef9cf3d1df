"""What the thank-you page reads from the visitor's own session (never from the address)."""

THANKS_SESSION_KEY = "intake_thanks"


def thanks_note(help_request, *, fingerprint: str) -> dict:
    """The session's note of a request just sent: its reference (none for one held as spam,
    which staff cannot find in the queue), its kind and urgency, and a keyed hash of the words,
    which lets a resend of the same words find it until the thank-you page is shown."""
    return {
        "reference": "" if help_request.spam else help_request.reference,
        "kind": help_request.kind,
        "urgent": help_request.urgent,
        "fingerprint": fingerprint,
    }
