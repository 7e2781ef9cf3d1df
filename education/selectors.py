"""Reads about the guides that several places share."""

import datetime

from django.urls import reverse
from django.utils.http import urlencode

from education.models import Article, Reviewer

REVIEW_FILTER = "review"


def review_tiles(user, *, today: datetime.date) -> list[dict]:
    """Admin-home tiles: guides due for medical review soon, overdue, or with a placeholder."""
    if not user.has_perm("education.change_article"):
        return []
    base = reverse("admin:education_article_changelist")
    tiles = [
        (
            "due for review within 30 days or overdue",
            Article.objects.review_due(today=today),
            "due",
        ),
        ("overdue for review", Article.objects.review_overdue(today=today), "overdue"),
    ]
    if Reviewer.objects.filter(placeholder=True, guides__isnull=False).exists():
        tiles.append(
            (
                "reviewed by a placeholder reviewer",
                Article.objects.filter(reviewer__placeholder=True),
                "placeholder",
            )
        )
    return [
        {"label": label, "count": qs.count(), "url": f"{base}?{urlencode({REVIEW_FILTER: key})}"}
        for label, qs, key in tiles
    ]
