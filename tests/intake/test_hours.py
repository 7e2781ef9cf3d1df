"""Business hours, which the promise and the Reports page's speed to contact count in."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.hours import business_hours_between

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.CLINIC_BUSINESS_HOURS = (8, 20)
    settings.CLINIC_BUSINESS_DAYS = [0, 1, 2, 3, 4]


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("sent", "answered", "hours"),
    [
        (at(10, 5, 9), at(10, 5, 11, 30), 2.5),  # the same morning
        (at(10, 9, 18), at(10, 12, 9), 3),  # Friday evening to Monday: the weekend is free
        (at(10, 10, 12), at(10, 12, 10), 2),  # sent on Saturday
        (at(10, 5, 22), at(10, 6, 7), 0),  # overnight, answered before opening
        (at(10, 5, 9), at(10, 7, 9), 24),  # two whole days
        # The clocks go back on Sunday 1 November: the long night changes nothing.
        (at(10, 30, 19), at(11, 2, 9), 2),
    ],
)
def test_business_hours_between(sent, answered, hours):
    assert business_hours_between(sent, answered) == pytest.approx(hours)


def test_an_answer_logged_before_the_request_arrived_counts_as_no_time():
    assert business_hours_between(at(10, 5, 10), at(10, 5, 9)) == 0
