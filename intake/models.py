"""Requests for help sent through the site's two forms, kept until staff answer them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import models
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Reverse, Upper
from django.urls import reverse
from django.utils import timezone

from intake.crypto import blind_index
from intake.fields import EncryptedChoiceField, EncryptedListField, EncryptedTextField
from intake.validators import reject_control_characters

# Reference alphabet: no 0/O, 1/I/L or U, so a reference read aloud on the phone is clear.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6


OPEN_STATUSES = ("new", "in_progress", "contacted", "scheduled")
# Work on these is done; purge_intake deletes them after the retention period.
FINISHED_STATUSES = ("closed", "referred", "not_a_fit")


class HelpRequestQuerySet(models.QuerySet):
    def delete(self):
        """Requests on legal hold are never deleted, by anyone: the whole delete is refused
        before anything is written (the purge and the admin leave them out beforehand)."""
        held = list(self.filter(legal_hold=True)[:10])
        if held:
            raise LegalHoldError("Requests on legal hold cannot be deleted.", held)
        return super().delete()

    def queue(self):
        """What staff still have to work: open, not spam, longest waiting first."""
        return self.filter(spam=False, status__in=OPEN_STATUSES).order_by("created_at")

    def overdue(self, now=None):
        """Not yet answered, and past the clinic's response-time promise."""
        return self.filter(
            spam=False,
            status__in=[HelpRequest.Status.NEW, HelpRequest.Status.IN_PROGRESS],
            respond_by__lt=now or timezone.now(),
        )

    def assigned_to(self, user):
        return self.filter(assigned_to=user)

    def held_as_spam(self, since=None):
        """Kept out of the queue as spam (by the bot checks or by staff)."""
        held = self.filter(spam=True)
        return held.filter(created_at__gte=since) if since else held

    def staff_search(self, term: str):
        """Requests matching what staff typed: a reference, a phone number in any format,
        an email address, or the start of words in a name (or of an email address).

        Every branch is served by an index (see Meta), so a search stays fast on a large
        table; PostgreSQL's pg_trgm extension is not needed.
        """
        term = " ".join(term.split())[:100]
        if not term:
            return self
        condition = models.Q(reference=term.upper())
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) >= 4:
            phone = normalised_phone(term)
            condition |= (
                models.Q(phone=phone)
                if phone
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
            name_search=SearchVector("name", config="simple"), phone_reversed=Reverse("phone")
        ).filter(condition)


