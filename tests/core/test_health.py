"""/healthz and `manage.py healthcheck`: 200 when the database and the broker answer, 503 naming
the one that does not."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from advocacy_portal.celery import app as celery_app
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_answers_503_naming_the_broker_when_it_is_down(client, monkeypatch):
    # Port 9 (discard) on loopback has no Redis: a real connection refusal, not a patched function.
    # Celery prefers the CELERY_BROKER_URL environment variable over its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False


def test_it_reports_the_last_worker_heartbeat(client):
    call_command("shell", "-c", "from core.tasks import heartbeat; heartbeat.delay()")
    assert client.get("/healthz").json()["worker_last_seen"] is not None


def test_healthcheck_command_exits_1_naming_the_database_when_it_is_down(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "healthcheck"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["down"] == ["database"]
    assert "unhealthy: database" in result.stderr


PROBE_WITH_SESSION_COOKIE = """
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-probe-must-not-load"
response = client.get("/healthz", HTTP_HOST="127.0.0.1")
print(response.status_code)
"""


def test_healthz_answers_503_not_500_with_a_session_cookie_while_the_database_is_down(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": str(tmp_path),
        "SECURE_SSL_REDIRECT": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE_WITH_SESSION_COOKIE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr[-2000:]
