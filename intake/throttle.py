"""Per-client limits (form submissions, CSP reports), kept in PostgreSQL so every process and
server shares them; and who the client is, which a visitor must not be able to choose.

Design: a sliding log. Each client has one row per scope holding the times of its recent
accepted sends (at most `limit` of them), so the limit holds over any `window` seconds, not
per clock window (5 sends at 14:59:59 and 5 more at 15:00:00 are not allowed), and the wait
we tell a refused visitor is exact: until their oldest send leaves the window. A counter
approximation would save a few bytes per row but could only guess that wait. Refused sends
are not recorded, so a visitor who waits as told always gets through.

The row is created, or locked and updated, in one upsert that records the send only if the
client is under the limit, so concurrent sends from one client on any server are counted one
after the other.
Its key is a keyed hash (HMAC with a key derived from SECRET_KEY, which is not in the
database) of the scope and the client: no IP address is stored. A row is deleted once its newest send is a window old, so
nothing about a client outlives one window.

django-axes finds the signing-in client with the same `client_identifier`.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from intake.models import SubmissionThrottle
from recovery_site.proxies import is_trusted_proxy, parse_ip


def client_identifier(request) -> str:
    """The visitor's address (never stored as such), which they cannot choose.

    X-Forwarded-For is believed only when the connection comes from one of our own proxies
    (TRUSTED_PROXIES); the visitor is then the right-most entry that is not itself one of
    them, since entries to its left were written by the client. Otherwise, and with no proxy
    configured, the connection's own address is the visitor's. An IPv6 visitor is counted by
    their /64, which one household or phone is given whole.
    """
    peer = parse_ip(request.META.get("REMOTE_ADDR", ""))
    client = peer
    if peer is not None and is_trusted_proxy(peer):
        for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = parse_ip(entry)
            if hop is None:
                break  # our proxy wrote no such entry: keep the last one we can vouch for
            client = hop
            if not is_trusted_proxy(hop):
                break
    if client is None:
        return request.META.get("REMOTE_ADDR", "")
    if client.version == 6:
        return str(ipaddress.IPv6Address(int(client) >> 64 << 64))
    return str(client)


@dataclass(frozen=True)
class Decision:
    """Whether one more send is accepted, and if not, how many seconds until it would be."""

    allowed: bool
    retry_after: int = 0

    def __bool__(self):
        return self.allowed

    @property
    def wait_in_words(self) -> str:
        """When the visitor can send again, as we would say it: "in about 10 minutes"."""
        minutes = math.ceil(self.retry_after / 60)
        if minutes <= 1:
            return gettext("in about a minute")
        if minutes < 60:
            return gettext("in about %(minutes)d minutes") % {"minutes": minutes}
        hours = round(minutes / 60)
        if hours == 1:
            return gettext("in about an hour")
        return gettext("in about %(hours)d hours") % {"hours": hours}


# One round trip: create the client's row or lock it, and record this send only if fewer
# than the limit remain inside the window (ON CONFLICT ... WHERE: a refused send changes
# nothing, and its row is returned to no one). Rows a window old are deleted on the way,
# skipping any another send holds, so no send ever waits on another client's row. Written as
# two named parts of a WITH, which the one-statement store of a first send also starts with
# (intake/services/quick_send.py): `sent` has a row if the send was counted.
def send_counted(*, only_if: str = "true") -> str:
    """The two parts; with `only_if` (SQL), the send is counted only when that holds."""
    return f"""
gone AS (
    DELETE FROM {_TABLE} WHERE key IN (
        SELECT key FROM {_TABLE} WHERE expires_at < %(now)s AND key <> %(client)s
        FOR UPDATE SKIP LOCKED
    )
), sent AS (
    INSERT INTO {_TABLE} AS client (key, sent_at, expires_at)
    SELECT %(client)s, ARRAY[%(now)s]::timestamptz[], %(now)s + %(window)s WHERE {only_if}
    ON CONFLICT (key) DO UPDATE SET
        sent_at = ARRAY(
            SELECT sent FROM unnest(client.sent_at || %(now)s) AS sent
            WHERE sent > %(now)s - %(window)s ORDER BY sent
        ),
        expires_at = GREATEST(%(now)s, (SELECT max(sent) FROM unnest(client.sent_at) AS sent))
            + %(window)s
    WHERE (
        SELECT count(*) FROM unnest(client.sent_at) AS sent WHERE sent > %(now)s - %(window)s
    ) < %(limit)s
    RETURNING true
)"""


_TABLE = SubmissionThrottle._meta.db_table


def send_counted_parameters(
    request, scope: str, *, limit: int, window: int, now: datetime | None = None
) -> dict:
    """send_counted's parameters for one send by this client in `scope`."""
    client = f"{scope}|{client_identifier(request)}"
    return {
        "client": salted_hmac("intake.throttle", client, algorithm="sha256").hexdigest(),
        "now": now or timezone.now(),
        "window": timedelta(seconds=window),
        "limit": max(limit, 1),
    }


def rate_limit(
    request, scope: str, *, limit: int, window: int, now: datetime | None = None
) -> Decision:
    """Record one send by this client in `scope` unless `limit` were sent in `window` seconds."""
    parameters = send_counted_parameters(request, scope, limit=limit, window=window, now=now)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {send_counted()} SELECT true FROM sent", parameters)
        if cursor.fetchone():
            return Decision(True)
        # Refused: the wait is until the oldest of the last `limit` sends leaves the window.
        cursor.execute(f"SELECT sent_at FROM {_TABLE} WHERE key = %s", [parameters["client"]])
        row = cursor.fetchone()
    now, span, limit = parameters["now"], parameters["window"], parameters["limit"]
    recent = sorted(sent for sent in (row[0] if row else []) if sent > now - span)
    if len(recent) < limit:  # the window moved on between the two statements
        return Decision(False, 1)
    wait = recent[-limit] + span - now
    return Decision(False, max(1, math.ceil(wait.total_seconds())))


def submission_limit() -> dict:
    """The limit on requests for help: INTAKE_RATE_LIMIT per INTAKE_RATE_WINDOW_SECONDS."""
    return {"limit": settings.INTAKE_RATE_LIMIT, "window": settings.INTAKE_RATE_WINDOW_SECONDS}


def submission_allowed(request, *, now: datetime | None = None) -> Decision:
    """Count one request for help from this client, up to INTAKE_RATE_LIMIT per window."""
    return rate_limit(request, "intake", **submission_limit(), now=now)
