"""Requests for help sent through the site's two forms, kept until staff answer them."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from intake import choices
from intake.crypto import blind_index
from intake.fields import EncryptedChoiceField, EncryptedListField, EncryptedTextField
from intake.hours import response_due
from intake.querysets import HelpRequestQuerySet, LegalHoldError, folded
from intake.validators import reject_control_characters

# Reference alphabet: no 0/O, 1/I/L or U, so a reference read aloud on the phone is clear.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_PREFIXES = {choices.Kind.CONSULTATION: "CR", choices.Kind.MESSAGE: "MS"}


class HelpRequest(models.Model):
    """A message or a consultation request: one queue for staff, whichever form sent it."""

    # The choices live in intake/choices.py; named here too, as HelpRequest.Status etc.
    Kind = choices.Kind
    Status = choices.Status
    ContactMethod = choices.ContactMethod
    ContactWindow = choices.ContactWindow
    WhoNeedsHelp = choices.WhoNeedsHelp
    Substance = choices.Substance
    Program = choices.Program
    Insurance = choices.Insurance
    Notification = choices.Notification

    # The status groups, each written once: the queue, the admin's filters, the purge and
    # the properties below all read these.
    AWAITING_FIRST_REPLY = (Status.NEW, Status.IN_PROGRESS)
    OPEN_STATUSES = (*AWAITING_FIRST_REPLY, Status.CONTACTED, Status.SCHEDULED)
    # Work on these is done; purge_intake deletes them after the retention period.
    FINISHED_STATUSES = (Status.CLOSED, Status.REFERRED, Status.NOT_A_FIT)

    kind = models.CharField(max_length=12, choices=Kind)
    reference = models.CharField(max_length=12, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.NEW)
    urgent = models.BooleanField(
        default=False, help_text="The message mentions an overdose, suicide or self-harm."
    )
    # Only an unambiguous bot signal holds a request as spam (out of the queue, not
    # notified); staff can rescue it. A send that merely looked automated is in the queue.
    spam = models.BooleanField(default=False)
    possibly_automated = models.BooleanField(
        default=False, help_text="Confirmed by the sender after a send that looked automated."
    )
    spam_reason = models.CharField("why it looked automated", max_length=40, blank=True)

    # What the visitor sent.
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    # Stored as E.164 (PHONENUMBER_DB_FORMAT), as the phone indexes below and staff search
    # expect, whatever format it was typed or assigned in.
    phone = PhoneNumberField(max_length=20, blank=True, help_text="E.164, e.g. +12025550123.")
    # The message and the health answers are encrypted at rest (intake.crypto).
    message = EncryptedTextField(max_length=2000, blank=True)
    preferred_contact = models.CharField(max_length=5, choices=ContactMethod, blank=True)
    contact_window = models.CharField(max_length=10, choices=ContactWindow, blank=True)
    voicemail_ok = models.BooleanField(null=True, verbose_name="voicemail naming the clinic OK")
    who_needs_help = models.CharField(max_length=12, choices=WhoNeedsHelp, blank=True)
    substances = EncryptedListField()
    program = EncryptedChoiceField(max_length=10, choices=Program, blank=True)
    # A keyed hash of the program, so staff can filter the queue by it.
    program_index = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    insurance = EncryptedChoiceField(max_length=20, choices=Insurance, blank=True)
    insurance_provider = EncryptedTextField(max_length=100, blank=True)
    state = models.CharField("US state", max_length=2, blank=True)
    consent_contact = models.BooleanField(default=False)
    consent_sms = models.BooleanField("consent to text messages", default=False)
    source_page = models.CharField(
        max_length=200, blank=True, help_text="The page of this site the visitor came from."
    )

    # One key per form shown: a second post of the same form finds the first request.
    submission_key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    notification = models.CharField(
        max_length=8, choices=Notification, default=Notification.PENDING, editable=False
    )
    notification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Staff's side of the request.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    follow_up_on = models.DateField("next follow-up", null=True, blank=True)
    respond_by = models.DateTimeField(
        editable=False, help_text="When the clinic's response-time promise runs out."
    )
    legal_hold = models.BooleanField(
        default=False, help_text="Kept beyond the retention period: never purged while set."
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        permissions = [("export_helprequest", "Can export requests as CSV")]
        indexes = [
            models.Index(fields=["status", "created_at"], name="helprequest_queue_idx"),
            models.Index(fields=["created_at"], name="helprequest_created_idx"),
            models.Index(fields=["respond_by"], name="helprequest_respond_by_idx"),
            models.Index(fields=["assigned_to", "status"], name="helprequest_assignee_idx"),
            # Staff search (HelpRequestQuerySet.staff_search): any part of a name, accents
            # and case aside (pg_trgm); the start of an email; a whole phone number or any
            # run of its digits (E.164 is "+" and digits, so the column itself is searched).
            # Without GIN's pending list (fastupdate), which every search would read through
            # until a vacuum: requests arrive a few a day, searches are many.
            GinIndex(
                OpClass(folded("name"), name="gin_trgm_ops"),
                name="helprequest_name_trgm",
                fastupdate=False,
            ),
            models.Index(
                OpClass(Upper("email"), name="text_pattern_ops"), name="helprequest_email_prefix"
            ),
            models.Index(fields=["phone"], name="helprequest_phone_idx"),
            GinIndex(
                fields=["phone"],
                opclasses=["gin_trgm_ops"],
                name="helprequest_phone_trgm",
                fastupdate=False,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="helprequest_email_or_phone"
            ),
            models.CheckConstraint(
                condition=models.Q(consent_contact=True) | models.Q(kind="message"),
                name="helprequest_consultation_has_consent",
            ),
        ]

    def __str__(self):
        # Django's admin log copies this: kind and reference only, never a name.
        return f"{self.get_kind_display()} {self.reference}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = self.new_reference(self.kind)
        self.program_index = self.program_index_for(self.program)
        if self.respond_by is None:
            self.respond_by = response_due(self.created_at)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The request's page in the admin (the staff email links to it too): it has no
        public page."""
        return reverse("admin:intake_helprequest_change", args=[self.pk])

    def delete(self, *args, **kwargs):
        # The hold as stored, too: it may have been set since this copy was read.
        if self.legal_hold or HelpRequest.objects.filter(pk=self.pk, legal_hold=True).exists():
            raise LegalHoldError(f"{self} is on legal hold and cannot be deleted.", [self])
        return super().delete(*args, **kwargs)

    @property
    def awaiting_first_reply(self) -> bool:
        return not self.spam and self.status in self.AWAITING_FIRST_REPLY

    @property
    def is_overdue(self) -> bool:
        return self.awaiting_first_reply and self.respond_by < timezone.now()

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @staticmethod
    def program_index_for(program: str) -> str:
        """The keyed hash stored beside the encrypted program, so staff can filter by it
        (save() sets it; bulk writes, which skip save(), set it with this too)."""
        return blind_index(program) if program else ""

    @staticmethod
    def new_reference(kind: str) -> str:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        return f"{REFERENCE_PREFIXES[kind]}-{code}"

    @staticmethod
    def references_typed_as(text: str) -> list[str]:
        """The references staff may mean, typed with or without the prefix, in any case,
        with spaces or dashes anywhere ("TWVQRF", "cr twvqrf", "CR-TWV QRF": CR-TWVQRF)."""
        typed = "".join(ch for ch in text.upper() if ch.isalnum())
        prefix, code = typed[:-REFERENCE_LENGTH], typed[-REFERENCE_LENGTH:]
        if len(code) < REFERENCE_LENGTH or not set(code) <= set(REFERENCE_ALPHABET):
            return []
        prefixes = REFERENCE_PREFIXES.values()
        return [f"{each}-{code}" for each in prefixes if prefix in ("", each)]


