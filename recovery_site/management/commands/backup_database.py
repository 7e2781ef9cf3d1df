"""Write a pg_dump of the site's database to backups/ (or a path given)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from recovery_site.backup import dump


class Command(BaseCommand):
    """Custom-format dump; restore with pg_restore (see README, Backups)."""

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path)

    def handle(self, *args, output, **options):
        if output is None:
            folder = Path("backups")
            folder.mkdir(exist_ok=True)
            output = folder / f"clinic-{timezone.localtime():%Y%m%d-%H%M%S}.dump"
        dump(output)
        self.stdout.write(f"Backup written to {output} ({output.stat().st_size:,} bytes).")
