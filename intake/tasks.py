"""Background work: telling staff a request arrived, without any personal data."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

# Retry a failed notification after 1, 2, 4 ... minutes, then every 2 hours, for 2 days.
MAX_ATTEMPTS = 30
MAX_DELAY = timedelta(hours=2)


def retry_delay(attempt: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempt - 1)), MAX_DELAY)


def notification_email(help_request) -> tuple[str, str]:
    """Subject and body: kind, reference, urgency and the admin link, nothing else."""
    kind = help_request.get_kind_display().lower()
    urgent = "URGENT " if help_request.urgent else ""
    subject = f"{urgent}New {kind} {help_request.reference}"
    link = settings.SITE_URL + reverse("admin:intake_helprequest_change", args=[help_request.pk])
    lines = [
        f"A new {kind} arrived through the website.",
        "",
        f"Reference: {help_request.reference}",
        "Urgent: "
        + ("yes, it mentions an overdose, suicide or self-harm" if help_request.urgent else "no"),
    ]
    if help_request.possibly_automated:
        lines.append("Possibly automated: it was sent very quickly, then confirmed. Check it.")
    lines += [
        "",
        f"Sign in to read it and respond:\n{link}",
        "",
        "This email deliberately contains no personal or health information.",
    ]
    return subject, "\n".join(lines) + "\n"


@task()
def notify_staff(help_request_id: int, attempt: int = 1) -> str:
    """Email the intake team; on failure record it for staff to see and try again later."""
    from intake.models import HelpRequest

    help_request = HelpRequest.objects.filter(pk=help_request_id).first()
    if help_request is None or help_request.notification == HelpRequest.Notification.SENT:
        return "nothing to do"
    subject, body = notification_email(help_request)
    try:
        send_mail(subject, body, None, settings.INTAKE_NOTIFY_EMAILS)
    except (OSError, smtplib.SMTPException) as error:
        HelpRequest.objects.filter(pk=help_request.pk).update(
            notification=HelpRequest.Notification.FAILED, notification_attempts=attempt
        )
        logger.warning(
            "Notification for request %s failed (attempt %s): %s",
            help_request.pk,
            attempt,
            type(error).__name__,
        )
        if attempt < MAX_ATTEMPTS:
            notify_staff.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                help_request_id, attempt + 1
            )
        return "failed"
    HelpRequest.objects.filter(pk=help_request.pk).update(
        notification=HelpRequest.Notification.SENT,
        notification_attempts=attempt,
        notified_at=timezone.now(),
    )
    return "sent"