class TimelineEntry(models.Model):
    """Something that happened to a request, shown on its timeline in the order it happened
    (the request's `notes` and `events`)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at"]


class Note(TimelineEntry):
    """A staff note on a request: timestamped, signed, never edited or deleted."""

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=4000, validators=[reject_control_characters])

    def __str__(self):
        return f"Note by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"


class Event(TimelineEntry):
    """A change of status, assignee or follow-up date on a request."""

    Kind = choices.EventKind

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.old_value or '-'} → {self.new_value or '-'}"


class AuditEntry(models.Model):
    """Who saw, changed, exported or purged requests, and when. Written by code only."""

    Action = choices.AuditAction

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=8, choices=Action)
    # The reference, not a foreign key: the record outlives a purged request.
    reference = models.CharField(max_length=12, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "audit trail"

    def __str__(self):
        return f"{self.get_action_display()} {self.reference}".strip()


class SubmissionThrottle(models.Model):
    """One client's recent sends in one scope (intake/throttle.py), shared by every server.

    The client is stored only as a keyed hash, so no IP address is kept; a row is deleted
    once its newest send is a window old.
    """

    key = models.CharField(max_length=64, primary_key=True)
    sent_at = ArrayField(models.DateTimeField(), default=list)
    expires_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="throttle_expires_idx")]

    def __str__(self):
        return f"{len(self.sent_at)} recent sends"
