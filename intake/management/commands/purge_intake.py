"""Delete requests the clinic no longer needs: spam INTAKE_SPAM_RETENTION_DAYS after it was
marked spam,
finished ones (closed, referred elsewhere, not a fit) after INTAKE_RETENTION_DAYS. Requests
on legal hold are never deleted. Run daily (the housekeeping command does)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from intake.services import help_requests_purge


class Command(BaseCommand):
    """Prints counts; the service writes counts, never contents, to the audit trail."""

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run, **options):
        counts = help_requests_purge(now=timezone.now(), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {counts['spam']} request(s) marked spam over "
            f"{settings.INTAKE_SPAM_RETENTION_DAYS} days ago and {counts['closed']} closed "
            f"request(s) older than {settings.INTAKE_RETENTION_DAYS} days; "
            f"{counts['kept_on_legal_hold']} on legal hold kept."
        )
