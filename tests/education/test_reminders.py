"""Each Monday morning the task worker emails content editors the guides due for medical
review within 30 days or overdue: titles and links only, once a week, nothing when none."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from education.models import Guide
from education.notifications import reminder_week_coming
from recovery_site import roles
from tests.factories import GuideFactory, user_in_role

# The worker commits as a real one does, so these tests commit too.
pytestmark = pytest.mark.django_db(transaction=True)

CLINIC = ZoneInfo(settings.TIME_ZONE)
REMINDER = "education.tasks.send_review_reminders"
MAIL_SERVER_UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MAIL_SERVER_DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # Nothing listens on port 1: refused, as with a mail server down.
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}


@pytest.fixture(autouse=True)
def _editors(staff_roles, settings):
    settings.MAILERS = MAIL_SERVER_UP
    settings.SITE_URL = "https://clinic.example"
    user_in_role(roles.CONTENT_EDITORS, username="robin", email="robin@clinic.test")
    user_in_role(roles.CONTENT_EDITORS, username="no-mail", email="")
    user_in_role(roles.COORDINATORS, username="casey", email="casey@clinic.test")


def review_due_in(days: int, **kwargs) -> Guide:
    """A guide whose next review falls `days` from today (negative: overdue)."""
    guide = GuideFactory(review_interval_months=1, **kwargs)
    Guide.objects.filter(pk=guide.pk).update(
        next_review_on=timezone.localdate() + datetime.timedelta(days=days)
    )
    return guide


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def make_due_now():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def queued_weeks() -> list[str]:
    rows = DBTaskResult.objects.filter(task_path=REMINDER, status="READY")
    return sorted(row.args_kwargs["kwargs"]["week"] for row in rows)


def test_editors_are_emailed_the_titles_and_links_of_guides_due_for_review():
    due = review_due_in(20, title="Withdrawal", summary="A private-looking summary.")
    overdue = review_due_in(-3, title="Helping someone you love")
    review_due_in(60, title="Not due for two months")
    call_command("queue_review_reminders", stdout=None)
    make_due_now()

    run_worker()

    (email,) = mail.outbox
    assert email.to == ["robin@clinic.test"]  # content editors with an address, no one else
    assert email.subject == "2 guides due for medical review"
    for guide in (due, overdue):
        assert guide.title in email.body
        assert f"https://clinic.example/admin/education/guide/{guide.pk}/change/" in email.body
    assert "Not due for two months" not in email.body
    assert "summary" not in email.body and "Some plain words" not in email.body


def test_nothing_is_sent_when_no_guide_is_due():
    review_due_in(90)
    call_command("queue_review_reminders", stdout=None)
    make_due_now()

    run_worker()

    assert mail.outbox == []
    assert DBTaskResult.objects.get(task_path=REMINDER, status="SUCCESSFUL").return_value == (
        "nothing due"
    )


def test_starting_again_and_again_queues_one_reminder_for_the_coming_monday_morning():
    for _ in range(3):
        call_command("queue_review_reminders", stdout=None)

    (queued,) = DBTaskResult.objects.filter(task_path=REMINDER)
    monday = reminder_week_coming(timezone.now())
    assert monday.weekday() == 0
    assert queued.run_after == datetime.datetime.combine(monday, datetime.time(8), tzinfo=CLINIC)


def test_the_coming_reminder_is_this_monday_until_eight_then_next_monday(monkeypatch):
    def at(*when):
        return datetime.datetime(*when, tzinfo=CLINIC)

    assert reminder_week_coming(at(2026, 11, 23, 7, 59)) == datetime.date(2026, 11, 23)
    assert reminder_week_coming(at(2026, 11, 23, 8, 0)) == datetime.date(2026, 11, 30)
    assert reminder_week_coming(at(2026, 11, 29, 23, 0)) == datetime.date(2026, 11, 30)


def test_each_reminder_queues_the_next_weeks_and_one_week_is_never_sent_twice():
    review_due_in(5)
    call_command("queue_review_reminders", stdout=None)
    (first,) = queued_weeks()
    # Queued a second time by hand: still one email for that week.
    from education.tasks import send_review_reminders

    send_review_reminders.enqueue(week=first)
    make_due_now()

    run_worker()

    assert len(mail.outbox) == 1
    following = (datetime.date.fromisoformat(first) + datetime.timedelta(days=7)).isoformat()
    assert queued_weeks() == [following]


def test_with_the_mail_server_down_the_reminder_is_tried_again_and_next_week_still_comes(
    settings,
):
    review_due_in(5)
    call_command("queue_review_reminders", stdout=None)
    (week,) = queued_weeks()
    make_due_now()
    settings.MAILERS = MAIL_SERVER_DOWN

    run_worker()

    retry = DBTaskResult.objects.get(
        task_path=REMINDER, status="READY", args_kwargs__kwargs__week=week
    )
    assert retry.run_after > timezone.now() and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert len(queued_weeks()) == 2  # the retry and next week's

    settings.MAILERS = MAIL_SERVER_UP
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    assert len(mail.outbox) == 1
