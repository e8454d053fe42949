"""Settings come from the environment with embedded defaults; the deploy check is clean in production."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 30 + "-a-real-looking-secret-key-9f8e7d6c5b4a3",
    "ALLOWED_HOSTS": "advocacy.example.org",
    "DATABASE_URL": "postgres://advocacy:secret@db.internal:5432/advocacy",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
    "REDIS_URL": "redis://cache.internal:6379/1",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.example.org:587",
}


def clean_env(overrides: dict, tmp_path) -> dict:
    """Only what a shell gives a process, plus the overrides: none of the test suite's defaults."""
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return {**base, **overrides, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "advocacy_portal.settings"}


def _settings_in_subprocess(env_overrides: dict, tmp_path, names: list[str]) -> dict:
    """Import the settings module in a fresh interpreter with only the given environment."""
    env = clean_env(env_overrides, tmp_path)
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {names!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_it_defaults_to_embedded_services_that_need_no_server(tmp_path):
    values = _settings_in_subprocess({}, tmp_path, ["DATABASES", "CELERY_BROKER_URL", "CACHES", "EMAIL_BACKEND"])
    assert "sqlite3" in values["DATABASES"] and str(tmp_path / "db.sqlite3") in values["DATABASES"]
    assert "journal_mode=WAL" in values["DATABASES"]
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert "DatabaseCache" in values["CACHES"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_it_reads_production_services_from_the_environment(tmp_path):
    values = _settings_in_subprocess(
        PRODUCTION_ENV, tmp_path, ["DATABASES", "CELERY_BROKER_URL", "CACHES", "EMAIL_HOST", "SECURE_SSL_REDIRECT"]
    )
    assert "postgresql" in values["DATABASES"] and "db.internal" in values["DATABASES"]
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert "RedisCache" in values["CACHES"] and "cache.internal:6379/1" in values["CACHES"]
    assert values["EMAIL_HOST"] == "smtp.example.org"
    assert values["SECURE_SSL_REDIRECT"] == "True"


def _deploy_check(env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = clean_env(env_overrides, tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_deploy_check_reports_no_warnings_in_production(tmp_path):
    result = _deploy_check(PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_development_secret_key(tmp_path):
    env = {**PRODUCTION_ENV}
    env.pop("SECRET_KEY")
    result = _deploy_check({**env, "SECRET_KEY": "dev-only-insecure-key-change-me"}, tmp_path)
    assert result.returncode != 0
    assert "ADVOCACY.E001" in result.stderr
