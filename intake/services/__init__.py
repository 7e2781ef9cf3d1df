"""Writes to requests (HackSoft "services"): each a keyword-only function inside
transaction.atomic(). Imported from here: `from intake.services import note_add`."""

from intake.services.records import audit_account_change, audit_record, help_requests_purge
from intake.services.submissions import help_request_create, help_request_rescue
from intake.services.triage import (
    BulkResult,
    StaleRequestError,
    contact_attempt_add,
    help_request_staff_update,
    help_requests_bulk_update,
    note_add,
)

__all__ = [
    "BulkResult",
    "StaleRequestError",
    "audit_account_change",
    "audit_record",
    "contact_attempt_add",
    "help_request_create",
    "help_request_rescue",
    "help_request_staff_update",
    "help_requests_bulk_update",
    "help_requests_purge",
    "note_add",
]
