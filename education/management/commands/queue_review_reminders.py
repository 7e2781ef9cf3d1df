"""Make sure the weekly review reminder is queued: run at start beside the task worker."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from education.notifications import reminder_at, reminder_week_coming, review_reminder_queue


class Command(BaseCommand):
    """Queue the coming Monday's reminder to content editors of guides due for medical
    review, unless it is queued already. Safe to run on every start, by several workers at
    once: each week's reminder is queued and sent once."""

    help = __doc__

    def handle(self, *args, **options):
        week = reminder_week_coming(timezone.now())
        queued = review_reminder_queue(week=week)
        when = timezone.localtime(reminder_at(week)).strftime("%a %d %b %Y %H:%M")
        state = "queued" if queued else "already queued"
        self.stdout.write(f"Review reminder for {when}: {state}.")
