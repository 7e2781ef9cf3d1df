"""The queue's bulk actions. Each leaves alone the requests someone changed after the list
was loaded, and says which and what changed; "Mark as spam" and "Close" ask first, with the
count, as Django's delete does."""

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from intake.models import HelpRequest
from intake.selectors import timeline
from intake.services import help_requests_bulk_update

# The hidden field of the changelist form: when the list was loaded (ISO 8601).
LISTED_AT = "listed_at"
CONFIRMATION_TEMPLATE = "admin/intake/helprequest/bulk_confirmation.html"
# A confirmation names this many references, then says how many more.
NAMED_ON_CONFIRMATION = 20
# How selectors.timeline() starts a note's line.
NOTE_PREFIX = "Note: "


def requests_word(count: int) -> str:
    return f"{count} request" if count == 1 else f"{count} requests"


class CloseReasonForm(forms.Form):
    close_reason = forms.ChoiceField(
        label="Why are they closed?",
        choices=[("", "Choose a reason"), *HelpRequest.CloseReason.choices],
    )


def listed_at(request) -> datetime | None:
    """When the list an action was chosen from was loaded (None from a form without it)."""
    value = request.POST.get(LISTED_AT, "")
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest("The list's load time is not a time.") from None
    if timezone.is_naive(when):
        raise BadRequest("The list's load time has no time zone.")
    return when


def stale_message(references: list[str], since: datetime | None) -> str:
    """The requests left alone, each with what changed since the list was loaded, by whom."""
    found = HelpRequest.objects.filter(reference__in=references).order_by("reference")
    parts = []
    for help_request in found:
        changes = []
        for item in timeline(help_request, since=since):
            # Messages may travel in a cookie (signed, not encrypted): a note's words stay
            # on the request's page.
            what = "Note added" if item.what.startswith(NOTE_PREFIX) else item.what
            changes.append(f"{what}, by {item.who}" if item.who else what)
        parts.append(f"{help_request.reference} ({'; '.join(changes) or 'changed'})")
    return (
        f"Left alone, as someone changed {'it' if len(parts) == 1 else 'them'} after you "
        f"loaded the list: {', '.join(parts)}. Check the list again before you act on "
        f"{'it' if len(parts) == 1 else 'them'}."
    )


class BulkActionsMixin:
    """Bulk actions on the queue (QueueAdminMixin); permissions as for changing one request."""

    actions = ("assign_to_me", "mark_contacted", "mark_spam", "rescue", "close")

    def changelist_view(self, request, extra_context=None):
        # Taken before the rows are read: whatever changes after it is someone else's work.
        extra_context = {**(extra_context or {}), "listed_at": timezone.now().isoformat()}
        return super().changelist_view(request, extra_context)

    def _bulk(self, request, queryset, done: str, **values):
        since = listed_at(request)
        result = help_requests_bulk_update(
            queryset=queryset, actor=request.user, listed_at=since, **values
        )
        self.message_user(request, f"{requests_word(result.changed)} {done}.", messages.SUCCESS)
        if result.stale:
            self.message_user(request, stale_message(result.stale, since), messages.WARNING)

    def _confirm(self, request, queryset, *, action: str, question: str, button: str, form=None):
        """A page that asks before the action is applied, carrying the selection, the list's
        load time and the list's filters (the form posts back to the same address)."""
        count = queryset.count()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": question.format(requests=requests_word(count)),
            "button": button.format(count=count),
            "action": action,
            "references": queryset.values_list("reference", flat=True)[:NAMED_ON_CONFIRMATION],
            "more": max(count - NAMED_ON_CONFIRMATION, 0),
            # Named apart: nobody has reached them yet, and this takes them off that list.
            "urgent": queryset.urgent_awaiting_reply().values_list("reference", flat=True)[
                :NAMED_ON_CONFIRMATION
            ],
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "listed_at": request.POST.get(LISTED_AT, ""),
            "form": form,
            "back": request.get_full_path(),
        }
        return TemplateResponse(request, CONFIRMATION_TEMPLATE, context)

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._bulk(request, queryset, "assigned to you", assigned_to=request.user)

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        # Asked first: an urgent request marked contacted leaves "Urgent, not yet reached".
        if request.POST.get("post") != "yes":
            return self._confirm(
                request, queryset, action="mark_contacted",
                question="Mark {requests} as contacted?",
                button="Yes, mark {count} as contacted",
            )  # fmt: skip
        self._bulk(request, queryset, "marked contacted", status=HelpRequest.Status.CONTACTED)
        return None

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        if request.POST.get("post") != "yes":
            return self._confirm(
                request, queryset, action="mark_spam",
                question="Mark {requests} as spam?", button="Yes, mark {count} as spam",
            )  # fmt: skip
        self._bulk(request, queryset, "marked as spam", status=HelpRequest.Status.SPAM)
        return None

    @admin.action(description="Not spam: return to the queue", permissions=["change"])
    def rescue(self, request, queryset):
        # The status change notifies staff of each rescued request (the services).
        self._bulk(
            request,
            queryset.in_spam(),
            "returned to the queue as new",
            status=HelpRequest.Status.NEW,
        )

    @admin.action(description="Close", permissions=["change"])
    def close(self, request, queryset):
        form = CloseReasonForm(request.POST if request.POST.get("post") == "yes" else None)
        if not form.is_valid():
            return self._confirm(
                request, queryset, action="close", form=form,
                question="Close {requests}?", button="Yes, close {count}",
            )  # fmt: skip
        self._bulk(request, queryset, "closed", status=HelpRequest.Status.CLOSED,
                   close_reason=form.cleaned_data["close_reason"])  # fmt: skip
        return None
