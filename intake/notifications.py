"""Telling staff a request arrived, by email, without any personal data."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from intake.models import HelpRequest

logger = logging.getLogger(__name__)


def notification_email(help_request: HelpRequest) -> tuple[str, str]:
    """Subject and body: kind, reference, urgency, language and the admin link, nothing
    else."""
    kind = help_request.get_kind_display().lower()
    urgent = "URGENT " if help_request.urgent else ""
    subject = f"{urgent}New {kind} {help_request.reference}"
    link = settings.SITE_URL + help_request.get_absolute_url()
    lines = [
        f"A new {kind} arrived through the website.",
        "",
        f"Reference: {help_request.reference}",
        "Urgent: "
        + ("yes, it mentions an overdose, suicide or self-harm" if help_request.urgent else "no"),
        # Who calls back: someone who speaks it (the language of the page it was sent from).
        f"Language: {HelpRequest.Language.for_staff(help_request.language)}",
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


def staff_notify(*, help_request: HelpRequest, attempt: int) -> bool:
    """Email the intake team and record the outcome on the request for staff to see.

    False when the mail server could not take it (the task tries again later).
    """
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
        return False
    HelpRequest.objects.filter(pk=help_request.pk).update(
        notification=HelpRequest.Notification.SENT,
        notification_attempts=attempt,
        notified_at=timezone.now(),
    )
    return True
