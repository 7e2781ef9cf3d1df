"""Faults while serving: a web process killed in the middle of storing a request."""

import os
import signal
import textwrap
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from intake.models import HelpRequest
from recovery_site.backup import connection_uri
from tests.helpers import form_token
from tests.servers import Browser, start_gunicorn, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# Loaded by gunicorn in its worker once the app is loaded: the request is written, then it stalls
# before the transaction commits, long enough to be killed there.
STALL_AFTER_INSERT = textwrap.dedent(
    """
    def post_worker_init(worker):
        import os, time
        from intake.services import submissions
        real_create = submissions.help_request_create.__wrapped__

        def stalled(**kwargs):
            help_request = real_create(**kwargs)
            open(os.environ["STALLED_FLAG"], "w").write(str(os.getpid()))
            time.sleep(30)
            return help_request

        import intake.views
        intake.views.help_request_create = submissions.transaction.atomic(stalled)
    """
)


def test_a_worker_killed_mid_submission_leaves_no_half_written_request(tmp_path):
    config = tmp_path / "stall.py"
    config.write_text(STALL_AFTER_INSERT)
    flag = tmp_path / "stalled"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": connection_uri(connection.settings_dict["NAME"]),
        "STALLED_FLAG": str(flag),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server, base = start_gunicorn(env, "--timeout", "60", "--config", str(config))
    try:
        wait_for(f"{base}/healthz")
        visitor = Browser()
        outcome = {}

        def send():
            fields = {"name": "Sam", "email": "sam@example.com", "message": "Help",
                      "form_token": form_token()}  # fmt: skip
            try:
                outcome["status"] = visitor.post(f"{base}/contact/", fields)[0]
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                outcome["error"] = type(error).__name__

        sender = threading.Thread(target=send)
        sender.start()
        for _ in range(100):
            if flag.exists():
                break
            time.sleep(0.1)
        assert flag.exists(), f"the request never reached the database: {outcome}"
        os.kill(int(flag.read_text()), signal.SIGKILL)
        sender.join(timeout=30)

        assert outcome.get("status") != 302  # the visitor was never told it was sent
        assert not HelpRequest.objects.exists()  # and nothing half-written remains
    finally:
        server.terminate()
        server.wait(timeout=10)
