"""Background work: each task fetches what it needs and calls one service."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from intake.models import HelpRequest
from intake.notifications import staff_notify

# Retry a failed notification after 1, 2, 4 ... minutes, then every 2 hours, for 2 days.
MAX_ATTEMPTS = 30
MAX_DELAY = timedelta(hours=2)


def retry_delay(attempt: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempt - 1)), MAX_DELAY)


@task()
def notify_staff(help_request_id: int, attempt: int = 1) -> str:
    """Email the intake team; on failure, try again later."""
    help_request = HelpRequest.objects.filter(pk=help_request_id).first()
    if help_request is None or help_request.notification == HelpRequest.Notification.SENT:
        return "nothing to do"
    if staff_notify(help_request=help_request, attempt=attempt):
        return "sent"
    if attempt < MAX_ATTEMPTS:
        notify_staff.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            help_request_id, attempt + 1
        )
    return "failed"
