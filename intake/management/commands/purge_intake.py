"""Delete requests the clinic no longer needs: spam after 30 days, finished ones (closed,
referred elsewhere, not a fit) after the retention period. Requests on legal hold are never deleted. Run daily from cron."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from intake.models import FINISHED_STATUSES, AuditEntry, HelpRequest
from intake.services import audit_record

SPAM_DAYS = 30


class Command(BaseCommand):
    """Prints counts and writes counts, never contents, to the audit trail."""

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        retention = settings.INTAKE_RETENTION_DAYS
        # Spam as staff left it: a request they moved out of Spam is not spam.
        spam = HelpRequest.objects.filter(
            status=HelpRequest.Status.SPAM,
            created_at__lt=now - timedelta(days=SPAM_DAYS),
            legal_hold=False,
        )
        closed = HelpRequest.objects.filter(
            status__in=FINISHED_STATUSES,
            closed_at__lt=now - timedelta(days=retention),
            legal_hold=False,
        )
        held = HelpRequest.objects.filter(legal_hold=True).count()
        counts = {"spam": spam.count(), "closed": closed.count(), "kept_on_legal_hold": held}
        verb = "Would delete" if dry_run else "Deleted"
        if not dry_run:
            with transaction.atomic():
                spam.delete()
                closed.delete()
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.PURGE,
                    details={**counts, "retention_days": retention, "spam_days": SPAM_DAYS},
                )
        self.stdout.write(
            f"{verb} {counts['spam']} spam request(s) older than {SPAM_DAYS} days and "
            f"{counts['closed']} closed request(s) older than {retention} days; "
            f"{held} on legal hold kept."
        )
