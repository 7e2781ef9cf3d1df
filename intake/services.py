"""Storing a request for help: one transaction, exactly once, staff notified after commit."""

import uuid
from functools import partial

from django.db import IntegrityError, transaction

from intake.crisis import mentions_crisis
from intake.models import HelpRequest
from intake.tasks import notify_staff


@transaction.atomic
def help_request_create(
    *, form, kind: str, submission_key: uuid.UUID, spam_reason: str = ""
) -> HelpRequest:
    """Store a validated form's request, or return the one this same form already stored.

    The submission key comes from the form as it was shown, so a double click or a browser
    resending the post finds the first request instead of creating a second.
    """
    existing = HelpRequest.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing

    help_request = form.save(commit=False)
    help_request.kind = kind
    help_request.submission_key = submission_key
    help_request.source_page = form.cleaned_data.get("source_page", "")
    help_request.urgent = mentions_crisis(help_request.message)
    if spam_reason:
        help_request.spam = True
        help_request.spam_reason = spam_reason
        help_request.status = HelpRequest.Status.SPAM
        help_request.notification = HelpRequest.Notification.SKIPPED

    for _attempt in range(5):
        help_request.reference = HelpRequest.new_reference(kind)
        try:
            with transaction.atomic():
                help_request.save()
            break
        except IntegrityError:
            # Two posts of the same form at once: the other one won; show its request.
            same_form = HelpRequest.objects.filter(submission_key=submission_key).first()
            if same_form is not None:
                return same_form
            # Otherwise the random reference was taken: draw another.
    else:
        raise IntegrityError("could not draw a free reference")

    if not help_request.spam:
        transaction.on_commit(partial(notify_staff.enqueue, help_request.pk))
    return help_request
