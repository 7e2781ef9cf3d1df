"""Background work on the guides, run by the task worker (db_worker)."""

import datetime
import logging
import smtplib

from django.tasks import task
from django.utils import timezone

from education.notifications import (
    reminder_week_coming,
    review_reminder_queue,
    review_reminders_send_once,
)
from education.services import scheduled_changes_carry_out

logger = logging.getLogger(__name__)

# A reminder the mail server refused is tried again every hour, for half a day.
REMINDER_ATTEMPTS = 12
REMINDER_RETRY = datetime.timedelta(hours=1)


@task()
def carry_out_schedule() -> dict:
    """Publish and unpublish the guides whose set time has come. Queued to run at each
    set time; running it early or twice does nothing more."""
    return scheduled_changes_carry_out()


@task(takes_context=True)
def send_review_reminders(context, week: str, attempt: int = 1) -> str:
    """The weekly email to content editors of the guides due for medical review. `week`
    (its Monday) is the key: one week's reminder is sent once, however often queued."""
    monday = datetime.date.fromisoformat(week)
    # The next week's first, so that a mail server failure never ends the weekly round;
    # a run days late is followed by the coming Monday's, not by a second one at once.
    following = monday + datetime.timedelta(days=7)
    review_reminder_queue(week=max(following, reminder_week_coming(timezone.now())))
    try:
        return review_reminders_send_once(week=monday, task_id=str(context.task_result.id))
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("Review reminder for %s failed (attempt %s): %s", week, attempt,
                       type(error).__name__)  # fmt: skip
        if attempt < REMINDER_ATTEMPTS:
            send_review_reminders.using(run_after=timezone.now() + REMINDER_RETRY).enqueue(
                week=week, attempt=attempt + 1
            )
        return "failed"
