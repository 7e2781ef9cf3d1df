"""The queue's paginator: it counts the rows up to a limit, not all of them.

Counting every open request was the slowest part of the queue page at 100,000 requests
(a scan of the whole table, ~35 ms, on every page load). Past QUEUE_COUNT_LIMIT the exact
number helps no one triaging: the page says "more than 5,000" and staff narrow the list
with a filter or a search. The first pages, the last page they can reach and every filtered
list short of the limit are exact.
"""

from functools import cached_property

from django.core.paginator import Paginator

QUEUE_COUNT_LIMIT = 5_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery: stops reading once it has seen one row too many.
        return self.object_list[: QUEUE_COUNT_LIMIT + 1].count()

    @property
    def limit(self) -> int:
        return QUEUE_COUNT_LIMIT

    @property
    def capped(self) -> bool:
        return self.count > QUEUE_COUNT_LIMIT
