"""The production path: compose file, Dockerfile and documented configuration."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_runs_the_web_service_after_a_healthy_postgres_with_a_named_volume():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())

    db, web = compose["services"]["db"], compose["services"]["web"]
    assert "healthcheck" in db
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "migrate" in web["command"]


def test_compose_runs_postgresql_18_with_its_data_in_the_named_volume():
    db = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["db"]

    assert db["image"] == "postgres:18"
    # 18's image keeps its data in /var/lib/postgresql/18/docker; a volume on the old
    # /var/lib/postgresql/data would hold nothing and the data would be lost with the container.
    assert db["volumes"] == ["postgresql:/var/lib/postgresql"]


def test_compose_runs_several_web_replicas_behind_a_proxy_and_a_worker():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())

    services = compose["services"]
    assert "WEB_REPLICAS" in str(services["web"]["deploy"]["replicas"])
    assert "ports" not in services["web"]  # reached only through the proxy
    proxy_config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass http://web" in proxy_config
    assert "X-Forwarded-Proto" in proxy_config
    assert "db_worker" in services["worker"]["command"]


@pytest.mark.skipif(
    not shutil.which("docker")
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="the docker compose client is not installed here",
)
def test_docker_compose_parses_the_compose_file():
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"],
        cwd=ROOT,
        env={"POSTGRES_PASSWORD": "example", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("#") and "FROM python:3.12-slim" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert "--no-control-socket" in dockerfile and "WEB_CONCURRENCY" in dockerfile
    # Dependencies are installed before the source is copied, so they cache as a layer.
    assert dockerfile.index("pip install") < dockerfile.index("COPY --chown")


def test_every_environment_variable_the_settings_read_is_documented():
    settings_source = (ROOT / "recovery_site" / "settings.py").read_text()
    names = set(
        re.findall(
            r'(?:os\.environ\.get|env_bool|env_int|env_list|env_required)\(\s*"([A-Z_0-9]+)"',
            settings_source,
        )
    )
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()

    assert len(names) > 20
    undocumented = sorted(n for n in names if f"{n}=" not in example or n not in readme)
    assert undocumented == []
