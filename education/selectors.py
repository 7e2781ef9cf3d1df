"""Reads about the guides that several places share."""

import datetime

from django.urls import reverse
from django.utils.http import urlencode

from education.models import Guide
from education.querysets import REVIEW_DUE_SOON_DAYS

REVIEW_FILTER = "review"


def review_tiles(user, *, today: datetime.date) -> list[dict]:
    """Admin-home tiles: guides due for medical review soon, overdue, or with a placeholder."""
    if not user.has_perm("education.change_guide"):
        return []
    base = reverse("admin:education_guide_changelist")
    tiles = [
        (
            f"due for review within {REVIEW_DUE_SOON_DAYS} days or overdue",
            Guide.objects.review_due(today=today).count(),
            "due",
        ),
        ("overdue for review", Guide.objects.review_overdue(today=today).count(), "overdue"),
    ]
    # Shown only while it is still true: the clinic's launch checklist, not a standing count.
    if placeholder := Guide.objects.filter(reviewer__placeholder=True).count():
        tiles.append(("reviewed by a placeholder reviewer", placeholder, "placeholder"))
    return [
        {"label": label, "count": count, "url": f"{base}?{urlencode({REVIEW_FILTER: key})}"}
        for label, count, key in tiles
    ]
