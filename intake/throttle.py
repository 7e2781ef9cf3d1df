"""A per-client limit on submissions, kept in PostgreSQL so every process and server shares it.

django-ratelimit refuses the database and local-memory caches, and Redis is optional here,
so the count lives in one small table updated with a single atomic upsert. The client is
identified by a keyed hash that changes with every window: no IP address is stored.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection

from intake.models import SubmissionThrottle


def client_identifier(request) -> str:
    """The visitor's address as our own proxy saw it (never stored as such)."""
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        # The right-most entry was added by our own proxy; earlier ones are client-supplied.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def submission_allowed(request, *, now: datetime | None = None) -> bool:
    """Count one submission for this client; False once it is over the limit for the window."""
    now = now or datetime.now(UTC)
    window = settings.INTAKE_RATE_WINDOW_SECONDS
    window_start = datetime.fromtimestamp(int(now.timestamp()) // window * window, UTC)
    key = hmac.new(
        settings.SECRET_KEY.encode(),
        f"{client_identifier(request)}|{window_start.isoformat()}".encode(),
        hashlib.sha256,
    ).hexdigest()
    table = SubmissionThrottle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1)
            ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1
            RETURNING count
            """,
            [key, window_start],
        )
        (count,) = cursor.fetchone()
    SubmissionThrottle.objects.filter(
        window_start__lt=window_start - timedelta(seconds=window)
    ).delete()
    return count <= settings.INTAKE_RATE_LIMIT
