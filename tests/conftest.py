"""Fixtures shared by the whole suite: the three recurring users and a real Celery worker."""

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from advocacy_portal.celery import app as celery_app
from tests.factories import ClinicianFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clinician_user(db):
    """A signed-up clinician with a completed profile (not yet verified)."""
    return ClinicianFactory(user__email="alice@example.org").user


@pytest.fixture
def other_clinician_user(db):
    return ClinicianFactory(user__email="bob@example.org").user


@pytest.fixture
def staff_user(db):
    """A member of the "Association staff" group (report permissions, no admin)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    group.permissions.add(Permission.objects.get(codename="request_report", content_type__app_label="reports"))
    user = UserFactory(email="staff@example.org")
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    return user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the audit trail's append-only triggers (core migration 0002) are disabled in the
    test database only: pytest-django empties every table with TRUNCATE after each transactional test,
    which they refuse. tests/core/test_audit.py enables them inside its own test transaction."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE auditlog_logentry DISABLE TRIGGER USER")


def services_available() -> bool:
    return settings.DATABASES["default"][
        "ENGINE"
    ] != "django.db.backends.sqlite3" and settings.CELERY_BROKER_URL.startswith("redis://")


def require_services() -> None:
    """Skip on the embedded defaults; CI's second leg sets PostgreSQL and Redis, so there it runs."""
    if not services_available():
        pytest.skip("needs DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (CI's services leg)")


def _database_url_for_worker() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the test database and the Redis broker."""
    require_services()
    celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "advocacy_portal",
            "worker",
            "--queues",
            "default,scores,reports",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--hostname",
            name,
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()
    log: list[str] = []

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            log.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(timeout=90):
        process.kill()
        pytest.fail("Celery worker did not start:\n" + "".join(log[-50:]))
    process.log = log  # type: ignore[attr-defined]
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def live_worker(celery_worker_process, transactional_db) -> Iterator[subprocess.Popen]:
    """Send tasks to the real worker (not eagerly) for the duration of one test."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield celery_worker_process
    celery_app.conf.task_always_eager = previous
    # The test's follow-up tasks (scoring after a release, say) may still run; the database flush
    # that ends a transactional test would deadlock with them, so wait until the worker is idle.
    wait_for(_worker_idle, timeout=60, interval=0.5, message="the worker to finish its queued tasks")


def _worker_idle() -> bool:
    with celery_app.connection_for_write() as connection:
        redis = connection.default_channel.client  # the services leg's broker is Redis: a queue is a list
        if any(redis.llen(name) for name in ("default", "scores", "reports")):
            return False
    # A solo-pool worker that is busy does not answer control messages: no answer means "busy".
    active = celery_app.control.inspect(timeout=1.0).active()
    return bool(active) and not any(active.values())


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, message: str = "condition"):
    """Poll until predicate() is truthy; fail with the message when the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters live in the shared cache (Redis in CI); no test inherits another's.
    The database cache of the embedded default is rolled back with each test's transaction."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def cache_read_queries() -> int:
    """Queries one cache read costs: one on the embedded database cache, none on Redis."""
    return 1 if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") else 0


@pytest.fixture
def session_read_queries() -> int:
    """Queries reading the session costs: none when sessions are cached in Redis (cached_db)."""
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


def migration_data_ensure() -> None:
    """Rows that data migrations create (incentives rule set v1 and the badges)."""
    import importlib

    from django.apps import apps

    importlib.import_module("incentives.migrations.0004_rule_set_v1_and_badges").create(apps, None)


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test's flush empties every table; post_migrate restores permissions and the
    staff group, but not the rows data migrations wrote. Put those back before the next such test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "live_worker")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        migration_data_ensure()
