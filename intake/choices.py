"""The fixed lists a request's fields choose from (stored values, and the labels shown).

The models name them as attributes too (`HelpRequest.Status`, `Event.Kind`,
`AuditEntry.Action`), so code and old migrations keep reading them from there.
"""

from django.db import models


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


class HeardAbout(models.TextChoices):
    """How the visitor heard about the clinic (optional): where people come from."""

    SEARCH = "search", "A search engine"
    DOCTOR = "doctor", "A doctor or hospital"
    COURT = "court", "A court or probation"
    FAMILY = "family", "Family or a friend"
    OTHER_PROGRAM = "program", "Another treatment program"
    SOCIAL = "social", "Social media"
    INSURANCE = "insurance", "My insurance"
    OTHER = "other", "Somewhere else"


class Notification(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, retrying"
    SKIPPED = "skipped", "Not sent (spam)"


class Language(models.TextChoices):
    """The language a request was sent in, so staff call back in it."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


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
