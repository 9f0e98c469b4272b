"""The production configuration: Django's deployment checks and the compose file."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2v!p9RzL0dT4wKc8sYbN1eHjF6uA3gVoX5iPq-ZrM_tWlEy",
    "ALLOWED_HOSTS": "reps.example.scot",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "EMAIL_HOST": "smtp.example.org",
}
# Set by the browser tests for their own process only; never part of a deployment.
TEST_ONLY = {"DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_reports_nothing_with_production_settings():
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update({**PRODUCTION_ENV, "SECRET_KEY": ""})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_hsts_is_sent_on_secure_responses(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accessibility/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


def test_compose_file_is_valid():
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail(
            "docker-compose is needed to check docker-compose.yml (apt-get install docker-compose)"
        )
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check", "ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_web_worker_and_postgres():
    compose = shutil.which("docker-compose") or pytest.fail("docker-compose is needed")
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check", "ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert set(result.stdout.split()) == {"db", "web", "worker"}
