"""The two request forms. Every rule lives here and is enforced on the server."""

import time
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html

from intake.models import HelpRequest, normalised_phone
from intake.states import US_STATES
from intake.validators import reject_control_characters

MIN_SECONDS_ON_PAGE = 3
TOKEN_SALT = "intake.form-token"
REQUIRED_NOTE = '<p class="required-note">"*" indicates required fields</p>'
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


class RequestFormBase(forms.ModelForm):
    """What both forms share: text hygiene, phone and email rules, and the spam checks."""

    # A field people never see; bots fill it in. Hidden from assistive technology too.
    leave_blank = forms.CharField(required=False, label="Leave this field blank", max_length=200)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    # Hidden, so never an error a visitor must fix: over-long paths are cut in clean.
    source_page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(reject_control_characters)
        if not self.is_bound:
            self.initial.setdefault("form_token", issue_form_token())
        for name, field in self.fields.items():
            if name in REQUIRED_MESSAGES:
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        if "phone" in self.fields:
            self.fields["phone"].widget = forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
            )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Please tell us your name (a first name is fine).")
        if not any(character.isalpha() for character in name):
            raise ValidationError(
                "Please write your name in letters (a first name or a nickname is fine).",
                code="name_letters",
            )
        return name

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        phone = normalised_phone(raw)
        if not phone:
            raise ValidationError(
                "Please enter a phone number we can call, like (202) 555-0123.", code="phone"
            )
        return phone

    def clean_source_page(self):
        # Only a path on this site: never another site's address, never a query string.
        page = self.cleaned_data.get("source_page", "")
        if not page.startswith("/") or page.startswith("//") or "\\" in page:
            return ""
        return page.split("?", 1)[0].split("#", 1)[0][:200]

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

    def ask_to_confirm(self, reason: str) -> None:
        """Show the same answers again with a new token and a "Send now" button."""
        data = self.data.copy()
        data["form_token"] = issue_form_token(confirm=reason)
        self.data = data
        # Both layouts end with their submit button.
        self.helper.layout[-1] = Submit("submit", "Send now", css_class="btn-primary")

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

    def content_fingerprint(self) -> str:
        """A keyed hash of what the visitor wrote, kept in their session until the thank-you
        page. Keyed with SECRET_KEY (never in the database), so a stolen session table
        cannot be used to guess the answers from the few hundred possible combinations.
        """
        fields = sorted(
            (name, str(value))
            for name, value in self.cleaned_data.items()
            if name not in {"form_token", HONEYPOT, "source_page"}
        )
        return salted_hmac(
            "intake.content-fingerprint", repr(fields), algorithm="sha256"
        ).hexdigest()

    def submission_key(self) -> uuid.UUID:
        """The key of this one showing of the form (a fresh one if the token was altered)."""
        if not hasattr(self, "_submission_key"):
            token = self.token_payload()
            self._submission_key = uuid.UUID(token["key"]) if token else uuid.uuid4()
        return self._submission_key

    def spam_fields(self):
        return Div(Field(HONEYPOT), css_class="hp-field", aria_hidden="true")


REQUIRED_MESSAGES = {
    "name": "Please tell us your name (a first name is fine).",
    "email": "Please give an email address so we can reply.",
    "message": "Please write your message.",
    "preferred_contact": "Please choose how we should reach you.",
    "contact_window": "Please choose a time when it is safe to reach you.",
    "voicemail_ok": "Please tell us whether we may leave a voicemail.",
    "who_needs_help": "Please tell us who needs help.",
    "program": "Please choose a program, or “Not sure yet”.",
    "insurance": "Please choose an insurance option, or “Not sure”.",
    "state": "Please choose the US state you live in.",
    "consent_contact": "Please tick this box so we may contact you, or call us instead.",
}


