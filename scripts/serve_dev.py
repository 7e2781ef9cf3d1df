"""What `make run` serves: migrate, load the guides, then the web server and the task worker.

Both processes run until Ctrl-C (or either one exits); then both are stopped.
"""

import os
import signal
import subprocess
import sys

MANAGE = [sys.executable, "manage.py"]


def main() -> int:
    port = os.environ.get("PORT", "8000")
    # Links in notification emails point at this server.
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    steps = (["migrate", "--noinput"], ["createcachetable"], ["load_guides"], ["create_dev_admin"],
             # The weekly review reminder: queued once, then each run queues the next.
             ["queue_review_reminders"])  # fmt: skip
    for step in steps:
        subprocess.run([*MANAGE, *step], check=True)
    worker = subprocess.Popen([*MANAGE, "db_worker", "--interval", "1"])
    web = subprocess.Popen([*MANAGE, "runserver", f"127.0.0.1:{port}"])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches both children directly.
    signal.signal(signal.SIGTERM, lambda *_: web.terminate())
    try:
        code = web.wait()
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.terminate()
        for process in (web, worker):
            process.wait(timeout=20)
    return code


if __name__ == "__main__":
    sys.exit(main())
