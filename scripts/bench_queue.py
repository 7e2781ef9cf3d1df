"""Time the staff queue and its search on a large table (default 100,000 requests).

    DJANGO_ENV=development DEBUG=false python scripts/with_database.py postgres-bench -- \
        python scripts/bench_queue.py [ROWS]

Prints the median and 95th percentile of server-side time per page, and the query count.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from intake.models import HelpRequest  # noqa: E402
from recovery_site import roles  # noqa: E402

RUNS = 30


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    missing = rows - HelpRequest.objects.count()
    if missing > 0:
        print(f"Seeding {missing} fake requests ...", flush=True)
        call_command("seed_demo_requests", missing, seed=missing)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE intake_helprequest")
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-coordinator", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client = Client()
    client.force_login(user)
    sample = HelpRequest.objects.order_by("?").first()
    pages = {
        "queue (open, oldest first)": "/admin/intake/helprequest/",
        "queue page 20": "/admin/intake/helprequest/?p=20",
        "overdue filter": "/admin/intake/helprequest/?overdue=yes",
        "search name": f"/admin/intake/helprequest/?q={sample.name.split()[-1]}&status=all",
        "search email": f"/admin/intake/helprequest/?q={sample.email or 'a@'}&status=all",
        "search phone (other format)": "/admin/intake/helprequest/?q="
        + f"({sample.phone[2:5]}) {sample.phone[5:8]}-{sample.phone[8:]}&status=all",
        "search reference": f"/admin/intake/helprequest/?q={sample.reference}&status=all",
    }
    print(f"{HelpRequest.objects.count()} requests; {RUNS} runs each after 3 warm-ups")
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(RUNS):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{label:32} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
