"""The fixed lists a request's fields choose from (stored values, and the labels shown).

The models name them as attributes too (`HelpRequest.Status`, `Event.Kind`,
`AuditEntry.Action`), so code and old migrations keep reading them from there.

The answers a visitor chooses on the forms are translatable (a Spanish visitor reads them in
Spanish; the admin, in English, shows the English). Staff-only lists stay plain English.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    CALL = "call", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")


class ContactWindow(models.TextChoices):
    ANYTIME = "anytime", _("Any time")
    MORNING = "morning", _("Morning (8 a.m. to noon)")
    AFTERNOON = "afternoon", _("Afternoon (noon to 5 p.m.)")
    EVENING = "evening", _("Evening (5 p.m. to 8 p.m.)")


class WhoNeedsHelp(models.TextChoices):
    ME = "me", _("Me")
    SOMEONE_ELSE = "someone_else", _("Someone I care about")


class Substance(models.TextChoices):
    HEROIN = "heroin", _("Heroin")
    FENTANYL = "fentanyl", _("Fentanyl")
    PRESCRIPTION_OPIOIDS = "prescription_opioids", _("Prescription opioids (pain pills)")
    OTHER = "other", _("Something else")


class Program(models.TextChoices):
    NOT_SURE = "not_sure", _("Not sure yet")
    DETOX = "detox", _("Medically supervised detox")
    INPATIENT = "inpatient", _("Inpatient care")
    OUTPATIENT = "outpatient", _("Outpatient care")
    VIRTUAL = "virtual", _("Virtual care")
    MAT = "mat", _("Medications for opioid use disorder (MOUD)")


class Insurance(models.TextChoices):
    NONE = "none", _("No insurance")
    PRIVATE = "private", _("Private insurance")
    MEDICAID_MEDICARE = "medicaid_medicare", _("Medicaid or Medicare")
    NOT_SURE = "not_sure", _("Not sure")


class HeardAbout(models.TextChoices):
    """How the visitor heard about the clinic (optional): where people come from."""

    SEARCH = "search", _("A search engine")
    DOCTOR = "doctor", _("A doctor or hospital")
    COURT = "court", _("A court or probation")
    FAMILY = "family", _("Family or a friend")
    OTHER_PROGRAM = "program", _("Another treatment program")
    SOCIAL = "social", _("Social media")
    INSURANCE = "insurance", _("My insurance")
    OTHER = "other", _("Somewhere else")


class Notification(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, retrying"
    SKIPPED = "skipped", "Not sent (spam)"


class Language(models.TextChoices):
    """The language a request was sent in, so staff call back in it."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"

    @classmethod
    def for_staff(cls, code: str) -> str:
        """The language as the request page and the staff email say it: "English", or
        "Spanish — call back in Spanish"."""
        name = cls(code).label if code in cls.values else code
        return name if code == cls.ENGLISH else f"{name} — call back in {name}"


class ContactOutcome(models.TextChoices):
    """How a contact attempt went."""

    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Left voicemail naming the clinic"
    DISCREET_VOICEMAIL = "discreet_vm", "Left voicemail, clinic not named"
    TEXT_SENT = "text_sent", "Sent text"
    EMAIL_SENT = "email_sent", "Sent email"
    SPOKE = "spoke", "Spoke with them"
    WRONG_NUMBER = "wrong_number", "Wrong number"


class NotAFitReason(models.TextChoices):
    CARE_WE_DO_NOT_OFFER = "other_care", "Needs care we do not offer"
    HIGHER_CARE = "higher_care", "Needs a higher level of care first"
    INSURANCE = "insurance", "Insurance or cost"
    LOCATION = "location", "Lives too far away"
    AGE = "age", "Outside the ages we serve"
    NOT_OPIOIDS = "not_opioids", "Not an opioid use concern"


class CloseReason(models.TextChoices):
    STARTED_CARE = "started_care", "Started care"
    NO_RESPONSE = "no_response", "No response after several attempts"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Duplicate request"


class EventKind(models.TextChoices):
    """What a timeline entry records a change of."""

    STATUS = "status", "Status"
    ASSIGNEE = "assignee", "Assignee"
    FOLLOW_UP = "follow_up", "Follow-up date"
    URGENT = "urgent", "Urgent"
    OUTCOME = "outcome", "Outcome"


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CHANGE = "change", "Changed"
    NOTE = "note", "Added a note"
    ATTEMPT = "attempt", "Logged a contact attempt"
    EXPORT = "export", "Exported"
    DELETE = "delete", "Deleted"
    PURGE = "purge", "Purged"
    # Changes to who may do what: staff accounts, roles and sign-in devices.
    USER = "user", "Changed a staff account"
    GROUP = "group", "Changed a role"
    DEVICE = "device", "Changed a sign-in device"
