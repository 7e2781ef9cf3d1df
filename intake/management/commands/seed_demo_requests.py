"""Fill the database with realistic, fake requests for demos and the staff-queue benchmark."""

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from intake.demo import WEEKS, DemoClinic
from intake.models import ContactAttempt, HelpRequest
from recovery_site import roles

BATCH = 5_000
COORDINATORS = ("avery.demo", "jordan.demo", "sam.demo", "riley.demo")


class Command(BaseCommand):
    """`manage.py seed_demo_requests 100000`: fake people only (Faker); never in production.

    Requests arrive over the last 26 weeks; demo coordinators have tried to reach them and
    logged how each request ended, so the queue and the Reports page look like a clinic's.
    """

    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count, seed, **options):
        if settings.DJANGO_ENV == "production" and not settings.DEBUG:
            raise CommandError("Refusing to add fake requests to a production database.")
        from faker import Faker  # a development dependency (comes with factory_boy)

        # Some Spanish names, with their accents, for staff search to find without them.
        fake = Faker(["en_US", "es_MX"])
        Faker.seed(seed)
        clinic = DemoClinic(
            rng=random.Random(seed),
            fake=fake,
            now=timezone.now(),
            staff=demo_coordinators(),
            used=set(HelpRequest.objects.values_list("reference", flat=True)),
        )
        made = tried = 0
        while made < count:
            requests, attempts = [], []
            for _ in range(min(BATCH, count - made)):
                item, tries = clinic.request()
                requests.append(item)
                attempts.extend(tries)
            # A batch's requests and their attempts are stored together, or not at all.
            with transaction.atomic():
                HelpRequest.objects.bulk_create(requests, batch_size=BATCH)
                ContactAttempt.objects.bulk_create(attempts, batch_size=BATCH)
            made += len(requests)
            tried += len(attempts)
        self.stdout.write(
            f"Added {made} fake requests over the last {WEEKS} weeks, "
            f"with {tried} contact attempts."
        )


def demo_coordinators() -> list:
    """Fake intake coordinators who log the attempts (made once, reused; no password)."""
    group = Group.objects.filter(name=roles.COORDINATORS).first()
    staff = []
    for username in COORDINATORS:
        user, made = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "first_name": username[:-5].title()}
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            if group:
                user.groups.add(group)
        staff.append(user)
    return staff
