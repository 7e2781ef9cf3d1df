"""The two request forms, and the staff's forms in the admin. Every rule a visitor's form
has lives here (the spam checks in intake/spam.py) and is enforced on the server."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from localflavor.us.us_states import US_STATES, US_TERRITORIES

from intake import validators
from intake.form_choices import fixed_choices
from intake.models import HelpRequest
from intake.spam import HONEYPOT, SpamChecksMixin, issue_form_token
from intake.validators import PhoneField, in_our_words

# Every word a visitor reads is translatable (the state names are localflavor's own).
REQUIRED_NOTE = format_lazy('<p class="required-note">{}</p>', _('"*" indicates required fields'))
# localflavor's 50 states and DC, then its territories (not its armed-forces mail codes),
# as the form has always listed them. We keep our "U.S. Virgin Islands" for its "Virgin
# Islands": a visitor from the British Virgin Islands should not think it is theirs.
US_STATE_CHOICES = [
    *US_STATES,
    *((code, _("U.S. Virgin Islands") if code == "VI" else name) for code, name in US_TERRITORIES),
]
# "How did you hear about us?", last on both forms: a list (one line on a phone, not eight
# radios) and a few words of their own.
HEARD_ABOUT_FIELDS = ("heard_about", "heard_about_other")
HEARD_ABOUT = {"heard_about": _("Choose one (optional)")}


def submit_button(text: str) -> StrictButton:
    # A <button>, not an <input>: its words wrap on a narrow screen instead of overflowing.
    return StrictButton(text, type="submit", name="submit", css_id="submit-id-submit",
                        css_class="btn-primary")  # fmt: skip


class RequestFormBase(SpamChecksMixin, forms.ModelForm):
    """What both forms share: text hygiene, phone and email rules, the spam checks, and the
    markup around their own fields."""

    # A field people never see; bots fill it in. Hidden from assistive technology too.
    leave_blank = forms.CharField(required=False, label=_("Leave this field blank"), max_length=200)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    # Hidden, so never an error a visitor must fix: over-long paths are cut in clean.
    source_page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            in_our_words(name, field)
        if not self.is_bound:
            self.initial.setdefault("form_token", issue_form_token())
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        if "phone" in self.fields:
            self.fields["phone"].widget = forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
            )
        heard, where = self.fields["heard_about"], self.fields["heard_about_other"]
        heard.label = _("How did you hear about us? (optional)")  # its choices: HEARD_ABOUT
        where.label = _("If somewhere else, where? (optional)")
        where.help_text = _("A few words, up to 60 characters.")
        where.widget = forms.TextInput(attrs={"autocomplete": "off"})

    def validate_constraints(self):
        """Not asked of the database: clean() has already checked each of HelpRequest's
        constraints (a way to reach the visitor; the consultation's consent, set in
        __init__) in our own words, and the database still enforces them on save. Asking
        it again cost a query on every send."""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(validators.REQUIRED_MESSAGES["name"])
        if not any(character.isalpha() for character in name):
            raise ValidationError(validators.NAME_IN_LETTERS, code="name_letters")
        return name

    def clean_heard_about_other(self):
        return " ".join(self.cleaned_data["heard_about_other"].split())

    def clean(self):
        cleaned = super().clean()
        # Their words are kept whatever they chose; with no choice, they are "somewhere else".
        if cleaned.get("heard_about_other") and not cleaned.get("heard_about"):
            cleaned["heard_about"] = HelpRequest.HeardAbout.OTHER
        self.check_chosen_way(cleaned)
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if not phone and not email and not {"phone", "email"} & self.errors.keys():
            self.add_error(self.reach_field, validators.NO_WAY_TO_REACH)
        return cleaned

    reach_field = "phone"  # the first of the two on the form, where the error shows

    def check_chosen_way(self, cleaned: dict) -> None:
        """A form's own rules for the way it was asked to reach the visitor."""

    def limit_message(self, limit: int) -> None:
        """Cap the message at `limit` characters, said in our words, with a character
        count (static/js/character-count.js) that appears as the limit nears."""
        field = self.fields["message"]
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(limit))
        field.error_messages["max_length"] = validators.MESSAGE_TOO_LONG.format(limit=f"{limit:,}")
        field.widget.attrs.update({"data-character-limit": limit, **validators.COUNT_WORDS})

    def clean_source_page(self):
        # Only a path on this site: never another site's address, never a query string.
        page = self.cleaned_data.get("source_page", "")
        if not page.startswith("/") or page.startswith("//") or "\\" in page:
            return ""
        return page.split("?", 1)[0].split("#", 1)[0][:200]

    def ask_to_confirm(self, reason: str) -> None:
        """Show the same answers again with a new token and a "Send now" button."""
        data = self.data.copy()
        data["form_token"] = issue_form_token(confirm=reason)
        self.data = data
        # helper ends every layout with its submit button.
        self.helper.layout[-1] = submit_button(_("Send now"))

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

    def layout_fields(self) -> tuple[list, str]:
        """The form's own fields as crispy-forms lays them out, and its submit button's words."""
        raise NotImplementedError

    @cached_property
    def helper(self) -> FormHelper:
        """The layout (crispy-forms): the form's own fields between the required-fields note
        and the hidden fields, then its submit button. Made when the form is first shown, not
        for a form that is only sent."""
        fields, submit = self.layout_fields()
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template has its own token
        helper.layout = Layout(
            HTML(REQUIRED_NOTE),
            *fields,
            Div(Field(HONEYPOT), css_class="hp-field", aria_hidden="true"),
            "form_token",
            "source_page",
            submit_button(submit),
        )
        return helper


