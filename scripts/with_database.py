"""Run a command against PostgreSQL: DATABASE_URL when set, else an embedded server.

    python scripts/with_database.py NAME -- COMMAND [ARGS...]

Without DATABASE_URL this starts PostgreSQL 16 from the `pgserver` package with its data
in `.data/NAME/`, creates the `clinic` database, exports DATABASE_URL to COMMAND, and stops
the server cleanly when COMMAND ends (Ctrl-C included). An exclusive lock on
`.data/NAME.lock` makes a second concurrent run fail at once with a clear message instead
of sharing the data directory; a crashed run leaves no lock behind (the kernel drops it),
and PostgreSQL recovers its own data directory on the next start.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DATABASE_NAME = "clinic"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, command = argv[0], argv[2:]

    if os.environ.get("DATABASE_URL"):
        return run(command, os.environ.copy())

    DATA.mkdir(exist_ok=True)
    lock_file = (DATA / f"{name}.lock").open("w")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(
            f"Another run is already using the embedded database in .data/{name}/.\n"
            "Stop it first (Ctrl-C in its terminal), or set DATABASE_URL to use another "
            "PostgreSQL server.",
            file=sys.stderr,
        )
        return 1

    # platformdirs (used by pgserver) warns without a runtime dir; a private one is fine.
    runtime = DATA / "runtime"
    runtime.mkdir(exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))

    import pgserver  # imported late: only needed when no DATABASE_URL is given

    # pgserver stops the server when its last user exits, counting users in this file; a
    # run that crashed left its process id there. We hold the lock: no other user exists.
    (DATA / name / ".handle_pids.json").unlink(missing_ok=True)
    print(f"Starting embedded PostgreSQL in .data/{name}/ ...", file=sys.stderr, flush=True)
    server = pgserver.get_server(DATA / name, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        env = os.environ.copy()
        env["DATABASE_URL"] = server.get_uri(DATABASE_NAME).replace(
            "postgresql://", "postgres://", 1
        )
        return run(command, env)
    finally:
        # Quietly: the command's own last line (pytest's summary) stays the last one.
        server.cleanup()


def run(command: list[str], env: dict[str, str]) -> int:
    """Run COMMAND to completion; Ctrl-C reaches it directly, and we wait for it to end."""
    process = subprocess.Popen(command, env=env)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    forward = lambda signum, frame: process.send_signal(signum)  # noqa: E731
    # A closed terminal (SIGHUP) or a kill (SIGTERM) ends the command, then the database.
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        return process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
