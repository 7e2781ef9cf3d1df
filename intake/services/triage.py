"""Staff's work on requests: changes with their timeline, refused when based on an older
copy of the request; bulk changes; notes and contact attempts."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intake.hours import response_due
from intake.models import AuditEntry, ContactAttempt, Event, HelpRequest, Note
from intake.selectors import TimelineItem, timeline
from intake.services.records import audit_record
from intake.tasks import notify_staff

WATCHED_FIELDS = {
    "status": Event.Kind.STATUS,
    "assigned_to": Event.Kind.ASSIGNEE,
    "follow_up_on": Event.Kind.FOLLOW_UP,
    "urgent": Event.Kind.URGENT,
}
# Details of an outcome: a change to one is in the timeline as the outcome's summary.
OUTCOME_FIELDS = (
    "appointment_at", "appointment_program", "appointment_place", "appointment_virtual",
    "referred_to", "referral_reason", "not_a_fit_reason", "close_reason",
)  # fmt: skip


class StaleRequestError(Exception):
    """A change was based on a copy of the request older than the one stored: refused, so
    nobody's work is overwritten. `changes` says what happened since, and by whom."""

    def __init__(self, help_request: HelpRequest, changes: list[TimelineItem]):
        super().__init__(f"{help_request} changed since it was loaded")
        self.help_request, self.changes = help_request, changes


def _display(help_request, field: str) -> str:
    value = getattr(help_request, field)
    if field == "status":
        return help_request.get_status_display()
    if field == "urgent":
        return "Urgent" if value else "Not urgent"
    if value is None:
        return ""
    if field == "assigned_to":
        return value.get_username()
    return str(value)


def _check_not_stale(help_request: HelpRequest, seen: datetime) -> None:
    """Lock the request's row and refuse the change if it was changed after `seen`."""
    stored = HelpRequest.objects.select_for_update().values_list("updated_at", flat=True)
    if stored.get(pk=help_request.pk) != seen:
        raise StaleRequestError(help_request, timeline(help_request, since=seen))


def _events(help_request, previous, changed, *, actor, urgent_reason: str) -> list[Event]:
    events = []
    for field in changed:
        if field not in WATCHED_FIELDS or previous is None:
            continue
        old, new = _display(previous, field), _display(help_request, field)
        if old != new:
            reason = ""
            if field == "urgent":
                reason = urgent_reason
            elif field == "status" and help_request.is_outcome_with_details:
                reason = help_request.outcome_summary
            events.append(Event(help_request=help_request, actor=actor,
                                kind=WATCHED_FIELDS[field], old_value=old, new_value=new,
                                reason=reason[:300]))  # fmt: skip
    status_changed = any(event.kind == Event.Kind.STATUS for event in events)
    details_changed = set(changed) & set(OUTCOME_FIELDS)
    if details_changed and not status_changed and help_request.is_outcome_with_details:
        events.append(Event(help_request=help_request, actor=actor, kind=Event.Kind.OUTCOME,
                            new_value=help_request.outcome_summary[:100]))  # fmt: skip
    return events


@transaction.atomic
def help_request_staff_update(
    *,
    help_request: HelpRequest,
    actor,
    previous: HelpRequest | None,
    changed: list[str],
    seen_updated_at: datetime | None = None,
    urgent_reason: str = "",
) -> HelpRequest:
    """Save a staff member's change; record each status, assignee, follow-up, urgency and
    outcome change in the timeline.

    `previous` is the request as it was in the database before the change.
    `seen_updated_at` is the request's `updated_at` on the page the change was made on: if
    someone changed the request since, StaleRequestError is raised and nothing is saved.
    """
    if seen_updated_at is not None:
        _check_not_stale(help_request, seen_updated_at)
    now = timezone.now()
    # Staff decide what is spam: a request moved out of Spam returns to the queue, and
    # staff are told about it as about any new request (it was never notified).
    was_spam = help_request.spam if previous is None else previous.spam
    help_request.spam = help_request.status == HelpRequest.Status.SPAM
    if help_request.spam and not (was_spam and help_request.spam_marked_at):
        help_request.spam_marked_at = now
    elif not help_request.spam:
        help_request.spam_marked_at = None
    rescued = (
        not help_request.spam and help_request.notification == HelpRequest.Notification.SKIPPED
    )
    if rescued:
        help_request.notification = HelpRequest.Notification.PENDING
    if "status" in changed and help_request.status in HelpRequest.FOLLOWED_UP_STATUSES:
        # Marked Contacted or Scheduled with no conversation logged: reached by now.
        help_request.stamp_first_contact(now)
    if help_request.is_finished and not help_request.closed_at:
        help_request.closed_at = now
    elif not help_request.is_finished:
        help_request.closed_at = None
    if "urgent" in changed:
        # Marked urgent: the urgent promise from now, unless the old one is sooner.
        # Cleared: the ordinary promise from when it arrived.
        urgent_due = now + timedelta(minutes=settings.INTAKE_URGENT_RESPONSE_MINUTES)
        help_request.respond_by = (
            min(help_request.respond_by, urgent_due)
            if help_request.urgent
            else response_due(help_request.created_at)
        )
    if changed:
        help_request.updated_at = now
    help_request.save()
    if rescued:
        transaction.on_commit(partial(notify_staff.enqueue, help_request.pk))
    events = _events(help_request, previous, changed, actor=actor, urgent_reason=urgent_reason)
    for event in events:
        event.created_at = now
    Event.objects.bulk_create(events)
    if changed:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CHANGE,
            reference=help_request.reference,
            details={
                "fields": sorted(changed),
                "changes": {e.kind: [e.old_value, e.new_value] for e in events},
            },
        )
    return help_request


