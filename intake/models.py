"""Requests for help sent through the site's two forms, kept until staff answer them."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from intake import choices
from intake.crypto import blind_index
from intake.fields import EncryptedChoiceField, EncryptedListField, EncryptedTextField
from intake.hours import business_hours_between, response_due
from intake.querysets import HelpRequestQuerySet, LegalHoldError, folded
from intake.validators import reject_control_characters

# Reference alphabet: no 0/O, 1/I/L or U, so a reference read aloud on the phone is clear.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_PREFIXES = {choices.Kind.CONSULTATION: "CR", choices.Kind.MESSAGE: "MS"}
# The status groups the indexes in HelpRequest.Meta need, written once (a class's Meta
# cannot read the class's own attributes): HelpRequest.AWAITING_FIRST_REPLY, OPEN_STATUSES.
_AWAITING = (choices.Status.NEW, choices.Status.IN_PROGRESS)
_OPEN = (*_AWAITING, choices.Status.CONTACTED, choices.Status.SCHEDULED)
# What the Reports page reads of each request (intake/reports.py), kept in its index.
_REPORTS_COLUMNS = [
    "spam", "kind", "urgent", "status", "respond_by", "first_attempt_at", "first_contact_at",
    "appointment_at", "close_reason", "not_a_fit_reason", "held_on_arrival",
    "business_hours_to_first_attempt", "business_hours_to_first_contact", "heard_about_index",
    "program_index", "language",
]  # fmt: skip


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
    Language = choices.Language
    NotAFitReason = choices.NotAFitReason
    CloseReason = choices.CloseReason
    HeardAbout = choices.HeardAbout

    # The status groups, each written once: the queue, the admin's filters, the purge and
    # the properties below all read these.
    AWAITING_FIRST_REPLY = _AWAITING
    OPEN_STATUSES = _OPEN
    # Work on these is done; purge_intake deletes them after the retention period.
    FINISHED_STATUSES = (Status.CLOSED, Status.REFERRED, Status.NOT_A_FIT)
    # Reached, and waiting on a next step: overdue once their follow-up date has passed.
    FOLLOWED_UP_STATUSES = (Status.CONTACTED, Status.SCHEDULED)

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
    # Held by the site itself as it arrived (not marked by staff): the Reports page counts
    # these, and those rescued from them.
    held_on_arrival = models.BooleanField(default=False, editable=False)

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
    language = models.CharField(max_length=5, choices=Language, default=Language.ENGLISH)
    # "How did you hear about us?": optional, correctable by staff. Encrypted (a court
    # referral is as private as the health answers), with a keyed hash to count by.
    heard_about = EncryptedChoiceField(
        "how they heard about us", max_length=10, choices=HeardAbout, blank=True
    )
    heard_about_index = models.CharField(max_length=32, blank=True, editable=False)
    heard_about_other = EncryptedTextField(
        "heard about us, in their words", max_length=60, blank=True
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
    # Each staff change stamps it: a save based on an older copy of the page is refused
    # (optimistic concurrency), and what changed since is shown instead.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Spam is purged INTAKE_SPAM_RETENTION_DAYS after this, not after it arrived.
    spam_marked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The contact attempts, summed up for the queue (ContactAttempt holds each one).
    attempt_count = models.PositiveSmallIntegerField(default=0, editable=False)
    last_attempt_outcome = models.CharField(
        max_length=12, choices=choices.ContactOutcome, blank=True, editable=False
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The first "spoke with them": speed to contact is measured to this.
    first_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The same two, as the clinic's business hours since the request arrived (the promise
    # is counted in them): stored when stamped, so the Reports page only sums and sorts.
    business_hours_to_first_attempt = models.FloatField(null=True, blank=True, editable=False)
    business_hours_to_first_contact = models.FloatField(null=True, blank=True, editable=False)

    # The outcome's details, each asked for by the status it belongs to (see clean()).
    appointment_at = models.DateTimeField("appointment", null=True, blank=True)
    appointment_program = EncryptedChoiceField(
        "program", max_length=10, choices=Program, blank=True
    )
    appointment_place = models.CharField("place", max_length=200, blank=True)
    appointment_virtual = models.BooleanField("virtual appointment", default=False)
    referred_to = models.CharField("referred to", max_length=200, blank=True)
    referral_reason = EncryptedTextField("why referred", max_length=1000, blank=True)
    not_a_fit_reason = models.CharField(
        "why not a fit", max_length=12, choices=NotAFitReason, blank=True
    )
    close_reason = models.CharField("why closed", max_length=12, choices=CloseReason, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        permissions = [
            ("export_helprequest", "Can export requests as CSV"),
            ("view_reports", "Can see the reports (aggregates only)"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="helprequest_queue_idx"),
            # The open queue in its order (HelpRequestQuerySet.QUEUE_ORDER, the admin adds
            # "-pk"): a page of it is read straight off this index.
            models.Index(
                models.F("urgent").desc(),
                "created_at",
                models.F("id").desc(),
                name="helprequest_open_queue_idx",
                condition=models.Q(spam=False, status__in=_OPEN),
            ),
            # The queue's Language filter: its count of open requests in one language is
            # read from this small index (the page itself walks the one above).
            models.Index(
                fields=["language"],
                name="helprequest_open_language_idx",
                condition=models.Q(spam=False, status__in=_OPEN),
            ),
            models.Index(
                fields=["follow_up_on"],
                name="helprequest_follow_up_idx",
                condition=models.Q(follow_up_on__isnull=False),
            ),
            # Overdue (HelpRequestQuerySet.overdue): not yet answered past the promise is
            # read from this one, a missed follow-up from the one above (a BitmapOr).
            models.Index(
                fields=["respond_by"],
                name="helprequest_awaiting_due_idx",
                condition=models.Q(spam=False, status__in=_AWAITING),
            ),
            models.Index(fields=["created_at"], name="helprequest_created_idx"),
            # The Reports page reads a period's requests from this index alone (an
            # index-only scan): a request's row is wide (encrypted answers), these are not.
            models.Index(
                fields=["created_at"],
                include=_REPORTS_COLUMNS,
                name="helprequest_reports_idx",
            ),
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
        self.fill_in_derived()
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

    def fill_in_derived(self) -> None:
        """What a request's own answers decide: its reference, the keyed hashes staff filter
        on, and when a reply is due. Every save does this, and so does the one-statement
        store of a first send (intake/services/quick_send.py)."""
        if not self.reference:
            self.reference = self.new_reference(self.kind)
        self.program_index = self.program_index_for(self.program)
        self.heard_about_index = self.program_index_for(self.heard_about)
        if self.respond_by is None:
            self.respond_by = response_due(self.created_at, urgent=self.urgent)

    # What each outcome needs said about it: the fields, and the message when one is missing.
    OUTCOME_DETAILS = {
        Status.SCHEDULED: {
            "appointment_at": "Please give the appointment's date and time.",
            "appointment_program": "Please choose the program the appointment is for.",
        },
        Status.REFERRED: {
            "referred_to": "Please say where you referred them.",
            "referral_reason": "Please say why you referred them elsewhere.",
        },
        Status.NOT_A_FIT: {"not_a_fit_reason": "Please choose why this is not a fit."},
        Status.CLOSED: {"close_reason": "Please choose why the request is closed."},
    }

    def clean(self):
        """An outcome comes with its details: a Scheduled request has an appointment (at a
        place, or virtual), a referral says where and why, Not a fit and Closed a reason."""
        needed = self.OUTCOME_DETAILS.get(self.status, {})
        errors = {field: message for field, message in needed.items() if not getattr(self, field)}
        if (
            self.status == self.Status.SCHEDULED
            and not self.appointment_virtual
            and not self.appointment_place.strip()
        ):
            errors["appointment_place"] = "Please give the place, or tick virtual appointment."
        if errors:
            raise ValidationError(errors)

    def stamp_first_attempt(self, at: datetime) -> bool:
        """Note an attempt to reach them made `at`; True if it is the first so far."""
        return self._stamp_first("attempt", at)

    def stamp_first_contact(self, at: datetime) -> bool:
        """Note that someone spoke with them `at`; True if it is the first conversation."""
        return self._stamp_first("contact", at)

    def _stamp_first(self, step: str, at: datetime) -> bool:
        stamped = getattr(self, f"first_{step}_at")
        if stamped is not None and stamped <= at:
            return False
        setattr(self, f"first_{step}_at", at)
        setattr(
            self, f"business_hours_to_first_{step}", business_hours_between(self.created_at, at)
        )
        return True

    @property
    def awaiting_first_reply(self) -> bool:
        return not self.spam and self.status in self.AWAITING_FIRST_REPLY

    @property
    def is_overdue(self) -> bool:
        """Past the response-time promise, or a reached person's follow-up date passed."""
        if self.awaiting_first_reply:
            return self.respond_by < timezone.now()
        return (
            not self.spam
            and self.status in self.FOLLOWED_UP_STATUSES
            and self.follow_up_on is not None
            and self.follow_up_on < timezone.localdate()
        )

    @property
    def is_outcome_with_details(self) -> bool:
        return self.status in self.OUTCOME_DETAILS

    @property
    def outcome_summary(self) -> str:
        """The outcome's details in a few words, for the timeline (nothing encrypted)."""
        if self.status == self.Status.SCHEDULED and self.appointment_at:
            when = timezone.localtime(self.appointment_at).strftime("%a %d %b %Y, %H:%M")
            where = "virtual" if self.appointment_virtual else f"at {self.appointment_place}"
            return f"Appointment {when}, {where}"
        if self.status == self.Status.REFERRED and self.referred_to:
            return f"Referred to {self.referred_to}"
        if self.status == self.Status.NOT_A_FIT:
            return self.get_not_a_fit_reason_display()
        if self.status == self.Status.CLOSED:
            return self.get_close_reason_display()
        return ""

    @property
    def urgent_awaiting_reply(self) -> bool:
        """Urgent and nobody has reached them yet: the red banner and the Urgent tile."""
        return self.urgent and self.awaiting_first_reply

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @staticmethod
    def program_index_for(program: str) -> str:
        """The keyed hash stored beside an encrypted choice (the program, how they heard
        about us), so staff can filter and count by it (save() sets it; bulk writes, which
        skip save(), set it with this too)."""
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
    """A change of status, assignee, follow-up date, urgency or outcome on a request."""

    Kind = choices.EventKind

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    # Why, where staff are asked (setting or clearing urgent).
    reason = models.CharField(max_length=300, blank=True)

    def __str__(self):
        change = f"{self.get_kind_display()}: {self.old_value or '-'} → {self.new_value or '-'}"
        return f"{change} ({self.reason})" if self.reason else change


