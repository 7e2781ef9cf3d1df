"""Time the staff queue and its search on a large table (default 100,000 requests).

    DJANGO_ENV=development DEBUG=false python scripts/with_database.py postgres-bench -- \
        python scripts/bench_queue.py [ROWS]

Prints the median and 95th percentile of server-side time per page, and the query count.
The work is done by two management commands: `prepare_bench` (the fake requests and a
coordinator's session) and `time_staff_queue` (the timings).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    return result.stdout or ""


def main(rows: int) -> None:
    manage("migrate", "--noinput", "-v0")
    prepared = json.loads(
        manage("prepare_bench", "--rows", str(rows), "--staff-session", capture=True)
        .strip()
        .splitlines()[-1]
    )
    manage("time_staff_queue", "--session", prepared["staff_session"])


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
