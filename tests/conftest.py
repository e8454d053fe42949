"""Fixtures shared by the whole suite: the suite's clock, the three recurring users and a real Celery worker."""

import datetime as dt
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db.backends.signals import connection_created
from django.test import override_settings

from advocacy_portal import roles
from advocacy_portal.celery import app as celery_app
from tests.celery_conf import celery_conf, worker_argv
from tests.factories import DEFAULT_PASSWORD, ClinicianFactory, UserFactory, totp_enrol

ROOT = Path(__file__).resolve().parent.parent
# Where the real Celery worker of the services leg writes the emails it sends.
WORKER_MAIL_DIR = Path(os.environ["VAR_DIR"]) / "worker-mail"

# The instant every test starts at: a Wednesday, mid-month, mid-quarter, at noon UTC, so that "now",
# "yesterday", "this week", "this month" and "this year" never straddle a boundary and no US time
# zone is near a daylight-saving change. TEST_NOW moves it (and the whole session's clock) to a chosen
# instant, which is how .ci/run checks the suite at period boundaries.
DEFAULT_NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)


def _test_now_from_environment() -> dt.datetime | None:
    value = os.environ.get("TEST_NOW", "").strip()
    if not value:
        return None
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"TEST_NOW={value!r} is not an ISO 8601 instant, e.g. 2029-01-01T00:05:00Z") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_NOW={value!r} needs a UTC offset, e.g. 2029-01-01T00:05:00Z")
    return instant.astimezone(dt.UTC)


TEST_NOW = _test_now_from_environment()
SUITE_NOW = TEST_NOW or DEFAULT_NOW
# Test-only: the production hasher (PBKDF2, a million iterations) is most of the cost of every
# factory-made user. Hashes are still salted and checked, so logins (the browser's too) work as before.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_session_clock: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    """With TEST_NOW set, the session's clock (database set-up included) starts at that instant."""
    global _session_clock
    if TEST_NOW is not None:
        _session_clock = time_machine.travel(TEST_NOW, tick=True)
        _session_clock.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _session_clock
    if _session_clock is not None:
        _session_clock.stop()
        _session_clock = None


def pytest_report_header(config: pytest.Config) -> str:
    source = "TEST_NOW" if TEST_NOW else "the default; set TEST_NOW to move it"
    return f"suite clock: every test starts at {SUITE_NOW.isoformat()} ({source})"


# The production leg (deploy/ci-production-leg) sets PORTAL_BASE_URL: the browser tests then drive the
# deployed portal (nginx -> gunicorn -> PgBouncer, per-queue workers) instead of pytest-django's live
# server. Its processes keep the real clock, so the tests that reach it do too.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
REAL_CLOCK_FIXTURES = {"live_worker", "celery_worker_process"} | ({"live_server"} if PORTAL_BASE_URL else set())
REAL_CLOCK_MARKERS = ("services", "real_clock")


def _keeps_the_real_clock(request) -> bool:
    return bool(REAL_CLOCK_FIXTURES & set(request.fixturenames)) or any(
        request.node.get_closest_marker(name) for name in REAL_CLOCK_MARKERS
    )


@pytest.fixture(autouse=True)
def _suite_clock(request) -> Iterator[None]:
    """Every test starts at SUITE_NOW and the clock runs on from there (tick), so data built
    relative to "now" means the same thing on any day the suite runs. Tests that work with other
    processes (a real Celery worker, services stopped and started: marked `services` or
    `real_clock`) keep the real clock: those processes cannot share ours."""
    if _keeps_the_real_clock(request):
        if TEST_NOW is not None:
            pytest.skip("TEST_NOW moves only this process's clock; the other processes keep the real one")
        yield
        return
    from tests import factories

    with time_machine.travel(SUITE_NOW, tick=True) as clock:
        factories.SUITE_CLOCK = clock
        try:
            yield
        finally:
            factories.SUITE_CLOCK = None


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    if PORTAL_BASE_URL:  # the deployed portal checks passwords with the production hashers
        yield
        return
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


