"""The Reports page's figures: how fast people are reached, how many start care, and where
they come from. Aggregates only, over a period of days in the clinic's time zone.

A handful of queries whatever the number of requests (each a GROUP BY or one aggregate);
the business hours each request waited are stored on it when stamped
(HelpRequest.stamp_first_attempt / stamp_first_contact), so here they are only sorted.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from intake import choices
from intake.models import HelpRequest
from intake.report_figures import (
    NOT_SHOWN,
    Figure,
    Percentile,
    amount,
    minutes_between,
    parts,
    people,
    share,
)

DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the clinic's time zone."""

    start: date
    end: date

    @classmethod
    def last_weeks(cls, today: date, weeks: int = DEFAULT_WEEKS) -> "Period":
        """This week so far and the whole weeks before it: 12 weeks unless told."""
        monday = today - timedelta(days=today.weekday())
        return cls(monday - timedelta(weeks=weeks - 1), today)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time()), zone),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time()), zone),
        )

    @property
    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        monday = self.start - timedelta(days=self.start.weekday())
        return [monday + timedelta(weeks=n) for n in range((self.end - monday).days // 7 + 1)]

    def __str__(self):
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


@dataclass(frozen=True)
class Week:
    monday: date
    consultations: Figure
    messages: Figure
    urgent: Figure
    total: Figure
    # Of those whose promise has run out or who were reached: reached within it.
    reached_in_time: Figure
    median_hours_to_contact: Figure


@dataclass(frozen=True)
class Row:
    """One line of a "by" table or of the funnel."""

    label: str
    figures: dict[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    period: Period
    received: Figure
    weeks: list[Week]
    speed: list[Row]
    promise: str
    urgent_promise: str
    reached_in_time: Figure
    funnel: list[Row]
    left: list[Row]
    sources: list[Row]
    programs: list[Row]
    languages: list[Row]
    spam: list[Row]


# Counted by a column in the reports index, not the primary key, which is not in it.
ROW = "created_at"

NOT_YET_SCHEDULED = (choices.Status.NEW, choices.Status.IN_PROGRESS, choices.Status.CONTACTED)

# The funnel's steps, each within the one before: a person who started care was scheduled,
# one scheduled was reached (whatever was logged on the way).
STARTED = Q(close_reason=choices.CloseReason.STARTED_CARE)
SCHEDULED = Q(appointment_at__isnull=False) | STARTED
REACHED = Q(first_contact_at__isnull=False) | SCHEDULED
FUNNEL = (
    ("received", "Received", Q()),
    ("reached", "Reached (spoke with them)", REACHED),
    ("scheduled", "Scheduled", SCHEDULED),
    ("started", "Started care", STARTED),
)


def _funnel_counts(prefix: str = "") -> dict:
    # An empty Q() as a filter would be written as an empty FILTER clause: give None.
    return {
        f"{prefix}{key}": Count(ROW, filter=condition or None) for key, _label, condition in FUNNEL
    }


def build_report(*, period: Period, now: datetime | None = None) -> Report:
    """Every figure of the Reports page for `period` (three queries)."""
    now = now or timezone.now()
    start, end = period.bounds
    arrived = HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    real = arrived.filter(spam=False)
    totals = _totals(arrived, now)
    return Report(
        period=period,
        received=people(totals["received"]),
        weeks=_weeks(real, period, now),
        speed=_speed(totals),
        promise=f"{settings.INTAKE_RESPONSE_BUSINESS_HOURS} business hours",
        urgent_promise=f"{settings.INTAKE_URGENT_RESPONSE_MINUTES} minutes, any hour",
        reached_in_time=share(totals["in_time"], totals["due"]),
        funnel=_funnel(totals),
        left=_left(totals),
        **_by_all(real),
        spam=[
            Row("Held by the site as they arrived", {"count": people(totals["held"])}),
            Row(
                "Of those, returned to the queue by staff (real people)",
                {"count": people(totals["rescued"])},
            ),
            Row("Of those, still held as spam", {"count": people(totals["still_held"])}),
            Row(
                "Marked as spam by staff (not held by the site; not in the rows above)",
                {"count": people(totals["marked_spam"])},
            ),
        ],
    )


def _weeks(real, period: Period, now: datetime) -> list[Week]:
    routine = Q(urgent=False, business_hours_to_first_contact__isnull=False)
    rows = (
        real.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            consultations=Count(ROW, filter=Q(kind=choices.Kind.CONSULTATION)),
            messages=Count(ROW, filter=Q(kind=choices.Kind.MESSAGE)),
            # Not "urgent": that name would hide the field from the filters here.
            urgent_count=Count(ROW, filter=Q(urgent=True)),
            due=Count(ROW, filter=Q(first_contact_at__isnull=False) | Q(respond_by__lt=now)),
            in_time=Count(ROW, filter=Q(first_contact_at__lte=F("respond_by"))),
            reached_routine=Count(ROW, filter=routine),
            median_contact=Percentile("business_hours_to_first_contact", 0.5, filter=routine),
        )
        .order_by("week")
    )
    found = {timezone.localtime(row["week"]).date(): row for row in rows}
    weeks = []
    each = [found.get(monday, {}) for monday in period.weeks]
    # The weeks add up to the period's requests, each week's kinds to its total.
    totals = parts([row.get("consultations", 0) + row.get("messages", 0) for row in each])
    for monday, row, total in zip(period.weeks, each, totals, strict=True):
        consultations, messages = parts([row.get("consultations", 0), row.get("messages", 0)])
        weeks.append(
            Week(
                monday=monday,
                consultations=consultations,
                messages=messages,
                urgent=people(row.get("urgent_count", 0)),
                total=total,
                reached_in_time=share(row.get("in_time", 0), row.get("due", 0)),
                median_hours_to_contact=amount(
                    row.get("median_contact"), row.get("reached_routine", 0), "h"
                ),
            )
        )
    return weeks


def _totals(arrived, now: datetime) -> dict:
    """One pass over the period's requests: speed, funnel, reasons, spam."""
    real = Q(spam=False)
    routine, urgent = real & Q(urgent=False), real & Q(urgent=True)
    tried = Q(first_attempt_at__isnull=False)
    spoke = Q(first_contact_at__isnull=False)
    measures = {
        "received": Count(ROW, filter=real),
        "due": Count(ROW, filter=real & (spoke | Q(respond_by__lt=now))),
        "in_time": Count(ROW, filter=real & Q(first_contact_at__lte=F("respond_by"))),
        "held": Count(ROW, filter=Q(held_on_arrival=True)),
        "rescued": Count(ROW, filter=Q(held_on_arrival=True, spam=False)),
        "marked_spam": Count(ROW, filter=Q(spam=True, held_on_arrival=False)),
        "referred": Count(ROW, filter=real & Q(status=choices.Status.REFERRED)),
        "open": Count(ROW, filter=real & Q(status__in=NOT_YET_SCHEDULED)),
        "scheduled_now": Count(ROW, filter=real & Q(status=choices.Status.SCHEDULED)),
        "still_held": Count(ROW, filter=Q(held_on_arrival=True, spam=True)),
    }
    for key, _label, condition in FUNNEL:
        measures[key] = Count(ROW, filter=real & condition)
    for reason in [*choices.NotAFitReason, ""]:
        measures[f"not_a_fit:{reason}"] = Count(
            "pk", filter=real & Q(status=choices.Status.NOT_A_FIT, not_a_fit_reason=reason)
        )
    for reason in [*choices.CloseReason, ""]:
        if reason != choices.CloseReason.STARTED_CARE:
            measures[f"closed:{reason}"] = Count(
                "pk", filter=real & Q(status=choices.Status.CLOSED, close_reason=reason)
            )
    steps = {
        "attempt": ("business_hours_to_first_attempt", tried, None),
        "contact": ("business_hours_to_first_contact", spoke, None),
        "urgent_attempt": (minutes_between("first_attempt_at", "created_at"), tried, True),
        "urgent_contact": (minutes_between("first_contact_at", "created_at"), spoke, True),
    }
    for name, (expression, done, is_urgent) in steps.items():
        group = (urgent if is_urgent else routine) & done
        measures[f"{name}_n"] = Count(ROW, filter=group)
        measures[f"{name}_p50"] = Percentile(expression, 0.5, filter=group)
        measures[f"{name}_p90"] = Percentile(expression, 0.9, filter=group)
    return arrived.aggregate(**measures)


def _speed(totals: dict) -> list[Row]:
    rows = []
    for name, label, unit in (
        ("attempt", "First attempt to reach them (not urgent)", "business hours"),
        ("contact", "First conversation (not urgent)", "business hours"),
        ("urgent_attempt", "Urgent: first attempt", "minutes"),
        ("urgent_contact", "Urgent: first conversation", "minutes"),
    ):
        group = totals[f"{name}_n"]
        rows.append(
            Row(
                label,
                {
                    "people": people(group),
                    "median": amount(totals[f"{name}_p50"], group, unit),
                    "p90": amount(totals[f"{name}_p90"], group, unit),
                },
            )
        )
    return rows


def _funnel(totals: dict) -> list[Row]:
    rows, before = [], totals["received"]
    for key, label, _condition in FUNNEL:
        count = totals[key]
        rows.append(
            Row(
                label,
                {
                    "people": people(count),
                    "of_received": share(count, totals["received"]),
                    "of_step_before": share(count, before),
                },
            )
        )
        before = count
    return rows


def _left(totals: dict) -> list[Row]:
    """Why people did not (yet) start care, by where their request stands: these add up
    to the requests received less those who started care."""
    rows = [("Referred elsewhere", totals["referred"])]
    rows += [(f"Not a fit: {reason.label}", totals[f"not_a_fit:{reason}"])
             for reason in choices.NotAFitReason]  # fmt: skip
    rows += [("Not a fit: no reason given", totals["not_a_fit:"])]
    rows += [(f"Closed: {reason.label}", totals[f"closed:{reason}"])
             for reason in choices.CloseReason if reason != choices.CloseReason.STARTED_CARE]  # fmt: skip
    rows += [("Closed: no reason given", totals["closed:"])]
    rows += [
        ("Scheduled, not yet started", totals["scheduled_now"]),
        ("Still being worked, not yet scheduled", totals["open"]),
    ]
    figures = parts([count for _label, count in rows])
    return [
        Row(label, {"people": figure})
        for (label, _count), figure in zip(rows, figures, strict=True)
    ]


# The "by" tables: the column counted by, its choices, and the row for no answer.
DIMENSIONS = {
    "sources": ("heard_about_index", choices.HeardAbout, "Not answered"),
    "programs": ("program_index", choices.Program, "Not asked (messages) or not given"),
    "languages": ("language", choices.Language, ""),
}
HASHED = {"heard_about_index", "program_index"}


def _by_all(real) -> dict[str, list[Row]]:
    """Requests and how far they got, by each dimension: one query grouped by all three
    (a few dozen groups), summed here for each table."""
    columns = [column for column, _labels, _missing in DIMENSIONS.values()]
    groups = list(real.values(*columns).annotate(**_funnel_counts()).order_by())
    return {name: _by(groups, *dimension) for name, dimension in DIMENSIONS.items()}


def _by(groups: list[dict], column: str, labels, missing: str) -> list[Row]:
    found: dict[str, dict] = {}
    for group in groups:
        sums = found.setdefault(group[column], dict.fromkeys(("received", "reached", "started"), 0))
        for key in sums:
            sums[key] += group[key]
    listed = []
    for value, label in [*labels.choices, ("", missing)]:
        # Encrypted choices are counted by their keyed hash (HelpRequest.program_index_for).
        key = HelpRequest.program_index_for(value) if column in HASHED and value else value
        row = found.get(key)
        if row is not None and (value or missing):
            listed.append((label, row))
    # Each column adds up to a total shown above (received, reached, started care).
    columns = {
        name: parts([row[name] for _label, row in listed])
        for name in ("received", "reached", "started")
    }
    table = []
    for i, (label, row) in enumerate(listed):
        received = columns["received"][i]
        conversion = share(row["started"], row["received"])
        if received.suppressed or columns["started"][i].suppressed:
            # A rate beside a hidden count would give the count back.
            conversion = Figure(None, NOT_SHOWN)
        figures = {name: columns[name][i] for name in ("received", "reached", "started")}
        table.append(Row(label, {**figures, "conversion": conversion}))
    # Most requests first, "Not answered" last; a hidden count sorts as 0.
    return sorted(
        table, key=lambda row: (row.label == missing, -(row.figures["received"].value or 0))
    )
