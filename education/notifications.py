"""The weekly reminder to content editors: guides whose medical review is due soon."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from education.models import Guide
from education.querysets import REVIEW_DUE_SOON_DAYS
from recovery_site import roles


def review_reminder_recipients() -> list[str]:
    """Active content editors with an email address."""
    emails = (
        get_user_model()
        .objects.filter(groups__name=roles.CONTENT_EDITORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(emails)


def review_reminder_email(guides: list[Guide], *, today: datetime.date) -> tuple[str, str]:
    """Subject and body: each guide's title and its admin link, nothing else."""
    count = len(guides)
    subject = f"{count} guide{'s' if count != 1 else ''} due for medical review"
    lines = [
        f"These guides are due for medical review within {REVIEW_DUE_SOON_DAYS} days "
        f"of {date_format(today)}, or are overdue:",
        "",
    ]
    for guide in guides:
        link = settings.SITE_URL + reverse("admin:education_guide_change", args=[guide.pk])
        lines += [guide.title, link, ""]
    lines.append("You receive this each week as a content editor.")
    return subject, "\n".join(lines) + "\n"


def review_reminders_send(*, today: datetime.date) -> int:
    """Email each content editor the guides due for review; how many emails were sent
    (none when nothing is due or nobody can receive it). A mail server error propagates:
    the task tries again later."""
    guides = list(Guide.objects.review_due(today=today).order_by("next_review_on", "title"))
    recipients = review_reminder_recipients()
    if not guides or not recipients:
        return 0
    subject, body = review_reminder_email(guides, today=today)
    # One email each: editors need not see who else receives it.
    return send_mass_mail([(subject, body, None, [email]) for email in recipients])


# --- The weekly round ----------------------------------------------------------------
# Each reminder is a task queued for one week's Monday morning, keyed by that Monday: the
# task queue itself is the record of which weeks are queued and sent. Each run queues the
# next week's first; `manage.py queue_review_reminders` (run at start by `make run` and by
# compose's worker) queues the coming one if nothing is, so a broken chain mends itself.
REMINDER_WEEKDAY = 0  # Monday
REMINDER_TIME = datetime.time(8, 0)
# Two workers, or a worker and the start-up command, check and queue one at a time.
_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('education.review_reminders'))"


def reminder_at(week: datetime.date) -> datetime.datetime:
    """When the reminder of the week starting `week` is sent, in the clinic's time zone."""
    return timezone.make_aware(datetime.datetime.combine(week, REMINDER_TIME))


def reminder_week_coming(now: datetime.datetime) -> datetime.date:
    """The Monday of the next reminder still to come at `now`."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=(today.weekday() - REMINDER_WEEKDAY) % 7)
    return monday if now < reminder_at(monday) else monday + datetime.timedelta(days=7)


def _reminders_of(week: datetime.date):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="education.tasks.send_review_reminders",
        args_kwargs__kwargs__week=week.isoformat(),
    )


def review_reminder_queue(*, week: datetime.date) -> bool:
    """Queue the reminder of `week` unless it is queued or sent already. True if queued."""
    from education.tasks import send_review_reminders  # the tasks module imports this one

    with transaction.atomic():
        connection.cursor().execute(_LOCK_SQL)
        if _reminders_of(week).filter(status__in=["READY", "RUNNING", "SUCCESSFUL"]).exists():
            return False
        send_review_reminders.using(run_after=max(reminder_at(week), timezone.now())).enqueue(
            week=week.isoformat()
        )
    return True


def review_reminders_send_once(*, week: datetime.date, task_id: str) -> str:
    """Send the week's reminder unless another run of it sent it or is sending it: then
    "already sent". Otherwise "sent N" or "nothing due"; a mail error propagates."""
    with transaction.atomic():
        connection.cursor().execute(_LOCK_SQL)
        others = _reminders_of(week).exclude(id=task_id)
        if others.filter(status="RUNNING").exists() or (
            others.filter(status="SUCCESSFUL").exclude(return_value="failed").exists()
        ):
            return "already sent"
        # Sent while the lock is held: a second run waits, then finds this one running.
        sent = review_reminders_send(today=timezone.localdate())
    return f"sent {sent}" if sent else "nothing due"
