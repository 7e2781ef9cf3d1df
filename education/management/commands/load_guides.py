"""Load the starting guides shipped in education/content/ (safe to run on every start)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from education.services import CONTENT_DIR, GuideFileError, guides_load


class Command(BaseCommand):
    """Create missing guides and refresh untouched ones; never overwrite a staff edit."""

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=CONTENT_DIR)

    def handle(self, *args, directory, **options):
        try:
            report = guides_load(directory=directory)
        except (GuideFileError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Guides: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept_staff_edits)} kept as "
            f"edited by staff, {len(report.deleted_by_staff)} left deleted by staff."
        )
        for slug in report.kept_staff_edits:
            self.stdout.write(f"  kept staff edit: {slug}")