class ContactForm(RequestFormBase):
    """Send us a message."""

    class Meta:
        model = HelpRequest
        fields = ("name", "email", "phone", "message")
        labels = {"name": "Your name", "email": "Email", "phone": "Phone"}
        help_texts = {
            "phone": "Optional. US numbers; include the country code for others.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = HelpRequest.Kind.MESSAGE
        self.fields["email"].required = True
        self.fields["message"].required = True
        self.fields["message"].label = "Your message"
        self.fields["message"].help_text = "Up to 2,000 characters."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template has its own token
        self.helper.layout = Layout(
            HTML(REQUIRED_NOTE),
            "name",
            "email",
            "phone",
            "message",
            self.spam_fields(),
            "form_token",
            "source_page",
            Submit("submit", "Send message", css_class="btn-primary"),
        )


class ConsultationForm(RequestFormBase):
    """Get a free, confidential consultation."""

    substances = forms.MultipleChoiceField(
        label="Which substances are you worried about?",
        choices=HelpRequest.Substance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick any that apply.",
    )
    voicemail_ok = forms.TypedChoiceField(
        label="May we leave a voicemail that names the clinic?",
        choices=[("yes", "Yes"), ("no", "No, leave no message that names the clinic")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    state = forms.ChoiceField(label="US state", choices=[("", "Choose a state"), *US_STATES])

    class Meta:
        model = HelpRequest
        fields = (
            "name",
            "phone",
            "email",
            "preferred_contact",
            "contact_window",
            "voicemail_ok",
            "who_needs_help",
            "substances",
            "program",
            "insurance",
            "insurance_provider",
            "state",
            "message",
            "consent_contact",
            "consent_sms",
        )
        labels = {
            "name": "Your name",
            "phone": "Phone",
            "email": "Email",
            "preferred_contact": "How should we reach you?",
            "contact_window": "When is a safe time to reach you?",
            "who_needs_help": "Who needs help?",
            "program": "Which program are you interested in?",
            "insurance": "Insurance",
            "insurance_provider": "Insurance provider",
            "message": "Anything you would like us to know?",
            "consent_sms": "You may send me text messages about my request.",
        }
        help_texts = {
            "phone": "Give a phone number, an email address, or both.",
            "insurance_provider": "Optional, for example the company on your card.",
            "message": "Optional. Up to 1,000 characters.",
            "consent_sms": "Optional. Message and data rates may apply. Reply STOP to end.",
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "contact_window": forms.RadioSelect,
            "who_needs_help": forms.RadioSelect,
            "program": forms.RadioSelect,
            "insurance": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = HelpRequest.Kind.CONSULTATION
        for name in ("preferred_contact", "contact_window", "who_needs_help", "program",
                     "insurance"):  # fmt: skip
            self.fields[name].required = True
            # Radio buttons need no empty "---------" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        # The consultation asks for a short note; the model allows the message form's 2,000.
        self.fields["message"].validators.append(MaxLengthValidator(1000))
        self.fields["message"].widget.attrs["maxlength"] = 1000
        consent = self.fields["consent_contact"]
        consent.required = True
        consent.label = format_html(
            'You may contact me about my request, as described in our <a href="{}">privacy '
            "notice</a>.",
            reverse("education:privacy"),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template has its own token
        self.helper.layout = Layout(
            HTML(REQUIRED_NOTE),
            Fieldset("About you", "name", "phone", "email"),
            Fieldset("Reaching you safely", "preferred_contact", "contact_window", "voicemail_ok"),
            Fieldset(
                "The help you are looking for",
                "who_needs_help",
                "substances",
                "program",
                "insurance",
                "insurance_provider",
                "state",
                "message",
            ),
            Fieldset("Consent", "consent_contact", "consent_sms"),
            self.spam_fields(),
            "form_token",
            "source_page",
            Submit("submit", "Request my free consultation", css_class="btn-primary"),
        )

    def clean(self):
        cleaned = super().clean()
        phone, email = cleaned.get("phone"), cleaned.get("email")
        method = cleaned.get("preferred_contact")
        if method in {HelpRequest.ContactMethod.CALL, HelpRequest.ContactMethod.TEXT}:
            if not phone and "phone" not in self.errors:
                self.add_error("phone", "Please give a phone number so we can call or text you.")
        elif method == HelpRequest.ContactMethod.EMAIL:
            if not email and "email" not in self.errors:
                self.add_error("email", "Please give an email address so we can write to you.")
        elif not phone and not email and not {"phone", "email"} & self.errors.keys():
            self.add_error("phone", "Please give a phone number, an email address, or both.")
        if method == HelpRequest.ContactMethod.TEXT and not cleaned.get("consent_sms"):
            self.add_error("consent_sms", "Please tick this box if you would like us to text you.")
        return cleaned
