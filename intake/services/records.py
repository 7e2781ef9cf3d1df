"""The records staff work leaves behind: the audit trail, and the purge that keeps only
what the clinic still needs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from intake.models import AuditEntry, HelpRequest


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


@transaction.atomic
def help_requests_purge(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """Delete the requests the clinic no longer needs, and record the counts (never contents).

    Spam goes INTAKE_SPAM_RETENTION_DAYS after it was marked spam; finished requests (closed,
    referred elsewhere, not a fit) INTAKE_RETENTION_DAYS after closing; nothing on legal
    hold. `dry_run` only counts.
    """
    spam_days, retention = settings.INTAKE_SPAM_RETENTION_DAYS, settings.INTAKE_RETENTION_DAYS
    # Spam as staff left it: a request they moved out of Spam is not spam.
    spam = HelpRequest.objects.filter(
        status=HelpRequest.Status.SPAM,
        spam_marked_at__lt=now - timedelta(days=spam_days),
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