class ContactAttempt(TimelineEntry):
    """One try at reaching the person: how, how it went, when and by whom. Added, never
    edited or deleted, like notes."""

    Outcome = choices.ContactOutcome
    Channel = choices.ContactMethod

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    channel = models.CharField(max_length=5, choices=Channel)
    outcome = models.CharField(max_length=12, choices=Outcome)
    attempted_at = models.DateTimeField("when", default=timezone.now)
    # Logged although the person asked otherwise (a voicemail that may not name the clinic,
    # a text without their consent): confirmed by the staff member, and shown as such.
    against_wishes = models.BooleanField(default=False)

    class Meta(TimelineEntry.Meta):
        ordering = ["attempted_at"]

    def __str__(self):
        text = f"{self.get_channel_display()}: {self.get_outcome_display()}"
        return f"{text} (against their wishes, confirmed)" if self.against_wishes else text

    @property
    def goes_against(self) -> str:
        """What of the person's wishes this attempt goes against, in words ("" if nothing)."""
        request = self.help_request
        if self.outcome == self.Outcome.VOICEMAIL and request.voicemail_ok is not True:
            return "They did not say a voicemail may name the clinic."
        if self.channel == self.Channel.TEXT and not request.consent_sms:
            return "They did not agree to text messages."
        return ""


class UnsavedChange(models.Model):
    """What a member of staff typed on a request's page when a save arrived after their
    session had ended: kept encrypted, for them only, until they sign in again and take it
    back, or it expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")  # fmt: skip
    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="+")
    # The posted fields as JSON, encrypted like the health answers.
    data = EncryptedTextField()
    kept_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "help_request"], name="unsavedchange_one_per_request"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="unsavedchange_expires_idx")]

    def __str__(self):
        return f"Unsaved change to {self.help_request}"


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
