"""Re-encrypt every request's protected fields with the newest key (after a rotation)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from intake.models import HelpRequest

ENCRYPTED = [
    "message", "substances", "program", "insurance", "insurance_provider", "heard_about",
    "heard_about_other", "appointment_program", "referral_reason",
]  # fmt: skip
BATCH = 500


class Command(BaseCommand):
    """Put the new key first in FIELD_ENCRYPTION_KEYS, keep the old ones, run this, then
    remove the old keys."""

    help = __doc__

    def handle(self, *args, **options):
        done = 0
        ids = list(HelpRequest.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                batch = list(
                    HelpRequest.objects.select_for_update()
                    .filter(pk__in=ids[start : start + BATCH])
                    .only("pk", *ENCRYPTED)
                )
                for help_request in batch:
                    # Reading decrypted with whichever key fits; saving encrypts anew.
                    help_request.program_index = HelpRequest.program_index_for(help_request.program)
                    help_request.heard_about_index = HelpRequest.program_index_for(
                        help_request.heard_about
                    )
                indexes = ["program_index", "heard_about_index"]
                HelpRequest.objects.bulk_update(batch, [*ENCRYPTED, *indexes])
            done += len(batch)
        self.stdout.write(f"Re-encrypted {done} request(s) with the newest key.")
