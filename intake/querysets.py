"""What can be asked of many requests at once: the queue, overdue, spam, staff search.

The model (intake/models.py) holds the status groups these read, as `self.model.…`.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import models
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Reverse
from django.utils import timezone
from phonenumber_field.phonenumber import to_python as phone_number


class LegalHoldError(ProtectedError):
    """A request on legal hold was about to be deleted: refused, whoever asked."""


class HelpRequestQuerySet(models.QuerySet):
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
        """The open requests, longest waiting first."""
        return self.open().order_by("created_at")

    def overdue(self, now=None):
        """Not yet answered, and past the clinic's response-time promise."""
        return self.filter(
            spam=False,
            status__in=self.model.AWAITING_FIRST_REPLY,
            respond_by__lt=now or timezone.now(),
        )

    def assigned_to(self, user):
        return self.filter(assigned_to=user)

    def held_as_spam(self, since=None):
        """Kept out of the queue as spam (by the bot checks or by staff)."""
        held = self.filter(spam=True)
        return held.filter(created_at__gte=since) if since else held

    def in_spam(self):
        """What the Spam filter shows and staff can return to the queue: held as spam, or
        with the status Spam."""
        return self.filter(models.Q(spam=True) | models.Q(status=self.model.Status.SPAM))

    def with_program(self, program: str):
        """The program is encrypted: its keyed hash is what the database can match."""
        return self.filter(program_index=self.model.program_index_for(program))

    def staff_search(self, term: str):
        """Requests matching what staff typed: a reference, a phone number in any format,
        an email address, or the start of words in a name (or of an email address).

        Every branch is served by an index (see HelpRequest.Meta), so a search stays fast on a large
        table; PostgreSQL's pg_trgm extension is not needed.
        """
        term = " ".join(term.split())[:100]
        if not term:
            return self
        condition = models.Q(reference=term.upper())
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) >= 4:
            # A full number in any format (read as PHONENUMBER_DEFAULT_REGION's when it has
            # no country code) matches as stored; anything else, as the number's last digits.
            number = phone_number(term)
            condition |= (
                models.Q(phone=number)
                if number.is_valid()
                else models.Q(phone_reversed__startswith=digits[::-1])
            )
        if "@" in term:
            condition |= models.Q(email__istartswith=term)
        words = [w for w in "".join(ch if ch.isalnum() else " " for ch in term).split() if w]
        if words and len(digits) < 4:
            query = SearchQuery(
                " & ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
            )
            condition |= models.Q(name_search=query) | models.Q(email__istartswith=term)
        return self.annotate(
            name_search=SearchVector("name", config="simple"),
            # Plain text: reversed, it is no phone number for the field to read.
            phone_reversed=Reverse("phone", output_field=models.CharField()),
        ).filter(condition)
