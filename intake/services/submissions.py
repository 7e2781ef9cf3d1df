"""Storing a visitor's request once, and returning one held as spam to the queue."""

import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.crisis import mentions_crisis
from intake.models import HelpRequest
from intake.selectors import help_request_for_submission
from intake.services.triage import help_request_staff_update
from intake.tasks import notify_staff


@transaction.atomic
def help_request_create(
    *,
    form,
    kind: str,
    submission_key: uuid.UUID,
    language: str = HelpRequest.Language.ENGLISH,
    held_as_spam: bool = False,
    automated_reason: str = "",
) -> HelpRequest:
    """Store a validated form's request, or return the one this same form already stored.

    The submission key comes from the form as it was shown. The view answers a repeat it
    can see; two posts of one form racing each other meet at the key's unique index, and
    the loser returns the winner's request. `language` is the language of the address the
    form was sent from (never a form field a visitor could change): staff call back in it. `held_as_spam` keeps an unambiguous bot out of
    the queue (staff can rescue it); otherwise a request with an `automated_reason` is
    queued and notified like any other, marked "possibly automated".
    """
    help_request = help_request_build(
        form=form,
        kind=kind,
        submission_key=submission_key,
        language=language,
        held_as_spam=held_as_spam,
        automated_reason=automated_reason,
    )
    for _attempt in range(5):
        help_request.reference = HelpRequest.new_reference(kind)
        try:
            with transaction.atomic():
                help_request.save()
            break
        except IntegrityError:
            # Two posts of the same form at once: the other one won; show its request.
            same_form = help_request_for_submission(submission_key=submission_key)
            if same_form is not None:
                return same_form
            # Otherwise the random reference was taken: draw another.
    else:
        raise IntegrityError("could not draw a free reference")

    if not help_request.spam:
        transaction.on_commit(partial(notify_staff.enqueue, help_request.pk))
    return help_request


def help_request_build(
    *,
    form,
    kind: str,
    submission_key: uuid.UUID,
    language: str,
    held_as_spam: bool = False,
    automated_reason: str = "",
) -> HelpRequest:
    """The request a validated form describes, not yet stored (see help_request_create)."""
    help_request = form.save(commit=False)
    help_request.kind = kind
    help_request.submission_key = submission_key
    help_request.source_page = form.cleaned_data.get("source_page", "")
    languages = HelpRequest.Language
    help_request.language = language if language in languages.values else languages.ENGLISH
    help_request.urgent = mentions_crisis(help_request.message)
    help_request.spam_reason = automated_reason
    if held_as_spam:
        help_request.spam = True
        help_request.held_on_arrival = True
        help_request.spam_marked_at = timezone.now()
        help_request.status = HelpRequest.Status.SPAM
        help_request.notification = HelpRequest.Notification.SKIPPED
    elif automated_reason:
        help_request.possibly_automated = True
    return help_request


@transaction.atomic
def help_request_rescue(*, help_request: HelpRequest, actor=None) -> HelpRequest:
    """Return a request held as spam to the queue as new, and tell staff it is there.

    `actor` is the staff member who rescued it, or None when the visitor's own clean
    resend of the same form proved a person sent it.
    """
    previous = HelpRequest(status=help_request.status)
    help_request.status = HelpRequest.Status.NEW
    help_request_staff_update(
        help_request=help_request, actor=actor, previous=previous, changed=["status"]
    )
    return help_request
