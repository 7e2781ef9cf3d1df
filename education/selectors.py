"""Reads about the guides that several places share."""

import datetime

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from education.models import Guide, Topic
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


# What a guide card or link needs; the original's ordering comes with it.
CARD_FIELDS = ("title", "slug", "language", "summary", "reading_minutes", "translation_of_id")


def guides_in_language(originals: QuerySet, language: str) -> list[Guide]:
    """The English guides `originals` selects, each in `language` when it has a published
    translation there, else as it is (the page then says it is in English), in the
    originals' order: one query.

    An English page lists English guides only: a translation never stands in for one there.
    """
    selected = originals.filter(language=settings.LANGUAGE_CODE).values("pk")
    rows = (
        Guide.objects.published()
        .filter(
            Q(pk__in=selected)
            | Q(language=language, translation_of__in=selected)
            & ~Q(language=settings.LANGUAGE_CODE)
        )
        .annotate(
            original_id=Coalesce("translation_of_id", "pk"),
            original_topic_id=Coalesce("translation_of__topic_id", "topic_id"),
        )
        .only(*CARD_FIELDS, "topic_id")
        .order_by(
            Coalesce("translation_of__topic__order", "topic__order"),
            Coalesce("translation_of__order", "order"),
            Coalesce("translation_of__title", "title"),
            F("translation_of_id").asc(nulls_first=True),  # the original before its translation
        )
    )
    chosen: dict[int, Guide] = {}
    for guide in rows:
        chosen[guide.original_id] = guide  # a translation replaces its original
    return list(chosen.values())


def topics_with_guides(language: str) -> list[Topic]:
    """Every topic, each with `shown_guides`: its published guides in `language`, as
    guides_in_language() gives them (the library; search's list when nothing matched).
    Two queries."""
    topics = list(Topic.objects.all())
    by_topic = {topic.pk: topic for topic in topics}
    for topic in topics:
        topic.shown_guides = []
    for guide in guides_in_language(Guide.objects.published(), language):
        if topic := by_topic.get(guide.original_topic_id):
            topic.shown_guides.append(guide)
    return topics
