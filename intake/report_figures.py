"""The Reports page's cells: counts, rates and times, each hidden when it would be about
fewer than 5 people; and the SQL aggregates they are computed with."""

from dataclasses import dataclass

from django.db.models import Aggregate, F, FloatField, Func

# A group of fewer people than this is shown as "fewer than 5", never as its number: a
# small count, or a rate or median drawn from a few people, could point to someone.
SMALL_GROUP = 5
FEWER = f"fewer than {SMALL_GROUP}"
# A rate or median over nobody (no requests in the group): said in words, not as 0.
NONE = "none"
# A rate or median drawn from fewer than 5 people: not a count, so not "fewer than 5".
NOT_SHOWN = f"not shown (under {SMALL_GROUP} people)"
# A count hidden only so that a "fewer than 5" beside it cannot be worked out by subtraction.
HIDDEN_TOO = "hidden (see note)"


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: the value below which `fraction` of the rows lie."""

    function = "percentile_cont"
    # %(filter)s: Django writes " FILTER (WHERE ...)" there when a filter is given.
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def minutes_between(later: str, earlier: str) -> Func:
    return Func(
        F(later) - F(earlier),
        template="EXTRACT(EPOCH FROM %(expressions)s) / 60",
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Figure:
    """One cell: its number for charts and CSV (None when not shown) and its words."""

    value: float | None
    text: str

    @property
    def suppressed(self) -> bool:
        return self.text in (FEWER, NOT_SHOWN, HIDDEN_TOO)

    @property
    def csv(self) -> str:
        """For a spreadsheet: the bare number where there is one, else the words."""
        return self.text if self.value is None else f"{self.value:g}"


def people(count: int) -> Figure:
    if 0 < count < SMALL_GROUP:
        return Figure(None, FEWER)
    return Figure(count, f"{count:,}")


def parts(counts: list[int]) -> list[Figure]:
    """Counts that add up to a total shown elsewhere (the weeks to the period's requests,
    the answers to a question): hiding one small count alone would not hide it, as the
    total less the others gives it back. So when exactly one is hidden, the next smallest
    is hidden too ("secondary suppression")."""
    figures = [people(count) for count in counts]
    hidden = [i for i, figure in enumerate(figures) if figure.suppressed]
    if len(hidden) == 1:
        shown = [i for i, count in enumerate(counts) if count and i not in hidden]
        if shown:
            smallest = min(shown, key=lambda i: counts[i])
            figures[smallest] = Figure(None, HIDDEN_TOO)
    return figures


def share(part: int, whole: int) -> Figure:
    """A rate, shown only when neither it nor its base could point to a few people."""
    if whole == 0:
        return Figure(None, NONE)
    if whole < SMALL_GROUP or 0 < part < SMALL_GROUP:
        return Figure(None, NOT_SHOWN)
    percent = 100 * part / whole
    return Figure(round(percent, 1), f"{percent:.0f} %")


def amount(value: float | None, group: int, unit: str) -> Figure:
    """A median or a 90th percentile over `group` people."""
    if group == 0 or value is None:
        return Figure(None, NONE)
    if group < SMALL_GROUP:
        return Figure(None, NOT_SHOWN)
    return Figure(round(value, 1), f"{value:.1f} {unit}")
