"""Staff's forms in the admin: a request's triage, a contact attempt, the export's reason.
The visitors' forms are in intake/forms.py."""

from django import forms

from intake.models import HelpRequest


class HelpRequestForm(forms.ModelForm):
    """Staff's side of a request; what the visitor sent is read-only."""

    class Meta:
        model = HelpRequest
        fields = ("status", "assigned_to", "follow_up_on", "legal_hold")


class ExportForm(forms.Form):
    """Why a member of staff exports the queue (recorded in the audit trail)."""

    reason = forms.CharField(
        label="Why do you need this export?",
        max_length=300,
        help_text="Recorded in the audit trail with your name and the filters used.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