def _ledger_truncate_allowed(sender, connection, **kwargs) -> None:
    """A transactional test ends with a flush (TRUNCATE of every table), which the ledger refuses on
    PostgreSQL unless the session allows it (incentives migration 0008): the test database does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET advocacy.allow_ledger_truncate = 'on'")


connection_created.connect(_ledger_truncate_allowed)


@pytest.fixture
def clinician_user(db):
    """A signed-up clinician with a completed profile (not yet verified)."""
    return ClinicianFactory(user__email="alice@example.org").user


@pytest.fixture
def other_clinician_user(db):
    return ClinicianFactory(user__email="bob@example.org").user


def role_member(role: str, email: str, *, is_staff: bool = True):
    """A user in the role's group (created by the roles data migration), enrolled in TOTP as every
    privileged account must be (tests.factories.totp_code computes their codes)."""
    from django.contrib.auth.models import Group

    user = UserFactory(email=email, is_staff=is_staff)
    user.groups.add(Group.objects.get(name=role))
    totp_enrol(user)
    return user


@pytest.fixture
def staff_user(db):
    """A "Report reader" (requests and downloads reports, staff dashboard; portal only, no admin)."""
    return role_member(roles.REPORT_READER, "staff@example.org", is_staff=False)


@pytest.fixture
def verifier_user(db):
    return role_member(roles.VERIFIER, "verifier@example.org")


@pytest.fixture
def rewards_manager_user(db):
    return role_member(roles.REWARDS_MANAGER, "rewards@example.org")


@pytest.fixture
def association_admin_user(db):
    return role_member(roles.ASSOCIATION_ADMIN, "association-admin@example.org")


@pytest.fixture
def bare_staff_user(db):
    """Staff status (may open /admin/) but no permission and no group."""
    user = UserFactory(email="bare-staff@example.org", is_staff=True)
    totp_enrol(user)
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    totp_enrol(user)
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


class DeployedPortal:
    """Stands in for pytest-django's live server: the portal the production leg deployed."""

    url = PORTAL_BASE_URL

    class _live_server_modified_settings:  # the attribute pytest-django's helper toggles
        @staticmethod
        def enable() -> None:
            pass

        @staticmethod
        def disable() -> None:
            pass


if PORTAL_BASE_URL:

    @pytest.fixture(scope="session")
    def live_server() -> DeployedPortal:
        return DeployedPortal()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker) -> Iterator[subprocess.Popen]:
    """A real `celery worker` process on the test database and the Redis broker (in the production
    leg, the deployed per-queue workers serve instead and this starts nothing)."""
    require_services()
    if PORTAL_BASE_URL:
        yield None
        return
    celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        # Emails leave through the outbox and this worker sends them: into files the tests read
        # (tests.browser.conftest.email_link), since the test process's mail.outbox cannot see them.
        "EMAIL_URL": f"filemail:///{WORKER_MAIL_DIR}",
    }
    shutil.rmtree(WORKER_MAIL_DIR, ignore_errors=True)
    WORKER_MAIL_DIR.mkdir(parents=True)
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(
        worker_argv(hostname=name),
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
    for sent in WORKER_MAIL_DIR.glob("*"):  # each test reads only the emails it caused
        sent.unlink()
    with celery_conf(task_always_eager=False):
        yield celery_worker_process
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
def _fresh_totp_codes():
    """tests.factories.totp_code never hands out a code twice within a test (allauth refuses a
    reused code). Every test restarts the clock at SUITE_NOW and the server's record of used codes
    is the test's own, so the memory is the test's own too: kept across tests, each later login
    would wait one more 30-second period for a code it had not used yet."""
    from tests import factories

    factories._TOTP_CODES_USED.clear()


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
    importlib.import_module("incentives.migrations.0013_module_completion_points").badges_create(apps, None)


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test's flush empties every table; post_migrate restores permissions and the
    role groups (advocacy_portal.roles), but not the other rows data migrations wrote. Put those back
    before the next such test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "live_worker")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        migration_data_ensure()


def reauthenticate(client, password: str = DEFAULT_PASSWORD) -> None:
    """Confirm the password again (allauth's re-authentication), as sensitive admin actions require."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:500]
