"""Writes to requests: storing a visitor's request once, and staff changes with their record."""

import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.crisis import mentions_crisis
from intake.models import AuditEntry, Event, HelpRequest, Note
from intake.selectors import help_request_for_submission
from intake.tasks import notify_staff


@transaction.atomic
def help_request_create(
    *,
    form,
    kind: str,
    submission_key: uuid.UUID,
    held_as_spam: bool = False,
    automated_reason: str = "",
) -> HelpRequest:
    """Store a validated form's request, or return the one this same form already stored.

    The submission key comes from the form as it was shown. The view answers a repeat it
    can see; two posts of one form racing each other meet at the key's unique index, and
    the loser returns the winner's request. `held_as_spam` keeps an unambiguous bot out of
    the queue (staff can rescue it); otherwise a request with an `automated_reason` is
    queued and notified like any other, marked "possibly automated".
    """
    help_request = form.save(commit=False)
    help_request.kind = kind
    help_request.submission_key = submission_key
    help_request.source_page = form.cleaned_data.get("source_page", "")
    help_request.urgent = mentions_crisis(help_request.message)
    help_request.spam_reason = automated_reason
    if held_as_spam:
        help_request.spam = True
        help_request.status = HelpRequest.Status.SPAM
        help_request.notification = HelpRequest.Notification.SKIPPED
    elif automated_reason:
        help_request.possibly_automated = True

    for _attempt in range(5):
        help_request.reference = HelpRequest.new_reference(kind)
        try:
            with transaction.atomic():
                help_request.save()
            break
        except IntegrityError:
            # Two posts of the same form at once: the other one won; show its request.
            same_form = help_request_for_submission(submission_key=submission_key)
            if same_form is not None:
                return same_form
            # Otherwise the random reference was taken: draw another.
    else:
        raise IntegrityError("could not draw a free reference")

    if not help_request.spam:
        transaction.on_commit(partial(notify_staff.enqueue, help_request.pk))
    return help_request


@transaction.atomic
def help_request_rescue(*, help_request: HelpRequest, actor=None) -> HelpRequest:
    """Return a request held as spam to the queue as new, and tell staff it is there.

    `actor` is the staff member who rescued it, or None when the visitor's own clean
    resend of the same form proved a person sent it.
    """
    previous = HelpRequest(status=help_request.status)
    help_request.status = HelpRequest.Status.NEW
    help_request_staff_update(
        help_request=help_request, actor=actor, previous=previous, changed=["status"]
    )
    return help_request


def audit_record(*, actor, action: str, reference: str = "", details: dict | None = None):
    """Write one line of the audit trail: who did what to which request (no contents)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        reference=reference,
        details=details or {},
    )


def audit_account_change(*, actor, action: str, obj, operation: str, change_message=()):
    """Record a change to a staff account, role or sign-in device: which one, and the
    labels of the fields the admin's change message names (never a value, hash or key)."""
    fields = []
    for entry in change_message if isinstance(change_message, list) else []:
        for verb, change in entry.items():
            fields += change.get("fields", [])
            if change.get("name"):  # an inline row, e.g. "added static token"
                fields.append(f"{verb} {change['name']}")
    details = {"operation": operation, "id": obj.pk, "object": str(obj), "fields": fields}
    return audit_record(actor=actor, action=action, details=details)


WATCHED_FIELDS = {
    "status": Event.Kind.STATUS,
    "assigned_to": Event.Kind.ASSIGNEE,
    "follow_up_on": Event.Kind.FOLLOW_UP,
}


def _display(help_request, field: str) -> str:
    value = getattr(help_request, field)
    if field == "status":
        return help_request.get_status_display()
    if value is None:
        return ""
    if field == "assigned_to":
        return value.get_username()
    return str(value)


@transaction.atomic
def help_request_staff_update(
    *, help_request: HelpRequest, actor, previous: HelpRequest | None, changed: list[str]
) -> HelpRequest:
    """Save a staff member's change; record each status, assignee or follow-up change.

    `previous` is the request as it was in the database before the change.
    """
    # Staff decide what is spam: a request moved out of Spam returns to the queue, and
    # staff are told about it as about any new request (it was never notified).
    help_request.spam = help_request.status == HelpRequest.Status.SPAM
    rescued = (
        not help_request.spam and help_request.notification == HelpRequest.Notification.SKIPPED
    )
    if rescued:
        help_request.notification = HelpRequest.Notification.PENDING
    if help_request.is_finished and not help_request.closed_at:
        help_request.closed_at = timezone.now()
    elif not help_request.is_finished:
        help_request.closed_at = None
    help_request.save()
    if rescued:
        transaction.on_commit(partial(notify_staff.enqueue, help_request.pk))
    events = []
    for field in changed:
        if field in WATCHED_FIELDS and previous is not None:
            old, new = _display(previous, field), _display(help_request, field)
            if old != new:
                events.append(
                    Event(
                        help_request=help_request,
                        actor=actor,
                        kind=WATCHED_FIELDS[field],
                        old_value=old,
                        new_value=new,
                    )
                )
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


@transaction.atomic
def help_requests_bulk_update(*, queryset, actor, **values) -> int:
    """Apply one change (status and/or assignee) to many requests, recording each."""
    count = 0
    locked = queryset.select_for_update(of=("self",)).select_related("assigned_to")
    for help_request in locked:
        previous = HelpRequest(
            status=help_request.status,
            assigned_to=help_request.assigned_to,
            follow_up_on=help_request.follow_up_on,
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
    return count


@transaction.atomic
def note_add(*, help_request: HelpRequest, author, text: str) -> Note:
    """Add a signed, timestamped note; notes are never edited or deleted."""
    note = Note.objects.create(help_request=help_request, author=author, text=text)
    audit_record(actor=author, action=AuditEntry.Action.NOTE, reference=help_request.reference)
    return note


@transaction.atomic
def help_requests_purge(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """Delete the requests the clinic no longer needs, and record the counts (never contents).

    Spam goes INTAKE_SPAM_RETENTION_DAYS after it arrived; finished requests (closed,
    referred elsewhere, not a fit) INTAKE_RETENTION_DAYS after closing; nothing on legal
    hold. `dry_run` only counts.
    """
    spam_days, retention = settings.INTAKE_SPAM_RETENTION_DAYS, settings.INTAKE_RETENTION_DAYS
    # Spam as staff left it: a request they moved out of Spam is not spam.
    spam = HelpRequest.objects.filter(
        status=HelpRequest.Status.SPAM,
        created_at__lt=now - timedelta(days=spam_days),
        legal_hold=False,
    )
    closed = HelpRequest.objects.filter(
        status__in=HelpRequest.FINISHED_STATUSES,
        closed_at__lt=now - timedelta(days=retention),
        legal_hold=False,
    )
    counts = {
        "spam": spam.count(),
        "closed": closed.count(),
        "kept_on_legal_hold": HelpRequest.objects.filter(legal_hold=True).count(),
    }
    if not dry_run:
        spam.delete()
        closed.delete()
        audit_record(
            actor=None,
            action=AuditEntry.Action.PURGE,
            details={**counts, "retention_days": retention, "spam_days": spam_days},
        )
    return counts
