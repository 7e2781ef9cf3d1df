"""factory_boy factories for test data."""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone


class UserFactory(factory.django.DjangoModelFactory):
    """A member of clinic staff who can sign in to the admin."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.test")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class SuperuserFactory(UserFactory):
    """An administrator."""

    is_superuser = True


class TopicFactory(factory.django.DjangoModelFactory):
    """A group of guides."""

    class Meta:
        model = "education.Topic"
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "Guides on one theme."


class ReviewerFactory(factory.django.DjangoModelFactory):
    """A clinician who reviews guides."""

    class Meta:
        model = "education.Reviewer"
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"reviewer-{n}")
    name = factory.Sequence(lambda n: f"Jordan Reyes {n}")
    credentials = "MD"
    specialty = "addiction medicine"


class GuideFactory(factory.django.DjangoModelFactory):
    """A published guide with two sections."""

    class Meta:
        model = "education.Guide"

    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"Guide number {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "What this guide answers, in one sentence."
    body_markdown = (
        "An opening paragraph.\n\n## What it is\n\nSome plain words.\n\n"
        "## Where to get help\n\nMore plain words.\n"
    )
    status = "published"
    reviewed_on = datetime.date(2026, 11, 1)
    reviewer = factory.SubFactory(ReviewerFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    """A publication a guide cites."""

    class Meta:
        model = "education.Source"

    guide = factory.SubFactory(GuideFactory)
    title = "Heroin DrugFacts"
    publisher = "National Institute on Drug Abuse (NIDA)"
    url = "https://nida.nih.gov/publications/drugfacts/heroin"
    read_on = datetime.date(2026, 11, 1)


def user_in_role(role: str, **kwargs):
    """A staff member in one of the roles the data migration creates."""
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A consultation request as a visitor would have sent it."""

    class Meta:
        model = "intake.HelpRequest"

    kind = "consultation"
    name = factory.Faker("name")
    email = factory.Faker("email")
    phone = factory.Sequence(lambda n: f"+1202555{n % 10000:04d}")
    preferred_contact = "call"
    contact_window = "evening"
    voicemail_ok = False
    who_needs_help = "me"
    substances = factory.LazyFunction(lambda: ["heroin"])
    program = "detox"
    insurance = "private"
    state = "ME"
    consent_contact = True
    submission_key = factory.LazyFunction(uuid.uuid4)
    # Spam made here was marked when it arrived, as the bot checks mark it.
    spam = False
    created_at = factory.LazyFunction(timezone.now)
    spam_marked_at = factory.LazyAttribute(lambda o: o.created_at if o.spam else None)
