"""Delete what is no longer needed, on a schedule: for a host or container without cron."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from intake.unsaved_changes import unsaved_changes_purge_expired

HOUR = 3600


class Command(BaseCommand):
    """Every hour, delete expired sessions (a visitor's holds their reference) and unsaved
    changes nobody came back for; every 24 hours, and at start, purge requests past their
    retention (purge_intake)."""

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do both once, then stop.")

    def handle(self, *args, once=False, **options):
        hours = 0
        while True:
            call_command("clearsessions")
            unsaved_changes_purge_expired()
            if hours % 24 == 0:
                call_command("purge_intake", stdout=self.stdout)
            if once:
                return
            hours += 1
            time.sleep(HOUR)
