"""Helpers the tests share (imported by tests, never from conftest.py)."""

import re
import time
import uuid
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django_otp.oath import totp
from django_tasks_db.models import DBTaskResult

from intake.spam import TOKEN_SALT

# A reference as the visitor reads it: the prefix, then six characters from an alphabet with
# no 0/O, 1/I/L or U.
MESSAGE_REFERENCE = re.compile(r"MS-[2-9A-HJKMNP-TV-Z]{6}")
CONSULTATION_REFERENCE = re.compile(r"CR-[2-9A-HJKMNP-TV-Z]{6}")

# The request queue in the admin.
QUEUE = "/admin/intake/helprequest/"


def admin_change_url(help_request) -> str:
    return f"{QUEUE}{help_request.pk}/change/"


def shown_in_queue(response, help_request) -> bool:
    """Whether a page of the queue links to this request."""
    return admin_change_url(help_request) in response.content.decode()


def triage_post(help_request, **changes):
    """What a request's admin page posts, with `changes` applied (no new note or contact
    attempt unless given), as a page showing `help_request` as it is now would post it."""
    shown = {
        "status": help_request.status,
        "assigned_to": help_request.assigned_to_id or "",
        "follow_up_on": help_request.follow_up_on or "",
        "urgent": "on" if help_request.urgent else "",
    }
    data = {
        **shown,
        **{f"initial-{name}": value for name, value in shown.items()},
        "seen_updated_at": help_request.updated_at.isoformat(),
        "urgent_reason": "",
        # Shown on the page in their own section, so posted back as they are.
        "heard_about": help_request.heard_about,
        "heard_about_other": help_request.heard_about_other,
        "notes-0-text": "",
        "contact_attempts-0-channel": "",
        "contact_attempts-0-outcome": "",
        "contact_attempts-0-attempted_at": "",
    }
    for prefix in ("notes", "contact_attempts"):
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip
    data.update(changes)
    # An unticked box is not posted at all.
    return {name: value for name, value in data.items() if not (name == "urgent" and not value)}


def change_form_data(guide, **changes):
    """What the guide's admin form posts, with `changes` applied."""
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "topic": guide.topic_id,
        "order": guide.order,
        "status": guide.status,
        "summary": guide.summary,
        "body_markdown": guide.body_markdown,
        "reviewed_on": guide.reviewed_on.isoformat(),
        "reviewer": guide.reviewer_id,
        "review_interval_months": guide.review_interval_months,
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-title": "",
        "sources-0-publisher": "",
        "sources-0-url": "",
        "sources-0-read_on": "",
        "sources-0-order": "0",
    }
    data.update(changes)
    return data


def staff_notifications_queued(help_request) -> int:
    """How many "new request" emails to staff are waiting for the worker for this request."""
    return DBTaskResult.objects.filter(
        task_path="intake.tasks.notify_staff", args_kwargs__args__0=help_request.pk
    ).count()


def form_fields_as_shown(html: str) -> dict:
    """The hidden and text values a browser would send back from a rendered form."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        kind = re.search(r'\btype="([^"]*)"', tag)
        if not name or (kind and kind.group(1) in {"checkbox", "radio", "submit"}):
            continue
        fields[name.group(1)] = unescape(value.group(1)) if value else ""
    return fields


def form_token(seconds_ago: float = 30, key: str | None = None, confirm: bool = False) -> str:
    """A form token as the page would have issued it `seconds_ago` (`confirm`: the page
    shown again with "Send now")."""
    payload = {"at": time.time() - seconds_ago, "key": key or str(uuid.uuid4())}
    if confirm:
        payload["confirm"] = True
    return signing.dumps(payload, salt=TOKEN_SALT)


def authenticator_code(device, drift=0) -> str:
    """What the person's authenticator app shows now (or `drift` time steps away)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def wrong_authenticator_code(device) -> str:
    """A code the app is not showing, nor was a step ago, nor will be a step from now."""
    accepted = {authenticator_code(device, drift) for drift in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def clinic_clock(monkeypatch, *when):
    """Set the clock to `when` (year, month, day, hour, minute) in the clinic's time zone."""
    moment = datetime(*when, tzinfo=ZoneInfo(settings.TIME_ZONE))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def sign_in_with_code(client, username, password, code, next_url="/admin/"):
    """Sign in where two-factor sign-in is required, as a person does: the password on the
    first page, then the code on the second. Returns the second page's answer."""
    client.post(
        f"/admin/login/?next={next_url}",
        {"username": username, "password": password, "next": next_url},
    )
    return client.post("/admin/login/code/", {"code": code})
