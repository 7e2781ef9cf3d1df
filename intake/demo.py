"""Fake requests that look like a real clinic's, for demos and benchmarks
(`manage.py seed_demo_requests`): when people write, how they heard of the clinic, how staff
tried to reach them and how it ended. Every choice comes from one seeded random generator,
so a seed always gives the same clinic (references aside, which are drawn like the form's)."""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from intake import choices
from intake.forms import US_STATE_CHOICES
from intake.hours import add_business_hours, response_due
from intake.models import ContactAttempt, HelpRequest

WEEKS = 26
# Relative numbers of requests by weekday (Monday first) and by hour of the day: most at the
# start of the week, fewest at the weekend, and busy evenings, when people are home.
WEEKDAY_WEIGHTS = (13, 12, 10, 10, 9, 6, 7)
HOUR_WEIGHTS = (3, 2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 9, 10, 11, 10, 8, 5)
# Numbers from several areas, so a search by area code and exchange ("415 555") finds a few
# requests, not every one.
AREA_CODES = (207, 603, 802, 617, 202, 212, 305, 312, 415, 713)
HEARD_ABOUT = {
    choices.HeardAbout.SEARCH: 35,
    choices.HeardAbout.FAMILY: 18,
    choices.HeardAbout.DOCTOR: 14,
    choices.HeardAbout.COURT: 9,
    choices.HeardAbout.OTHER_PROGRAM: 7,
    choices.HeardAbout.INSURANCE: 6,
    choices.HeardAbout.SOCIAL: 6,
    choices.HeardAbout.OTHER: 5,
}
IN_THEIR_WORDS = (
    "a flyer at the library",
    "a poster at the pharmacy",
    "my pastor",
    "a radio ad",
    "an ad on the bus",
    "my AA sponsor",
    "the needle exchange",
)
PROGRAMS = {
    choices.Program.NOT_SURE: 25,
    choices.Program.OUTPATIENT: 20,
    choices.Program.MAT: 18,
    choices.Program.DETOX: 15,
    choices.Program.INPATIENT: 12,
    choices.Program.VIRTUAL: 10,
}
NOT_A_FIT = {
    choices.NotAFitReason.INSURANCE: 30,
    choices.NotAFitReason.HIGHER_CARE: 20,
    choices.NotAFitReason.LOCATION: 20,
    choices.NotAFitReason.CARE_WE_DO_NOT_OFFER: 15,
    choices.NotAFitReason.NOT_OPIOIDS: 10,
    choices.NotAFitReason.AGE: 5,
}
REFERRALS = (
    ("Harbor Street Methadone Program", "Wants daily methadone dosing near home."),
    ("County Behavioral Health", "Needs mental health care alongside recovery."),
    ("St. Anne's Youth Recovery", "Under 18: referred to an adolescent program."),
    ("Riverside Women's Residential", "Asked for a women-only residential program."),
)
BOOKS_MORE = {
    choices.HeardAbout.DOCTOR: 0.12,
    choices.HeardAbout.OTHER_PROGRAM: 0.1,
    choices.HeardAbout.COURT: 0.08,
    choices.HeardAbout.INSURANCE: 0.05,
    choices.HeardAbout.SOCIAL: -0.1,
}
PLACES = ("Main clinic, 14 Elm Street", "Eastside office, 220 Harbor Road")
# How often staff reach someone on one try, and how many tries before they stop.
SPOKE_ON_A_TRY = 0.38
TRIES = (3, 4, 4, 5, 6)


