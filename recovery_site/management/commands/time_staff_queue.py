"""Time the staff queue and its search inside Django, with a session from prepare_bench.

In-process (Django's test client), so the figures are the server's own time per page and
the number of queries, with no network in between. scripts/bench_queue.py calls it.
"""

import statistics
import time
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from intake.models import HelpRequest

QUEUE = "/admin/intake/helprequest/"
REPORTS = f"{QUEUE}reports/"


class Command(BaseCommand):
    help = "Print the median and 95th percentile time and the query count of each queue page."

    def add_arguments(self, parser):
        parser.add_argument("--session", required=True, help="A staff session key.")
        parser.add_argument("--runs", type=int, default=30, help="Timed runs per page.")
        parser.add_argument("--warm-ups", type=int, default=3, help="Untimed runs first.")

    def handle(self, *args, session, runs, warm_ups, **options):
        sample = HelpRequest.objects.order_by("?").first()
        if sample is None:
            raise CommandError("No requests to search: run prepare_bench --rows first.")
        # A name with an accent, searched without it (seed_demo_requests adds some).
        accented = HelpRequest.objects.filter(name__regex=r"[À-ÿ]").order_by("?").first() or sample
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        phone = str(sample.phone)  # E.164: +1 and ten digits
        # A search looks through every status, as staff type it.
        searches = {
            # One word of a name, as "ortiz" for "Ana Ortiz-Reyes".
            "search name part": max(sample.name.split(), key=len).lower(),
            "search name without accents": without_accents(accented.name),
            "search reference, no prefix": sample.reference[3:].lower(),
            "search phone run (area+exch.)": f"{phone[2:5]} {phone[5:8]}",
            "search phone (other format)": f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
            "search email": sample.email or "a@",
        }
        today = timezone.localdate()
        year_ago = today - timedelta(days=365)
        pages = {
            "queue (open, oldest first)": QUEUE,
            "queue page 20": f"{QUEUE}?p=20",
            "overdue filter": f"{QUEUE}?overdue=yes",
            **{label: f"{QUEUE}?{urlencode({'q': typed})}" for label, typed in searches.items()},
            # The Reports page: its default 12 weeks, and a year (every row seeded).
            "reports (last 12 weeks)": REPORTS,
            "reports (a year)": f"{REPORTS}?start={year_ago:%Y-%m-%d}&end={today:%Y-%m-%d}",
        }
        self.stdout.write(
            f"{HelpRequest.objects.count()} requests; {runs} runs each after {warm_ups} warm-ups"
        )
        self.stdout.write(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, url in pages.items():
            for _ in range(warm_ups):
                self.get(client, url)
            timings = []
            for _ in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    self.get(client, url)
                    timings.append((time.perf_counter() - start) * 1000)
            p95 = statistics.quantiles(timings, n=20)[-1] if runs > 1 else timings[0]
            self.stdout.write(
                f"{label:32} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d}"
            )

    def get(self, client: Client, url: str) -> None:
        status = client.get(url).status_code
        # A redirect to the login page would be timed as if it were the queue.
        if status != 200:
            raise CommandError(f"{url} answered {status}, not 200: is the session signed in?")


def without_accents(text: str) -> str:
    """As staff type a name they heard: "María Fernández" → "Maria Fernandez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
