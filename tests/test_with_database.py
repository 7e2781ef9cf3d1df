"""What `make run` and `make test` promise about the embedded PostgreSQL they start.

Each test runs a copy of scripts/with_database.py from a scratch project folder, so its
`.data/` is the test's own and never the developer's.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.servers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def project():
    # Not in tmp_path: a pytest session starting anywhere on this machine makes pytest's
    # folder private again, and under root the server runs as its own user, locked out.
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / "scripts").mkdir()
        shutil.copy(ROOT / "scripts" / "with_database.py", project / "scripts")
        (project / ".data").mkdir()
        yield project


def with_database(project, *command):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "scripts/with_database.py", "postgres", "--", *command],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_fresh_clone_gets_postgresql_18_with_trigram_and_unaccent(project):
    sql = (
        "SHOW server_version_num; CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent; "
        "SELECT unaccent('María'), similarity('withdrawl', 'withdrawal') > 0.5;"
    )

    result = with_database(project, "sh", "-c", f'psql "$DATABASE_URL" -tA -c "{sql}"')

    assert result.returncode == 0, result.stderr
    version, *_, answer = result.stdout.splitlines()
    assert version.startswith("18")
    assert answer == "Maria|t"
    assert (project / ".data" / "postgres" / "PG_VERSION").read_text().strip() == "18"
    assert not (project / ".data" / "postgres" / "postmaster.pid").exists()  # stopped


def test_a_postgresql_16_data_directory_is_refused_with_the_commands_to_carry_it_over(project):
    old = project / ".data" / "postgres"
    old.mkdir()
    (old / "PG_VERSION").write_text("16\n")

    result = with_database(project, "touch", "ran")

    assert result.returncode == 1
    assert ".data/postgres/ holds a PostgreSQL 16 database" in result.stderr
    assert "mv .data/postgres .data/postgres-pg16" in result.stderr  # move it aside
    assert "pip install pgserver==0.1.4" in result.stderr  # or dump with the old server
    assert "--file=.data/postgres-pg16.dump" in result.stderr
    assert "pg_restore --no-owner" in result.stderr  # and load it into the new one
    assert not (project / "ran").exists()
    assert os.listdir(old) == ["PG_VERSION"]  # left exactly as it was


def test_a_second_concurrent_run_stops_at_once_with_a_clear_message(project):
    with (project / ".data" / "postgres.lock").open("w") as first_run:
        fcntl.flock(first_run, fcntl.LOCK_EX)

        result = with_database(project, "touch", "ran")

    assert result.returncode == 1
    assert "Another run is already using the embedded database in .data/postgres/" in (
        result.stderr
    )
    assert not (project / "ran").exists()


def test_after_a_reboot_a_stale_process_id_does_not_stop_the_next_run(project):
    assert with_database(project, "true").returncode == 0
    pgdata = project / ".data" / "postgres"
    # What a power cut leaves: a pid file naming a process that is not the server (after
    # a reboot the number may belong to any program; this test's own process will do).
    lines = ["{pid}", str(pgdata), "1700000000", "5432", str(pgdata), "", "0 0", "ready"]
    (pgdata / "postmaster.pid").write_text("\n".join(lines).format(pid=os.getpid()) + "\n")

    result = with_database(project, "sh", "-c", 'psql "$DATABASE_URL" -tAc "SELECT 1"')

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
