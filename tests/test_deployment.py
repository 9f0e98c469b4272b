"""The production configuration: Django's deployment checks and the compose file."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2v!p9RzL0dT4wKc8sYbN1eHjF6uA3gVoX5iPq-ZrM_tWlEy",
    "ALLOWED_HOSTS": "reps.example.scot",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://reps.example.scot",
    "SUPPORT_EMAIL": "rep-portal@example.scot",
}
# Set by the browser tests for their own process only; never part of a deployment.
TEST_ONLY = {"DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def checked(*options: str, **settings: str) -> subprocess.CompletedProcess:
    """`manage.py check` in a process of its own, with production settings and `settings`."""
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update({**PRODUCTION_ENV, **settings})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = checked("--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = checked(SECRET_KEY="")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("threshold", "starts"), [("4", False), ("2", False), ("5", True), ("10", True)]
)
def test_the_suppression_threshold_may_be_raised_never_lowered(threshold, starts):
    result = checked(SUPPRESSION_THRESHOLD=threshold)
    assert (result.returncode == 0) is starts, result.stderr[-500:]
    if not starts:
        assert "may be raised from 5, never lowered" in result.stderr


def test_hsts_is_sent_on_secure_responses(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accessibility/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


# `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`, `${NAME:+other}`.
INTERPOLATION = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}")


def compose_client() -> str | None:
    """The docker-compose client, where the machine has it (CI installs it)."""
    return shutil.which("docker-compose")


def run_compose(*args: str, check: bool) -> subprocess.CompletedProcess:
    return subprocess.run(
        [compose_client(), "-f", str(ROOT / "docker-compose.yml"), *args],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check", "ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        check=check,
    )


def read_compose_file() -> dict:
    text = (ROOT / "docker-compose.yml").read_text()
    assert text.count("${") == len(INTERPOLATION.findall(text)), "a ${...} that is not closed"
    return yaml.safe_load(text)


def test_compose_file_is_valid():
    """Checked by the docker-compose client where there is one; without it, against the parts of
    the Compose format the file uses, so that the test command passes on any machine."""
    if compose_client() is not None:
        result = run_compose("config", "-q", check=False)
        assert result.returncode == 0, result.stderr
        return
    config = read_compose_file()
    services = config["services"]
    volumes = set(config.get("volumes") or {})
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        assert set(service.get("depends_on", {})) <= set(services), name
        assert isinstance(service.get("environment", {}), dict), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith(("/", ".")) or source in volumes, (name, volume)
        for value in map(str, service.get("environment", {}).values()):
            for expression in re.findall(r"\$\{[^}]*\}", value):
                assert INTERPOLATION.fullmatch(expression), (name, expression)


def test_compose_runs_web_worker_scheduler_and_postgres():
    if compose_client() is not None:
        services = set(run_compose("config", "--services", check=True).stdout.split())
    else:
        services = set(read_compose_file()["services"])
    assert services == {"db", "web", "worker", "scheduler"}


def test_the_scheduler_runs_the_jobs_that_go_by_the_clock():
    command = read_compose_file()["services"]["scheduler"]["command"]
    for job in ("recover_stuck_summaries", "send_reminders", "anonymise_personal_data"):
        assert f"python manage.py {job}" in command
        assert job in get_commands(), job
    assert "sleep 300" in command
