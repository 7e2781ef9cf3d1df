"""nginx for `make bench` (scripts/bench.py), and the memory of gunicorn's workers.

Two nginx servers, each from a config under a temporary folder, never a system service:
- the static reference: nginx serving the saved bytes of the guide from disk, the most this
  machine serves that page at;
- the shipped proxy: deploy/nginx.conf (its microcache included) in front of our gunicorn,
  with only what differs on this machine replaced. tests/test_nginx.py runs it the same way.
"""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The main configuration around a site file, shaped like the official nginx image's own.
MAIN = """\
{user}pid {dir}/nginx.pid;
error_log {dir}/main-error.log crit;
worker_processes auto;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include site.conf;
}}
"""

STATIC_SITE = """\
server {{
    listen 127.0.0.1:{port};
    server_tokens off;
    root {folder};
    location / {{
        default_type "text/html; charset=utf-8";
        try_files /{name} =404;
    }}
}}
"""


def find_nginx() -> str | None:
    """An nginx binary, installed the way the proxy test installs it if missing."""
    subprocess.run([str(ROOT / "scripts" / "install_nginx.sh")], check=False)
    for path in (os.environ.get("NGINX_PATH"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if path and os.access(path, os.X_OK):
            return path
    return None


def shipped_site(*, app_port: int, port: int, directory: Path, balancers: str = "") -> str:
    """deploy/nginx.conf with only what differs on this machine replaced, each as expected:
    the upstream, the port, the logs and the microcache's folder under `directory`, and the
    load balancers' file (`balancers`, or the shipped one) beside it."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new, count in [
        ("server web:8000;", f"server 127.0.0.1:{app_port};", 1),
        ("listen 8080;", f"listen 127.0.0.1:{port};", 1),
        ("/var/log/nginx/", f"{directory}/", 2),
        ("/var/cache/nginx/clinic", f"{directory}/cache", 1),
    ]:
        if site.count(old) != count:
            raise AssertionError(f"deploy/nginx.conf no longer has {old!r} {count}x")
        site = site.replace(old, new)
    clinic = directory / "clinic"
    clinic.mkdir(exist_ok=True)
    shipped = (ROOT / "deploy" / "load-balancers.conf").read_text()
    (clinic / "load-balancers.conf").write_text(balancers or shipped)
    return site


def static_site(*, port: int, page: Path) -> str:
    """nginx answering every address with the bytes of `page`, as bare Django does."""
    return STATIC_SITE.format(port=port, folder=page.parent, name=page.name)


def start_nginx(binary: str, directory: Path, site: str) -> subprocess.Popen:
    """nginx in the foreground with `site` as its conf.d file; its pid, logs and temporary
    files in `directory`. Refuses a bad config."""
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    # As root, nginx would run its workers as nobody, who may not enter the folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(MAIN.format(user=user, dir=directory))
    command = [binary, "-p", f"{directory}/", "-c", str(main), "-e", str(directory / "startup.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(checked.stderr)
    return subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL)


def workers_rss_mb(master: int) -> list[int]:
    """The resident memory, in MB, of each worker of the gunicorn whose master is `master`."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if not children.exists():
        return []
    sizes = []
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status")
        for line in status.read_text().splitlines() if status.exists() else []:
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024))
    return sorted(sizes)
