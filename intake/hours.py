"""The clinic's business hours, which its response-time promise is counted in."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def add_business_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` of the clinic's business hours after `start`."""
    local = timezone.localtime(start)
    remaining = timedelta(hours=hours)
    opens, closes = settings.CLINIC_BUSINESS_HOURS
    days = settings.CLINIC_BUSINESS_DAYS
    for _day in range(400):
        day_open = local.replace(hour=opens, minute=0, second=0, microsecond=0)
        day_close = local.replace(hour=closes, minute=0, second=0, microsecond=0)
        if local.weekday() in days and local < day_close:
            begin = max(local, day_open)
            available = day_close - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        local = timezone.make_aware(
            (local + timedelta(days=1)).replace(tzinfo=None, hour=0, minute=0, second=0),
            timezone.get_current_timezone(),
        )
    raise ValueError("no business hours configured")


def open_until(moment: datetime) -> datetime | None:
    """When the clinic's phone stops being answered today if it is answered at `moment`,
    else None (closed)."""
    local = timezone.localtime(moment)
    opens, closes = settings.CLINIC_BUSINESS_HOURS
    if local.weekday() in settings.CLINIC_BUSINESS_DAYS and opens <= local.hour < closes:
        return local.replace(hour=closes, minute=0, second=0, microsecond=0)
    return None


def response_due(received: datetime, *, urgent: bool = False) -> datetime:
    """When the clinic's response-time promise runs out for a request received then: an
    urgent one's runs INTAKE_URGENT_RESPONSE_MINUTES, at any hour of any day."""
    if urgent:
        return received + timedelta(minutes=settings.INTAKE_URGENT_RESPONSE_MINUTES)
    return add_business_hours(received, settings.INTAKE_RESPONSE_BUSINESS_HOURS)


def business_hours_between(start: datetime, end: datetime) -> float:
    """How many of the clinic's business hours lie between `start` and `end` (0 if `end`
    is not later): a request sent on Friday evening and answered on Monday at 9 a.m. has
    waited 1 business hour when the clinic opens at 8."""
    if end <= start:
        return 0.0
    opens, closes = settings.CLINIC_BUSINESS_HOURS
    zone = timezone.get_current_timezone()
    total = timedelta()
    day, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    while day <= last:
        if day.weekday() in settings.CLINIC_BUSINESS_DAYS:
            day_open = timezone.make_aware(datetime.combine(day, time(opens)), zone)
            day_close = timezone.make_aware(datetime.combine(day, time(closes)), zone)
            overlap = min(end, day_close) - max(start, day_open)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 3600
