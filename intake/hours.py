"""The clinic's business hours, which its response-time promise is counted in."""

from datetime import datetime, timedelta

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
