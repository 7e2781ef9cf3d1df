"""What can be asked of many guides at once: published, featured, due for review, search."""

import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import models

SEARCH_CONFIG = "english"
REVIEW_DUE_SOON_DAYS = 30


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def featured(self):
        return self.published().filter(featured=True)

    def review_due(self, *, today: datetime.date, within_days: int = REVIEW_DUE_SOON_DAYS):
        """Guides whose next medical review falls within `within_days`, or has passed."""
        return self.filter(next_review_on__lte=today + datetime.timedelta(days=within_days))

    def review_overdue(self, *, today: datetime.date):
        return self.filter(next_review_on__lt=today)

    def search(self, query: str):
        """Published guides matching a visitor's words, best first, with a highlighted snippet."""
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.published()
            .filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(models.F("search_vector"), search_query),
                snippet=SearchHeadline(
                    "body_text",
                    search_query,
                    config=SEARCH_CONFIG,
                    # Markers that cannot occur in text; the view escapes, then marks up.
                    start_sel="\x02",
                    stop_sel="\x03",
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .select_related("topic")
            .order_by("-rank", "title")
        )
