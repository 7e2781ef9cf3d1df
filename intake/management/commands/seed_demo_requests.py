"""Fill the database with realistic, fake requests for demos and the staff-queue benchmark."""

import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake.forms import US_STATE_CHOICES
from intake.hours import response_due
from intake.models import HelpRequest

BATCH = 5_000
# Numbers from several areas, so a search by area code and exchange ("415 555") finds a few
# requests, not every one.
AREA_CODES = (207, 603, 802, 617, 202, 212, 305, 312, 415, 713)


class Command(BaseCommand):
    """`manage.py seed_demo_requests 100000`: fake people only (Faker); never in production."""

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
        rng = random.Random(seed)
        now = timezone.now()
        statuses = [s for s, _ in HelpRequest.Status.choices]
        weights = [30, 10, 15, 8, 4, 4, 25, 4]
        made = 0
        used = set(HelpRequest.objects.values_list("reference", flat=True))

        def unique_reference(kind):
            # Random references collide now and then (as the form's service retries).
            while (reference := HelpRequest.new_reference(kind)) in used:
                pass
            used.add(reference)
            return reference

        while made < count:
            batch = []
            for _ in range(min(BATCH, count - made)):
                kind = rng.choice(list(HelpRequest.Kind))
                created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                status = rng.choices(statuses, weights)[0]
                urgent = rng.random() < 0.03
                consultation = kind == HelpRequest.Kind.CONSULTATION
                batch.append(
                    HelpRequest(
                        kind=kind,
                        reference=unique_reference(kind),
                        status=status,
                        spam=status == HelpRequest.Status.SPAM,
                        urgent=urgent,
                        name=fake.name(),
                        email=fake.email() if rng.random() < 0.8 else "",
                        phone=f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}"
                        f"{rng.randint(0, 9999):04d}",
                        message=fake.paragraph() if rng.random() < 0.7 else "",
                        preferred_contact=rng.choice(["call", "text", "email"])
                        if consultation
                        else "",
                        contact_window=rng.choice(["anytime", "morning", "evening"])
                        if consultation
                        else "",
                        program=rng.choice(list(HelpRequest.Program)) if consultation else "",
                        insurance=rng.choice(list(HelpRequest.Insurance)) if consultation else "",
                        state=rng.choice(US_STATE_CHOICES)[0] if consultation else "",
                        voicemail_ok=rng.random() < 0.5 if consultation else None,
                        consent_contact=True,
                        submission_key=uuid.uuid4(),
                        created_at=created,
                        respond_by=response_due(created, urgent=urgent),
                        spam_marked_at=created if status == HelpRequest.Status.SPAM else None,
                        closed_at=created + timedelta(days=3)
                        if status in HelpRequest.FINISHED_STATUSES
                        else None,
                        notification=HelpRequest.Notification.SENT,
                    )
                )
            for item in batch:  # bulk_create skips save(), which sets this
                item.program_index = HelpRequest.program_index_for(item.program)
            HelpRequest.objects.bulk_create(batch, batch_size=BATCH)
            made += len(batch)
        self.stdout.write(f"Added {made} fake requests.")
