"""`make bench`: the production configuration under load on loopback, as a table.

Runs inside scripts/with_database.py (embedded PostgreSQL in .data/postgres-bench, kept
between runs so the 100,000 demo requests are made once). Starts gunicorn with sync
workers, DEBUG off and WhiteNoise, drives each page with wrk for a bounded time, and prints
requests per second, p50/p95/p99 latency and the ratio to a minimal Django page of the
same size served by the same server (the ceiling). The data it needs (the demo requests,
a coordinator's session, signed form tokens) comes from `manage.py prepare_bench`.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))

ENV = {
    **os.environ,
    "DJANGO_ENV": "production",
    "DJANGO_SETTINGS_MODULE": "recovery_site.settings",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SMTP_HOST": "127.0.0.1",
    "INTAKE_NOTIFY_EMAILS": "intake@localhost",
    "FIELD_ENCRYPTION_KEYS": "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMDAwMDA=",
    "FIELD_INDEX_KEY": "bench-only-index-key",
    "SITE_URL": "http://127.0.0.1",
    # Plain HTTP on loopback: no TLS redirect; everything else as in production.
    "BEHIND_TLS_PROXY": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "ADMIN_REQUIRE_2FA": "false",
    "INTAKE_RATE_LIMIT": "100000000",
    "ENABLE_BENCH_CEILING": "true",
    "STATIC_ROOT": str(ROOT / ".data" / "bench-static"),
    "LOG_LEVEL": "WARNING",
}


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def prepare(*options: str) -> dict:
    """Run `manage.py prepare_bench` with `options`; return the summary it prints.

    As development, like any fake data (seed_demo_requests refuses production), against the
    same database and with the same SECRET_KEY and field keys as the server under test.
    """
    result = subprocess.run(
        [PYTHON, "manage.py", "prepare_bench", *options], cwd=ROOT,
        env={**ENV, "DJANGO_ENV": "development"}, check=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


def wrk(url, *, expected, seconds, args=(), cookie="", connections=CONNECTIONS):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "scripts" / "bench.lua")]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += [url, "--", str(expected), *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (Debian) or brew install wrk.")
        return 1
    print("Preparing the production configuration ...", flush=True)
    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("load_guides")
    manage("collectstatic", "--noinput", "-v0")
    tokens_file = ROOT / ".data" / "bench-tokens.txt"
    prepared = prepare("--rows", str(ROWS), "--staff-session", "--tokens-file", str(tokens_file))
    staff_cookie = "sessionid=" + prepared["staff_session"]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "recovery_site.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
         "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        return run_scenarios(base, staff_cookie, tokens_file)
    finally:
        server.terminate()
        server.wait(timeout=20)


def run_scenarios(base: str, staff_cookie: str, tokens_file: Path) -> int:
    _status, page, headers = fetch(f"{base}/consultation/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    guide_size = len(fetch(f"{base}/learn/heroin-withdrawal/")[1])
    queue = "/admin/intake/helprequest/"
    scenarios = [
        ("ceiling (minimal page, same size)", f"/bench/ceiling/?bytes={guide_size}", 200, {}),
        ("home page", "/", 200, {}),
        ("a guide", "/learn/heroin-withdrawal/", 200, {}),
        ("search", "/learn/search/?q=withdrawal", 200, {}),
        ("consultation form (GET)", "/consultation/", 200, {}),
        ("consultation form (POST, valid)", "/consultation/", 302,
         {"args": [str(tokens_file), csrf, csrf_cookie, "2"]}),
        # One staff member working the queue, as the target is stated.
        (f"staff queue ({ROWS:,} requests), 1 user", queue, 200,
         {"cookie": staff_cookie, "connections": 1}),
    ]  # fmt: skip
    for _label, path, expected, options in scenarios:
        got = fetch(base + path, options.get("cookie", ""))[0] if expected == 200 else 200
        if got != 200:
            print(f"{path} answered {got}, not 200: not measuring it.")
            return 1
    results = []
    for label, path, expected, options in scenarios:
        if expected == 302:
            before = prepare()["requests"]
        else:
            wrk(
                base + path,
                expected=expected,
                seconds=2,
                cookie=options.get("cookie", ""),
                connections=options.get("connections", CONNECTIONS),
            )
        result = wrk(base + path, expected=expected, seconds=DURATION, **options)
        if expected == 302:
            time.sleep(2)  # let posts still in flight when the clock stopped finish
            after = prepare()
            result["rows"] = after["requests"] - before
            result["duplicates"] = after["duplicate_submissions"]
        results.append((label, result))
    ceiling = results[0][1]["rps"]
    print()
    print(
        f"{'page':38} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'ratio':>6}  checks"
    )
    for label, r in results:
        checks = f"{r['good']} ok, {r['bad']} unexpected, {r['socket_errors']} socket errors"
        if "rows" in r:
            in_flight = r["rows"] - r["good"]
            checks += (
                f"; {r['rows']} rows for {r['good']} successes (+{in_flight} answered after "
                f"the clock stopped, at most {CONNECTIONS}), {r['duplicates']} duplicates"
            )
        print(f"{label:38} {r['rps']:8.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
              f"{r['rps'] / ceiling:6.2f}  {checks}")  # fmt: skip
    print(f"\n{os.cpu_count()} cores, {WORKERS} gunicorn sync workers, {CONNECTIONS} connections, "
          f"{DURATION} s per page, {time.strftime('%Y-%m-%d')}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
