"""Log records as one JSON object per line, with the request id when there is one."""

import json
import logging
import traceback
from datetime import UTC, datetime

from recovery_site import request_context


class JsonFormatter(logging.Formatter):
    """Structured lines a log collector can parse; messages must carry no personal data."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_context.request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            # The exception's type and where it happened; its message may hold form values.
            exc_type = record.exc_info[0]
            entry["exception"] = exc_type.__name__ if exc_type else None
            entry["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, ensure_ascii=False)


class ClientErrorFilter(logging.Filter):
    """A client's bad request is a WARNING without a traceback, not an ERROR of ours.

    Django logs every SuspiciousOperation (a foreign Host header, too many fields, a body
    too large ...) on django.security.<name> at ERROR with the traceback: noise that buries
    real failures and pages whoever watches ERRORs. Set on the handler, so it also sees
    records from django.security's child loggers.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.security") or (
            record.name.startswith("django.request") and status and 400 <= status < 500
        ):
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True
