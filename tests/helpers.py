"""Helpers the tests share (imported by tests, never from conftest.py)."""


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
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="intake.tasks.notify_staff", args_kwargs__args__0=help_request.pk
    ).count()


def form_fields_as_shown(html: str) -> dict:
    """The hidden and text values a browser would send back from a rendered form."""
    import re
    from html import unescape

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
    import time
    import uuid

    from django.core import signing

    from intake.forms import TOKEN_SALT

    payload = {"at": time.time() - seconds_ago, "key": key or str(uuid.uuid4())}
    if confirm:
        payload["confirm"] = True
    return signing.dumps(payload, salt=TOKEN_SALT)