class HelpRequest(models.Model):
    """A message or a consultation request: one queue for staff, whichever form sent it."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        CONSULTATION = "consultation", "Consultation request"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        REFERRED = "referred", "Referred elsewhere"
        NOT_A_FIT = "not_a_fit", "Not a fit"
        CLOSED = "closed", "Closed"
        SPAM = "spam", "Spam"

    class ContactMethod(models.TextChoices):
        CALL = "call", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"

    class ContactWindow(models.TextChoices):
        ANYTIME = "anytime", "Any time"
        MORNING = "morning", "Morning (8 a.m. to noon)"
        AFTERNOON = "afternoon", "Afternoon (noon to 5 p.m.)"
        EVENING = "evening", "Evening (5 p.m. to 8 p.m.)"

    class WhoNeedsHelp(models.TextChoices):
        ME = "me", "Me"
        SOMEONE_ELSE = "someone_else", "Someone I care about"

    class Substance(models.TextChoices):
        HEROIN = "heroin", "Heroin"
        FENTANYL = "fentanyl", "Fentanyl"
        PRESCRIPTION_OPIOIDS = "prescription_opioids", "Prescription opioids (pain pills)"
        OTHER = "other", "Something else"

    class Program(models.TextChoices):
        NOT_SURE = "not_sure", "Not sure yet"
        DETOX = "detox", "Medically supervised detox"
        INPATIENT = "inpatient", "Inpatient care"
        OUTPATIENT = "outpatient", "Outpatient care"
        VIRTUAL = "virtual", "Virtual care"
        MAT = "mat", "Medications for opioid use disorder (MOUD)"

    class Insurance(models.TextChoices):
        NONE = "none", "No insurance"
        PRIVATE = "private", "Private insurance"
        MEDICAID_MEDICARE = "medicaid_medicare", "Medicaid or Medicare"
        NOT_SURE = "not_sure", "Not sure"

    class Notification(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, retrying"
        SKIPPED = "skipped", "Not sent (spam)"

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
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +12025550123.")
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
            # Staff search (HelpRequestQuerySet.staff_search): words of a name, the start of
            # an email, a phone number or its last digits.
            GinIndex(SearchVector("name", config="simple"), name="helprequest_name_fts"),
            models.Index(
                OpClass(Upper("email"), name="text_pattern_ops"), name="helprequest_email_prefix"
            ),
            models.Index(fields=["phone"], name="helprequest_phone_idx"),
            models.Index(
                OpClass(Reverse("phone"), name="text_pattern_ops"),
                name="helprequest_phone_suffix",
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
        self.program_index = blind_index(self.program) if self.program else ""
        if self.respond_by is None:
            self.respond_by = add_business_hours(
                self.created_at, settings.INTAKE_RESPONSE_BUSINESS_HOURS
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:intake_helprequest_change", args=[self.pk])

    def delete(self, *args, **kwargs):
        # The hold as stored, too: it may have been set since this copy was read.
        if self.legal_hold or HelpRequest.objects.filter(pk=self.pk, legal_hold=True).exists():
            raise LegalHoldError(f"{self} is on legal hold and cannot be deleted.", [self])
        return super().delete(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return (
            not self.spam
            and self.status in (self.Status.NEW, self.Status.IN_PROGRESS)
            and self.respond_by < timezone.now()
        )

    @staticmethod
    def new_reference(kind: str) -> str:
        prefix = "CR" if kind == HelpRequest.Kind.CONSULTATION else "MS"
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        return f"{prefix}-{code}"


class LegalHoldError(ProtectedError):
    """A request on legal hold was about to be deleted: refused, whoever asked."""


def normalised_phone(text: str) -> str:
    """A full phone number in any format as stored (E.164), or '' if it is not one."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def add_business_hours(start, hours: float):
    """The moment `hours` of the clinic's business hours after `start`."""
    local = timezone.localtime(start)
    remaining = timedelta(hours=hours)
    opens, closes = settings.CLINIC_BUSINESS_HOURS
    days = settings.CLINIC_BUSINESS_DAYS
    for _day in range(400):
        day_open = local.replace(hour=opens, minute=0, second=0, microsecond=0)
        day_close = local.replace(hour=closes, minute=0, second=0, microsecond=0)
        if local.weekday() in days and local < day_close:
            begin = max(local, day_open)
            available = day_close - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        local = timezone.make_aware(
            (local + timedelta(days=1)).replace(tzinfo=None, hour=0, minute=0, second=0),
            timezone.get_current_timezone(),
        )
    raise ValueError("no business hours configured")


class Note(models.Model):
    """A staff note on a request: timestamped, signed, never edited or deleted."""

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(max_length=4000, validators=[reject_control_characters])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Note by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"


class Event(models.Model):
    """A change of status or assignee on a request, shown to staff as its timeline."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status"
        ASSIGNEE = "assignee", "Assignee"
        FOLLOW_UP = "follow_up", "Follow-up date"

    help_request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.old_value or '-'} → {self.new_value or '-'}"


class AuditEntry(models.Model):
    """Who saw, changed, exported or purged requests, and when. Written by code only."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        NOTE = "note", "Added a note"
        EXPORT = "export", "Exported"
        DELETE = "delete", "Deleted"
        PURGE = "purge", "Purged"
        # Changes to who may do what: staff accounts, roles and sign-in devices.
        USER = "user", "Changed a staff account"
        GROUP = "group", "Changed a role"
        DEVICE = "device", "Changed a sign-in device"

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
