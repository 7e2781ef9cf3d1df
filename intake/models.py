"""Requests for help sent through the site's two forms, kept until staff answer them."""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Reference alphabet: no 0/O, 1/I/L or U, so a reference read aloud on the phone is clear.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6


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
        MAT = "mat", "Medication-assisted treatment"

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
    spam = models.BooleanField(default=False)
    spam_reason = models.CharField(max_length=40, blank=True)

    # What the visitor sent.
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +12025550123.")
    message = models.TextField(max_length=2000, blank=True)
    preferred_contact = models.CharField(max_length=5, choices=ContactMethod, blank=True)
    contact_window = models.CharField(max_length=10, choices=ContactWindow, blank=True)
    voicemail_ok = models.BooleanField(null=True, verbose_name="voicemail naming the clinic OK")
    who_needs_help = models.CharField(max_length=12, choices=WhoNeedsHelp, blank=True)
    substances = ArrayField(
        models.CharField(max_length=20, choices=Substance), default=list, blank=True
    )
    program = models.CharField(max_length=10, choices=Program, blank=True)
    insurance = models.CharField(max_length=20, choices=Insurance, blank=True)
    insurance_provider = models.CharField(max_length=100, blank=True)
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

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="helprequest_queue_idx"),
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:intake_helprequest_change", args=[self.pk])

    @staticmethod
    def new_reference(kind: str) -> str:
        prefix = "CR" if kind == HelpRequest.Kind.CONSULTATION else "MS"
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        return f"{prefix}-{code}"


class SubmissionThrottle(models.Model):
    """Submissions per client per time window, shared by every web process and server.

    The client is stored only as a keyed hash that changes with every window, so no IP
    address is kept; rows from past windows are deleted as new ones are written.
    """

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window_start"], name="throttle_window_idx")]

    def __str__(self):
        return f"{self.count} since {self.window_start:%H:%M}"
