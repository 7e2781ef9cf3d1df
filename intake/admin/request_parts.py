"""Pieces of a request's page: the safe-contact card, saving what was added (notes and
contact attempts), and refusing a save based on an older copy of the request."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone

from intake import selectors
from intake.models import ContactAttempt, HelpRequest, Note
from intake.services import contact_attempt_add, note_add
from intake.staff_forms import HelpRequestForm

# What staff set on the page (the admin's form class also lists the page's other fields).
STAFF_FIELDS = HelpRequestForm.Meta.fields

VOICEMAIL_WORDS = {
    True: "Yes, a voicemail may name the clinic",
    False: "No: do not name the clinic in a voicemail",
    None: "Not asked: do not name the clinic in a voicemail",
}


def contact_card(help_request: HelpRequest) -> dict:
    """How to reach this person safely, in words, for the top of their page."""
    phone = help_request.phone
    return {
        "phone": phone.as_national if phone else "",
        "phone_href": f"tel:{phone.as_e164}" if phone else "",
        "email": help_request.email,
        "best_time": help_request.get_contact_window_display() or "Not said",
        "preferred": help_request.get_preferred_contact_display() or "Not said",
        "voicemail": VOICEMAIL_WORDS[help_request.voicemail_ok],
        "voicemail_ok": help_request.voicemail_ok is True,
        "texts": (
            "Yes, texts are OK"
            if help_request.consent_sms
            else "No texts: they did not agree to text messages"
        ),
        "texts_ok": help_request.consent_sms,
        "language": HelpRequest.Language.for_staff(help_request.language),
    }


def save_added(request, help_request: HelpRequest, formset) -> list:
    """Add the notes or contact attempts typed in one of the page's add-only boxes."""
    added = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        data = form.cleaned_data
        if formset.model is Note and data.get("text"):
            added.append(note_add(help_request=help_request, author=request.user,
                                  text=data["text"]))  # fmt: skip
        elif formset.model is ContactAttempt:
            added.append(
                contact_attempt_add(
                    help_request=help_request,
                    made_by=request.user,
                    channel=data["channel"],
                    outcome=data["outcome"],
                    attempted_at=data.get("attempted_at"),
                    against_wishes=data.get("against_wishes", False),
                )
            )
    return added


def _shown(form, name: str) -> str:
    """A field's value as the person chose it, in the page's words."""
    value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    if value is None or value == "":
        raw = form.data.get(form.add_prefix(name), "")
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        return str(choices.get(raw, raw)) or "(empty)"
    if name == "status":
        return HelpRequest.Status(value).label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "get_username"):
        return value.get_username()
    field = form.fields[name]
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value))


def stale_save_refused(model_admin, request, help_request: HelpRequest, form, seen):
    """Someone changed the request after this page was loaded: save nothing of the page's
    fields (theirs stay), but add the notes and contact attempts typed (they overwrite
    nothing), and say what changed meanwhile, by whom, and what this person had chosen."""
    form.is_valid()
    # Read before this person's own note and attempt are added below.
    changed_meanwhile = selectors.timeline(help_request, since=seen)
    formsets, _inlines = model_admin._create_formsets(request, help_request, change=True)
    kept, not_kept = [], []
    for formset in formsets:
        if formset.is_valid():
            kept += save_added(request, help_request, formset)
        elif any(f.has_changed() for f in formset.forms):
            not_kept.append(formset.model._meta.verbose_name)
    meanwhile = "; ".join(
        f"{timezone.localtime(item.when):%H:%M} {item.who or 'the site'}: "
        + ("added a note" if item.what.startswith("Note:") else item.what)
        for item in changed_meanwhile
    )
    mine = [
        f"{form.fields[name].label}: {_shown(form, name)}"
        for name in form.changed_data
        if name in STAFF_FIELDS
    ]
    text = (
        f"Not saved: {help_request.reference} was changed by someone else while you had it "
        f"open ({meanwhile or 'a change'}). Their changes are kept and shown below."
    )
    if mine:
        text += (
            " What you had chosen, not saved: "
            + "; ".join(mine)
            + ". Make it again if it still applies."
        )
    messages.error(request, text)
    if kept:
        messages.success(request, f"Your {', '.join(sorted({str(o._meta.verbose_name) for o in kept}))} "
                                  "was added to the timeline.")  # fmt: skip
    if not_kept:
        messages.warning(request, f"Your {', '.join(not_kept)} was not added: please add it again.")
    return HttpResponseRedirect(request.get_full_path(), status=303)