@fixed_choices(first_choice=HEARD_ABOUT)
class ContactForm(RequestFormBase):
    """Send us a message."""

    class Meta:
        model = HelpRequest
        fields = ("name", "email", "phone", "message", *HEARD_ABOUT_FIELDS)
        field_classes = {"phone": PhoneField}
        labels = {"name": _("Your name"), "email": _("Email"), "phone": _("Phone")}
        help_texts = {
            "email": _("An email address, a phone number, or both: whichever is safe for you."),
            "phone": _("US numbers; include the country code for others."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    reach_field = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].required = True
        self.fields["message"].label = _("Your message")
        self.fields["message"].help_text = _("Up to 2,000 characters.")
        self.limit_message(2000)

    def layout_fields(self):
        return ["name", "email", "phone", "message", *HEARD_ABOUT_FIELDS], _("Send message")

    def check_chosen_way(self, cleaned):
        # Not asked here: staff reply by email when there is one, or else call.
        way = HelpRequest.ContactMethod
        self.instance.preferred_contact = way.EMAIL if cleaned.get("email") else way.CALL


# Radio buttons need no empty "---------" choice.
@fixed_choices(
    without_blank=("preferred_contact", "contact_window", "who_needs_help", "program", "insurance"),
    first_choice=HEARD_ABOUT,
)
class ConsultationForm(RequestFormBase):
    """Get a free, confidential consultation."""

    substances = forms.MultipleChoiceField(
        label=_("Which substances are you worried about?"),
        choices=HelpRequest.Substance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick any that apply."),
    )
    voicemail_ok = forms.TypedChoiceField(
        label=_("May we leave a voicemail that names the clinic?"),
        choices=[("yes", _("Yes")), ("no", _("No, leave no message that names the clinic"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    state = forms.ChoiceField(
        label=_("US state"), choices=[("", _("Choose a state")), *US_STATE_CHOICES], required=False
    )

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
            "consent_sms",
            *HEARD_ABOUT_FIELDS,
        )
        field_classes = {"phone": PhoneField}
        labels = {
            "name": _("Your name"),
            "phone": _("Phone"),
            "email": _("Email"),
            "preferred_contact": _("How would you like us to reach you?"),
            "contact_window": _("When is a safe time to reach you?"),
            "who_needs_help": _("Who needs help?"),
            "program": _("Which program are you interested in?"),
            "insurance": _("Insurance"),
            "insurance_provider": _("Insurance provider"),
            "message": _("Anything you would like us to know?"),
            "consent_sms": _("You may send me text messages about my request."),
        }
        help_texts = {
            "phone": _("Give a phone number, an email address, or both."),
            "preferred_contact": _(
                "If you do not choose, we call the number you give, or else email you."
            ),
            "insurance_provider": _("For example, the company on your card."),
            "message": _("Up to 1,000 characters."),
            "consent_sms": _("Optional. Message and data rates may apply. Reply STOP to end."),
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "contact_window": forms.RadioSelect,
            "who_needs_help": forms.RadioSelect,
            "program": forms.RadioSelect,
            "insurance": forms.RadioSelect,
            "insurance_provider": forms.TextInput,
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a name, a way to reach the visitor and the two safety answers are required.
        self.fields["contact_window"].required = True
        # The consultation asks for a short note; the model allows the message form's 2,000.
        self.limit_message(1000)
        # Asking for a consultation is asking to be contacted: sending is the consent, said
        # plainly beside the button, rather than one more box a frightened person must tick.
        self.instance.consent_contact = True

    def layout_fields(self):
        return [
            Fieldset(_("About you"), "name", "phone", "email"),
            Fieldset(
                _("Reaching you safely"), *("preferred_contact", "contact_window", "voicemail_ok")
            ),
            Fieldset(
                _("Tell us more (optional)"),
                *("who_needs_help", "substances", "program", "insurance", "insurance_provider"),
                *("state", "message", *HEARD_ABOUT_FIELDS),
            ),
            Fieldset(_("Text messages (optional)"), "consent_sms"),
            HTML('{% include "intake/consent_note.html" %}'),
        ], _("Request my free consultation")

    def check_chosen_way(self, cleaned):
        phone, email = cleaned.get("phone"), cleaned.get("email")
        way = HelpRequest.ContactMethod
        method = cleaned.get("preferred_contact")
        if method in {way.CALL, way.TEXT}:
            if not phone and "phone" not in self.errors:
                self.add_error("phone", validators.PHONE_TO_CALL)
        elif method == way.EMAIL:
            if not email and "email" not in self.errors:
                self.add_error("email", validators.EMAIL_TO_WRITE)
        elif phone or email:
            # Not chosen: staff see the way the visitor gave (a call first, as we promise).
            cleaned["preferred_contact"] = way.CALL if phone else way.EMAIL
        if method == way.TEXT and not cleaned.get("consent_sms"):
            self.add_error("consent_sms", validators.TEXTS_NEED_CONSENT)
