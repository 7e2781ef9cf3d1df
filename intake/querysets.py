"""What can be asked of many requests at once: the queue, overdue, spam, staff search.

The model (intake/models.py) holds the status groups these read, as `self.model.…`.
"""

from django.db import models
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from phonenumber_field.phonenumber import to_python as phone_number

# An SQL function made by migration 0009_staff_search: unaccent() then lower(), declared
# IMMUTABLE (unaccent() is not, as its dictionary could change) so an index can hold it.
FOLD_FUNCTION = "intake_unaccent_lower"
# This many digits (spaces and punctuation aside) are a phone number or part of one, and
# are looked for as one run in the stored +E.164 ("415 555" finds +14155550123).
PHONE_RUN = 4


def folded(expression) -> models.Func:
    """Text as staff search compares it: without accents, in lower case ("María": "maria").
    A plain Func, not a subclass, so the migrations need not import this module."""
    return models.Func(expression, function=FOLD_FUNCTION, output_field=models.TextField())


def name_has(word: str) -> models.Q:
    """The word anywhere in the name, accents and case aside ("ortiz" finds "Ana Ortiz-Reyes");
    a word of one or two letters, too short for a trigram index, only at the start of one of
    the name's words ("li" finds "Wei Li" and "Lisa Ray", not "Julian")."""
    if len(word) >= 3:
        return models.Q(folded_name__contains=folded(models.Value(word)))
    return (
        models.Q(folded_name__startswith=folded(models.Value(word)))
        | models.Q(folded_name__contains=folded(models.Value(f" {word}")))
        | models.Q(folded_name__contains=folded(models.Value(f"-{word}")))
    )


class LegalHoldError(ProtectedError):
    """A request on legal hold was about to be deleted: refused, whoever asked."""


class HelpRequestQuerySet(models.QuerySet):
    # Urgent first, then longest waiting (an index in HelpRequest.Meta follows it).
    QUEUE_ORDER = ("-urgent", "created_at")

    def delete(self):
        """Requests on legal hold are never deleted, by anyone: the whole delete is refused
        before anything is written (the purge and the admin leave them out beforehand)."""
        held = list(self.filter(legal_hold=True)[:10])
        if held:
            raise LegalHoldError("Requests on legal hold cannot be deleted.", held)
        return super().delete()

    def open(self):
        """What staff still have to work: not spam, and not finished."""
        return self.filter(spam=False, status__in=self.model.OPEN_STATUSES)

    def queue(self):
        """The open requests, urgent first, then longest waiting first."""
        return self.open().order_by(*self.QUEUE_ORDER, "-pk")

    def overdue(self, now=None):
        """Not yet answered and past the clinic's response-time promise, or reached and
        past the follow-up date staff set."""
        now = now or timezone.now()
        unanswered = models.Q(status__in=self.model.AWAITING_FIRST_REPLY, respond_by__lt=now)
        follow_up_missed = models.Q(
            status__in=self.model.FOLLOWED_UP_STATUSES,
            follow_up_on__lt=timezone.localdate(now),
        )
        return self.filter(unanswered | follow_up_missed, spam=False)

    def urgent_awaiting_reply(self):
        """Urgent, and nobody has reached them yet."""
        return self.filter(spam=False, urgent=True, status__in=self.model.AWAITING_FIRST_REPLY)

    def follow_ups_due(self, today=None):
        """Open requests whose follow-up date is today or has passed."""
        return self.open().filter(follow_up_on__lte=today or timezone.localdate())

    def assigned_to(self, user):
        return self.filter(assigned_to=user)

    def held_as_spam(self, since=None):
        """Kept out of the queue as spam (by the bot checks or by staff), marked since."""
        held = self.filter(spam=True)
        return held.filter(spam_marked_at__gte=since) if since else held

    def after_in_queue(self, help_request):
        """The requests after this one in queue order (for "Save and go to next")."""
        urgent, created = help_request.urgent, help_request.created_at
        later = models.Q(urgent=urgent, created_at__gt=created) | models.Q(
            urgent=urgent, created_at=created, pk__lt=help_request.pk
        )
        if urgent:
            later |= models.Q(urgent=False)
        return self.queue().filter(later)

    def in_spam(self):
        """What the Spam filter shows and staff can return to the queue: held as spam, or
        with the status Spam."""
        return self.filter(models.Q(spam=True) | models.Q(status=self.model.Status.SPAM))

    def with_program(self, program: str):
        """The program is encrypted: its keyed hash is what the database can match."""
        return self.filter(program_index=self.model.program_index_for(program))

    def not_spam(self):
        """Everything but what the Spam filter shows."""
        return self.filter(spam=False).exclude(status=self.model.Status.SPAM)

    def staff_search(self, term: str):
        """Requests matching what staff typed: a reference (with or without its prefix),
        any run of four or more digits of a phone number (or a whole number in any format),
        the start of an email address, or parts of a name, accents and case aside.

        Each branch is served by an index (see HelpRequest.Meta), so the search stays fast
        on a large table and PostgreSQL can combine the branches (a BitmapOr).
        """
        term = " ".join(term.split())[:100]
        if not term:
            return self
        condition = models.Q(reference__in=self.model.references_typed_as(term))
        digits = "".join(ch for ch in term if ch.isdigit())
        is_phone, is_email = len(digits) >= PHONE_RUN, "@" in term
        if is_phone:
            # A whole number is read as PHONENUMBER_DEFAULT_REGION's when it has no country
            # code, and matched as stored: a national trunk "0" is not among E.164's digits.
            number = phone_number(term)
            if number.is_valid():
                condition |= models.Q(phone=number)
            condition |= models.Q(phone__contains=digits)
        if is_email or not is_phone:
            condition |= models.Q(email__istartswith=term)
        words = "".join(ch if ch.isalnum() else " " for ch in term).split()
        if words and not (is_email or is_phone):
            condition |= models.Q(*(name_has(word) for word in words))
        return self.annotate(folded_name=folded("name")).filter(condition)
