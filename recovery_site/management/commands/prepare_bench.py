"""Get a database ready for the benchmarks, and say what is in it (like bakerydemo's
load_initial_data: a real command with options, so the bench scripts hold no Django code).

    manage.py prepare_bench --rows 100000 --staff-session --tokens-file .data/bench-tokens.txt

`make bench` (scripts/bench.py) and scripts/bench_queue.py call it, then measure. Its last
line on stdout is JSON: how many requests there are, how many submission keys are shared by
more than one (should be none), and the staff session key and tokens file when asked for.
"""

import json
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core import signing
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count

from intake.models import HelpRequest
from intake.spam import TOKEN_SALT
from recovery_site import roles

BENCH_USERNAME = "bench"
# Signed as if the form had been shown a minute ago: well past the minimum time on the page.
TOKEN_AGE_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Prepare a benchmark database: fake requests, a signed-in intake coordinator and "
        "consultation form tokens; print a JSON summary. Refused with production settings "
        "unless --allow-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows",
            type=int,
            default=0,
            help="Add fake requests until there are this many (then ANALYZE the table).",
        )
        parser.add_argument(
            "--staff-session",
            action="store_true",
            help=f"Sign in the intake coordinator {BENCH_USERNAME!r}; print the session key.",
        )
        parser.add_argument(
            "--tokens-file",
            type=Path,
            help="Write consultation form tokens to this file, one a line, for wrk's POSTs.",
        )
        parser.add_argument("--tokens", type=int, default=60_000, help="How many tokens.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with production settings: only ever on a database made for benchmarks "
            "(fake requests are refused there all the same, by seed_demo_requests).",
        )

    def handle(self, *args, rows, staff_session, tokens_file, tokens, allow_production, **options):
        # A staff session is a key to the request queue: never made on a real site by accident.
        if settings.DJANGO_ENV == "production" and not settings.DEBUG and not allow_production:
            raise CommandError(
                "prepare_bench signs a staff member in and adds fake data: refused with "
                "production settings. Run it on a benchmark database with "
                "DJANGO_ENV=development, or pass --allow-production if this one is."
            )
        # Progress goes to stderr, uncoloured (it is not an error), so stdout is the JSON.
        self.stderr.style_func = None
        summary = {}
        if rows:
            seed_up_to(rows, stdout=self.stderr)
        if staff_session:
            summary["staff_session"] = coordinator_session_key()
        if tokens_file:
            write_form_tokens(tokens_file, count=tokens)
            summary["tokens_file"] = str(tokens_file)
        summary["requests"] = HelpRequest.objects.count()
        summary["duplicate_submissions"] = (
            HelpRequest.objects.values("submission_key")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        self.stdout.write(json.dumps(summary))


def seed_up_to(rows: int, *, stdout) -> None:
    missing = rows - HelpRequest.objects.count()
    if missing <= 0:
        return
    stdout.write(f"Seeding {missing} fake requests ...")
    # A seed per top-up, so a second one adds other fake people, not the same ones again.
    call_command("seed_demo_requests", missing, seed=missing, stdout=stdout)
    # Fresh statistics, or the planner judges 100,000 rows by the empty table's; and the
    # visibility map, as autovacuum keeps it on a live site, so index-only scans (the
    # Reports page's) do not fall back to the table.
    # (VACUUM cannot run inside a transaction, as in the tests: there, ANALYZE only.)
    vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{vacuum} {HelpRequest._meta.db_table}")


def coordinator_session_key() -> str:
    """A database session signed in as the bench coordinator, as the login view leaves it."""
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME, defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def write_form_tokens(path: Path, *, count: int) -> None:
    """Tokens as the consultation page issues them, each with its own submission key."""
    shown_at = time.time() - TOKEN_AGE_SECONDS
    with path.open("w") as tokens:
        for _ in range(count):
            payload = {"at": shown_at, "key": str(uuid.uuid4())}
            tokens.write(signing.dumps(payload, salt=TOKEN_SALT) + "\n")