class DemoClinic:
    """Makes one fake request at a time, with its contact attempts, as of `now`."""

    def __init__(self, *, rng: random.Random, fake, now: datetime, staff: list, used: set):
        self.rng, self.fake, self.now, self.staff, self.used = rng, fake, now, staff, used
        self.zone = timezone.get_current_timezone()
        today = timezone.localtime(now).date()
        self.days = [today - timedelta(days=n) for n in range(WEEKS * 7)]
        self.day_weights = [WEEKDAY_WEIGHTS[day.weekday()] for day in self.days]

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def request(self) -> tuple[HelpRequest, list[ContactAttempt]]:
        rng = self.rng
        item = self._person()
        item.created_at = self._arrival()
        item.updated_at = item.created_at
        item.urgent = rng.random() < 0.05
        item.respond_by = response_due(item.created_at, urgent=item.urgent)
        item.notification = HelpRequest.Notification.SENT
        item.notified_at = item.created_at + timedelta(seconds=rng.randint(5, 90))
        attempts = []
        if rng.random() < 0.03:  # an unambiguous bot, held as it arrived; a few were people
            item.held_on_arrival, item.spam_reason = True, "hidden field filled"
            if rng.random() < 0.85:
                item.spam, item.status = True, HelpRequest.Status.SPAM
                item.spam_marked_at = item.created_at
                item.notification, item.notified_at = HelpRequest.Notification.SKIPPED, None
                return item, attempts
        elif rng.random() < 0.01:  # marked as spam by staff, after a look
            item.spam, item.status = True, HelpRequest.Status.SPAM
            item.spam_marked_at = min(self.now, add_business_hours(item.created_at, 1))
            return item, attempts
        attempts = self._work(item)
        return item, attempts

    def _arrival(self) -> datetime:
        rng = self.rng
        day = rng.choices(self.days, self.day_weights)[0]
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        at = time(hour, rng.randrange(60), rng.randrange(60))
        moment = timezone.make_aware(datetime.combine(day, at), self.zone)
        return moment if moment < self.now else self.now - timedelta(minutes=rng.randint(1, 240))

    def _reference(self, kind: str) -> str:
        # Random references collide now and then (as the form's service retries).
        while (reference := HelpRequest.new_reference(kind)) in self.used:
            pass
        self.used.add(reference)
        return reference

    def _person(self) -> HelpRequest:
        rng = self.rng
        spanish = rng.random() < 0.12
        fake = self.fake["es_MX" if spanish else "en_US"]
        kind = choices.Kind.CONSULTATION if rng.random() < 0.6 else choices.Kind.MESSAGE
        consultation = kind == choices.Kind.CONSULTATION
        preferred = rng.choices(list(choices.ContactMethod), (60, 25, 15))[0]
        heard = self.pick(HEARD_ABOUT) if rng.random() < 0.7 else ""
        item = HelpRequest(
            kind=kind,
            reference=self._reference(kind),
            language=choices.Language.SPANISH if spanish else choices.Language.ENGLISH,
            name=fake.name(),
            email=fake.email() if rng.random() < 0.8 else "",
            phone=f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}",
            message=fake.paragraph() if rng.random() < 0.7 else "",
            heard_about=heard,
            heard_about_other=rng.choice(IN_THEIR_WORDS) if heard == "other" else "",
            consent_contact=True,
            submission_key=uuid.uuid4(),
        )
        if consultation:
            item.preferred_contact = preferred
            item.consent_sms = preferred == choices.ContactMethod.TEXT or rng.random() < 0.2
            item.contact_window = rng.choice(list(choices.ContactWindow))
            item.who_needs_help = rng.choices(list(choices.WhoNeedsHelp), (65, 35))[0]
            item.program = self.pick(PROGRAMS)
            item.insurance = rng.choice(list(choices.Insurance))
            item.state = rng.choice(US_STATE_CHOICES)[0]
            item.voicemail_ok = rng.random() < 0.5
        # bulk_create skips save(), which sets these keyed hashes.
        item.program_index = HelpRequest.program_index_for(item.program)
        item.heard_about_index = HelpRequest.program_index_for(item.heard_about)
        return item

    def _work(self, item: HelpRequest) -> list[ContactAttempt]:
        """Staff's tries at reaching them up to now, and what came of it."""
        rng = self.rng
        if rng.random() < 0.04:  # never tried: mostly a second copy of another request
            looked_at = add_business_hours(item.created_at, rng.uniform(0.5, 6))
            if looked_at < self.now and rng.random() < 0.8:
                self._finish(item, HelpRequest.Status.CLOSED, looked_at,
                             close_reason=choices.CloseReason.DUPLICATE)  # fmt: skip
            return []
        made_by = rng.choice(self.staff)
        at, attempts = self._first_try(item), []
        for _try in range(rng.choice(TRIES)):
            if at > self.now:
                break
            if rng.random() < 0.15:  # a colleague on the next shift tries too
                made_by = rng.choice(self.staff)
            channel, outcome = self._try(item)
            attempts.append(
                ContactAttempt(help_request=item, made_by=made_by, channel=channel,
                               outcome=outcome, attempted_at=at, created_at=at)
            )  # fmt: skip
            if outcome in (ContactAttempt.Outcome.SPOKE, ContactAttempt.Outcome.WRONG_NUMBER):
                break
            at = self._next_try(item, at)
        if attempts:
            self._summarise(item, attempts)
        return attempts

    def _first_try(self, item: HelpRequest) -> datetime:
        rng = self.rng
        if item.urgent:  # at any hour, within minutes; now and then late
            minutes = rng.uniform(3, 40) if rng.random() < 0.9 else rng.uniform(60, 240)
            return item.created_at + timedelta(minutes=minutes)
        roll = rng.random()
        if roll < 0.75:
            hours = rng.uniform(0.1, 4)
        else:  # the phone was busy: later the same day, or past the promise
            hours = rng.uniform(4, 12) if roll < 0.92 else rng.uniform(12, 40)
        return add_business_hours(item.created_at, hours)

    def _next_try(self, item: HelpRequest, after: datetime) -> datetime:
        if item.urgent:
            return after + timedelta(minutes=self.rng.uniform(10, 90))
        return add_business_hours(after, self.rng.uniform(1.5, 16))

    def _try(self, item: HelpRequest) -> tuple[str, str]:
        rng, outcome = self.rng, ContactAttempt.Outcome
        call = ContactAttempt.Channel.CALL
        if rng.random() < SPOKE_ON_A_TRY:
            return call, outcome.SPOKE
        channel = item.preferred_contact or call
        if channel == ContactAttempt.Channel.EMAIL and not item.email:
            channel = call
        if channel == ContactAttempt.Channel.TEXT:
            return channel, outcome.TEXT_SENT
        if channel == ContactAttempt.Channel.EMAIL:
            return channel, outcome.EMAIL_SENT
        roll = rng.random()
        if roll < 0.04:
            return call, outcome.WRONG_NUMBER
        if roll < 0.5:
            return call, outcome.NO_ANSWER
        # A voicemail names the clinic only when they said it may.
        return call, outcome.VOICEMAIL if item.voicemail_ok else outcome.DISCREET_VOICEMAIL

    def _summarise(self, item: HelpRequest, attempts: list[ContactAttempt]) -> None:
        """The request's attempt fields, set as contact_attempt_add sets them."""
        for attempt in attempts:
            item.stamp_first_attempt(attempt.attempted_at)
            if attempt.outcome == ContactAttempt.Outcome.SPOKE:
                item.stamp_first_contact(attempt.attempted_at)
        last = attempts[-1]
        item.attempt_count = len(attempts)
        item.last_attempt_outcome, item.last_attempt_at = last.outcome, last.attempted_at
        item.assigned_to = attempts[0].made_by
        item.status = HelpRequest.Status.IN_PROGRESS
        item.updated_at = last.attempted_at
        if item.first_contact_at:
            self._after_conversation(item, item.first_contact_at)
        elif last.attempted_at < self.now - timedelta(days=5) and self.rng.random() < 0.8:
            gave_up = add_business_hours(last.attempted_at, 24)
            self._finish(item, HelpRequest.Status.CLOSED, gave_up,
                         close_reason=choices.CloseReason.NO_RESPONSE)  # fmt: skip

    def _after_conversation(self, item: HelpRequest, spoke: datetime) -> None:
        rng, status = self.rng, HelpRequest.Status
        item.status = status.CONTACTED
        item.follow_up_on = self._day(spoke) + timedelta(days=rng.randint(2, 5))
        decided = add_business_hours(spoke, rng.uniform(0.2, 24))
        # Fewer of those who only sent a message book an appointment; more of those a doctor,
        # a court or another program sent.
        lift = BOOKS_MORE.get(item.heard_about, 0)
        roll = rng.random() - lift + (0 if item.kind == choices.Kind.CONSULTATION else 0.12)
        if roll < 0.45:
            self._appointment(item, decided)
        elif decided > self.now:
            return
        elif roll < 0.58:
            where, why = rng.choice(REFERRALS)
            self._finish(item, status.REFERRED, decided, referred_to=where, referral_reason=why)
        elif roll < 0.72:
            self._finish(item, status.NOT_A_FIT, decided, not_a_fit_reason=self.pick(NOT_A_FIT))
        elif roll < 0.82:
            self._finish(item, status.CLOSED, decided, close_reason=choices.CloseReason.DECLINED)
        elif spoke < self.now - timedelta(weeks=3):  # went quiet after the conversation
            self._finish(item, status.CLOSED, decided + timedelta(weeks=2),
                         close_reason=choices.CloseReason.NO_RESPONSE)  # fmt: skip

    def _appointment(self, item: HelpRequest, booked: datetime) -> None:
        rng = self.rng
        at = add_business_hours(booked, rng.uniform(4, 50)).replace(second=0, microsecond=0)
        program = item.program
        if program in ("", choices.Program.NOT_SURE):
            program = self.pick(
                {p: w for p, w in PROGRAMS.items() if p != choices.Program.NOT_SURE}
            )
        item.appointment_at, item.appointment_program = at, program
        item.appointment_virtual = program == choices.Program.VIRTUAL or rng.random() < 0.15
        item.appointment_place = "" if item.appointment_virtual else rng.choice(PLACES)
        item.status, item.follow_up_on = HelpRequest.Status.SCHEDULED, self._day(at)
        item.updated_at = max(item.updated_at, min(booked, self.now))
        if at + timedelta(days=1) > self.now:
            return
        if rng.random() < 0.78:
            self._finish(item, HelpRequest.Status.CLOSED, at,
                         close_reason=choices.CloseReason.STARTED_CARE)  # fmt: skip
        else:  # did not come, and did not answer after
            self._finish(item, HelpRequest.Status.CLOSED, at + timedelta(days=7),
                         close_reason=choices.CloseReason.NO_RESPONSE)  # fmt: skip

    def _finish(self, item: HelpRequest, status: str, at: datetime, **details) -> None:
        at = min(at, self.now)
        item.status, item.closed_at, item.follow_up_on = status, at, None
        item.updated_at = max(item.updated_at, at)
        for field, value in details.items():
            setattr(item, field, value)

    def _day(self, moment: datetime) -> date:
        return timezone.localtime(moment).date()