@dataclass(frozen=True)
class BulkResult:
    changed: int
    # References left alone because someone changed them after the list was loaded.
    stale: list[str]


@transaction.atomic
def help_requests_bulk_update(*, queryset, actor, listed_at: datetime | None = None,
                              **values) -> BulkResult:  # fmt: skip
    """Apply one change (status, assignee, close reason) to many requests, recording each.

    Requests changed by anyone after `listed_at` (when the list the staff member chose
    from was loaded) are left alone and named in the result.
    """
    count, stale = 0, []
    locked = queryset.select_for_update(of=("self",)).select_related("assigned_to")
    for help_request in locked:
        if listed_at is not None and help_request.updated_at > listed_at:
            stale.append(help_request.reference)
            continue
        previous = HelpRequest(
            status=help_request.status,
            assigned_to=help_request.assigned_to,
            follow_up_on=help_request.follow_up_on,
            spam=help_request.spam,
        )
        changed = [f for f, v in values.items() if getattr(help_request, f) != v]
        if not changed:
            continue
        for field, value in values.items():
            setattr(help_request, field, value)
        help_request_staff_update(
            help_request=help_request, actor=actor, previous=previous, changed=changed
        )
        count += 1
    return BulkResult(changed=count, stale=sorted(stale))


@transaction.atomic
def contact_attempt_add(
    *,
    help_request: HelpRequest,
    made_by,
    channel: str,
    outcome: str,
    attempted_at: datetime | None = None,
    against_wishes: bool = False,
) -> ContactAttempt:
    """Log one try at reaching the person, and what it means for the request.

    The first attempt moves a New request to In progress; the first "spoke with them"
    stamps the time of first contact and moves a request not yet answered to Contacted.
    """
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    attempt = ContactAttempt.objects.create(
        help_request=help_request,
        made_by=made_by,
        channel=channel,
        outcome=outcome,
        attempted_at=attempted_at or timezone.now(),
        against_wishes=against_wishes,
    )
    help_request.attempt_count += 1
    if help_request.last_attempt_at is None or attempt.attempted_at >= help_request.last_attempt_at:
        help_request.last_attempt_outcome = outcome
        help_request.last_attempt_at = attempt.attempted_at
    help_request.stamp_first_attempt(attempt.attempted_at)
    spoke = outcome == ContactAttempt.Outcome.SPOKE
    if spoke:
        help_request.stamp_first_contact(attempt.attempted_at)
    help_request.save(update_fields=[
        "attempt_count", "last_attempt_outcome", "last_attempt_at", "first_attempt_at",
        "business_hours_to_first_attempt", "first_contact_at", "business_hours_to_first_contact",
    ])  # fmt: skip
    # Whoever first tries to reach an unassigned person has them ("Mine" counts it).
    previous = HelpRequest(status=help_request.status, assigned_to=help_request.assigned_to)
    changed = []
    if help_request.assigned_to_id is None:
        help_request.assigned_to = made_by
        changed.append("assigned_to")
    new_status = None
    if spoke and help_request.awaiting_first_reply:
        new_status = HelpRequest.Status.CONTACTED
    elif help_request.status == HelpRequest.Status.NEW:
        new_status = HelpRequest.Status.IN_PROGRESS
    if new_status:
        help_request.status = new_status
        changed.append("status")
    if changed:
        help_request_staff_update(
            help_request=help_request, actor=made_by, previous=previous, changed=changed
        )
    audit_record(
        actor=made_by,
        action=AuditEntry.Action.ATTEMPT,
        reference=help_request.reference,
        details={"channel": channel, "outcome": outcome, "against_wishes": against_wishes},
    )
    return attempt


@transaction.atomic
def note_add(*, help_request: HelpRequest, author, text: str) -> Note:
    """Add a signed, timestamped note; notes are never edited or deleted."""
    note = Note.objects.create(help_request=help_request, author=author, text=text)
    audit_record(actor=author, action=AuditEntry.Action.NOTE, reference=help_request.reference)
    return note
