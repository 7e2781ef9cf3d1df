"""Reads of requests that more than one place needs (HackSoft "selectors")."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from intake.models import HelpRequest
from recovery_site import roles

QUEUE_URL_NAME = "admin:intake_helprequest_changelist"


@dataclass(frozen=True)
class TimelineItem:
    """One line of a request's timeline: when, what happened, and who did it."""

    when: datetime
    what: str
    who: str = ""


def timeline(help_request: HelpRequest, *, since: datetime | None = None) -> list[TimelineItem]:
    """What happened to a request in the order it happened (after `since`, if given):
    its arrival, staff changes, notes and contact attempts."""
    items = []
    if since is None:
        items.append(TimelineItem(help_request.created_at, "Request received"))
    after = {"created_at__gt": since} if since else {}
    for event in help_request.events.filter(**after).select_related("actor"):
        items.append(TimelineItem(event.created_at, str(event), _username(event.actor)))
    for note in help_request.notes.filter(**after).select_related("author"):
        items.append(TimelineItem(note.created_at, f"Note: {note.text}", _username(note.author)))
    for attempt in help_request.contact_attempts.filter(**after).select_related("made_by"):
        what = f"Contact attempt: {attempt}"
        if attempt.attempted_at != attempt.created_at:
            made = timezone.localtime(attempt.attempted_at).strftime("%H:%M %d %b")
            what += f", made at {made}"
        items.append(TimelineItem(attempt.created_at, what, _username(attempt.made_by)))
    return sorted(items, key=lambda item: item.when)


def _username(user) -> str:
    return user.get_username() if user else ""


def help_request_for_submission(*, submission_key: uuid.UUID) -> HelpRequest | None:
    """The request one showing of a form already stored, if it did."""
    return HelpRequest.objects.filter(submission_key=submission_key).first()


@dataclass(frozen=True)
class ReplyPromise:
    """By when and how the clinic promised to reply: all a thank-you page may show of a
    request besides its reference (no name, number or address)."""

    due: datetime
    method: str  # a ContactMethod, or "" when staff choose between phone and email


def reply_promise(*, reference: str) -> ReplyPromise | None:
    """The promise for the request a thank-you page names; None for no reference (a
    request held as spam gets none) or one no longer stored."""
    if not reference:
        return None
    # Both forms store the way to reach the visitor (chosen, or the one given), so nothing
    # encrypted needs reading here.
    found = (
        HelpRequest.objects.filter(reference=reference, spam=False)
        .values_list("respond_by", "preferred_contact")
        .first()
    )
    return ReplyPromise(due=found[0], method=found[1]) if found else None


def queue_counts(*, user) -> dict:
    """New, overdue, urgent not yet reached, follow-ups due and mine, each with a link to
    the filtered queue (the admin home's tiles); nothing for staff who may not see requests."""
    if not user.has_perm("intake.view_helprequest"):
        return {}
    queue = HelpRequest.objects.queue()
    base = reverse(QUEUE_URL_NAME)
    tiles = [
        ("New", queue.filter(status=HelpRequest.Status.NEW), {"status": "new"}),
        ("Overdue", HelpRequest.objects.overdue(), {"overdue": "yes"}),
        ("Urgent", HelpRequest.objects.urgent_awaiting_reply(), {"urgent": "waiting"}),
        ("Follow-ups due", HelpRequest.objects.follow_ups_due(), {"follow_up": "due"}),
        ("Mine", queue.assigned_to(user), {"assignee": "me"}),
        (
            "Held as spam this week",
            HelpRequest.objects.held_as_spam(since=timezone.now() - timedelta(days=7)),
            {"status": HelpRequest.Status.SPAM},
        ),
    ]
    return {
        "queue_tiles": [
            {"label": label, "count": qs.count(), "url": f"{base}?{urlencode(params)}"}
            for label, qs, params in tiles
        ]
    }


def staff_who_take_requests():
    """The people a request can be given to: active staff in a role that works requests."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=roles.CAN_TAKE_REQUESTS))
        .distinct()
        .order_by("username")
    )
