"""Staff's forms in the admin: a request's triage, a contact attempt, the export's reason.
The visitors' forms are in intake/forms.py."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from intake.models import ContactAttempt, HelpRequest
from intake.validators import reject_control_characters

# What staff change on the page is compared with what the page showed them (hidden copies
# of the first values), not with what is stored now: so a save based on an older copy of
# the request knows exactly what this person meant to change.
TRIAGE_FIELDS = ("status", "assigned_to", "follow_up_on", "urgent")
OUTCOME_FIELDS = (
    "appointment_at", "appointment_program", "appointment_place", "appointment_virtual",
    "referred_to", "referral_reason", "not_a_fit_reason", "close_reason",
)  # fmt: skip


class HelpRequestForm(forms.ModelForm):
    """Staff's side of a request; what the visitor sent is read-only. The outcome's details
    are checked by HelpRequest.clean()."""

    urgent_reason = forms.CharField(
        label="Why urgent, or why not any more",
        max_length=300,
        required=False,
        help_text="Needed when you mark or clear urgent; it goes in the timeline.",
    )
    # When the request was last changed, as on the page being saved (optimistic
    # concurrency: the admin refuses a save if the request changed since).
    seen_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HelpRequest
        # How they heard about us: staff correct what the visitor chose (or add it from a
        # call); the Reports page counts it.
        fields = (*TRIAGE_FIELDS, *OUTCOME_FIELDS, "legal_hold", "heard_about", "heard_about_other")
        widgets = {
            "referral_reason": forms.Textarea(attrs={"rows": 2}),
            "heard_about_other": forms.TextInput,
        }
        labels = {
            "urgent": "Urgent",
            "heard_about": "How they heard about us",
            "heard_about_other": "In their words",
        }
        help_texts = {
            "urgent": "Urgent requests come first in the queue and are due within the hour.",
            "appointment_at": "For Scheduled.",
            "appointment_place": "For Scheduled: where, unless it is virtual.",
            "referred_to": "For Referred elsewhere.",
            "close_reason": "For Closed.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TRIAGE_FIELDS:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        if "heard_about_other" in self.fields:
            # Shown to staff and counted in reports: the visitors' forms' rule for text.
            self.fields["heard_about_other"].validators.append(reject_control_characters)
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("seen_updated_at", self.instance.updated_at.isoformat())

    @property
    def changed_data(self):
        # The page's copy of the last change is how the page was loaded, not a change.
        return [name for name in super().changed_data if name != "seen_updated_at"]

    def clean(self):
        cleaned = super().clean()
        if "urgent" in self.changed_data and not cleaned.get("urgent_reason", "").strip():
            self.add_error(
                "urgent_reason",
                "Please say in a few words why you are marking or clearing urgent.",
            )
        return cleaned

    def seen_updated_at_value(self) -> datetime | None:
        """The request's last change as the page showed it; None if the page had none."""
        try:
            return datetime.fromisoformat(self.data.get(self.add_prefix("seen_updated_at"), ""))
        except ValueError:
            return None


class ContactAttemptForm(forms.ModelForm):
    """One contact attempt, logged from the request's page."""

    attempted_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Leave empty for now.",
    )
    log_anyway = forms.BooleanField(
        label="They asked otherwise, and I did it anyway: log it as such",
        required=False,
    )

    class Meta:
        model = ContactAttempt
        fields = ("channel", "outcome", "attempted_at")
        labels = {"channel": "How you tried them", "outcome": "What happened"}

    # Outcomes that only one channel can have.
    CHANNEL_OF = {
        ContactAttempt.Outcome.VOICEMAIL: ContactAttempt.Channel.CALL,
        ContactAttempt.Outcome.DISCREET_VOICEMAIL: ContactAttempt.Channel.CALL,
        ContactAttempt.Outcome.TEXT_SENT: ContactAttempt.Channel.TEXT,
        ContactAttempt.Outcome.EMAIL_SENT: ContactAttempt.Channel.EMAIL,
    }

    def clean(self):
        cleaned = super().clean()
        channel, outcome = cleaned.get("channel"), cleaned.get("outcome")
        if not (channel and outcome):
            return cleaned
        needed = self.CHANNEL_OF.get(outcome)
        if needed and channel != needed:
            self.add_error(
                "outcome",
                f"“{ContactAttempt.Outcome(outcome).label}” goes with "
                f"{ContactAttempt.Channel(needed).label.lower()}: please check how you tried.",
            )
        when = cleaned.get("attempted_at")
        if when and when > timezone.now() + timedelta(minutes=5):
            self.add_error("attempted_at", "That time is still to come: please check it.")
        help_request = self.instance.help_request if self.instance.help_request_id else None
        if help_request is not None:
            attempt = ContactAttempt(help_request=help_request, channel=channel, outcome=outcome)
            against = attempt.goes_against
            if against and not cleaned.get("log_anyway"):
                self.add_error(
                    "log_anyway",
                    f"{against} If you did it anyway, tick this box to log it as such.",
                )
            cleaned["against_wishes"] = bool(against)
        return cleaned


class ExportForm(forms.Form):
    """Why a member of staff exports the queue (recorded in the audit trail)."""

    reason = forms.CharField(
        label="Why do you need this export?",
        max_length=300,
        help_text="Recorded in the audit trail with your name and the filters used.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class ReportPeriodForm(forms.Form):
    """The Reports page's period: days in the clinic's time zone, both included."""

    # Long enough for a year-on-year look; short enough that one page stays fast.
    LONGEST_DAYS = 3 * 366
    # Shorter, and nearly every group would be a few people.
    SHORTEST_DAYS = 7

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end of the period must be on or after its start.")
            elif (end - start).days > self.LONGEST_DAYS:
                self.add_error("start", "Please choose a period of three years or less.")
            elif (end - start).days < self.SHORTEST_DAYS - 1:
                self.add_error(
                    "start",
                    "Please choose at least a week: a shorter period has too few people "
                    "in it to show safely.",
                )
            elif start > timezone.localdate():
                self.add_error("start", "The period starts in the future: nothing to show yet.")
        return data
