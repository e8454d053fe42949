"""Fixtures of the fault tests: a private Redis and real Celery processes on the test database,
with short heartbeat and sweep intervals so recovery is observed in seconds, not minutes.

They run in the PostgreSQL + Redis leg only (`tests.conftest.require_services()`)."""

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus
from tests.conftest import _database_url_for_worker, require_services
from tests.factories import VerifiedClinicianFactory
from tests.faults.worker_processes import ROOT, PrivateRedis, beat, worker

# Fault tests: a worker's heartbeat every second, declared dead after 8 s, swept every 2 s.
FAULT_SETTINGS = {
    "REPORT_HEARTBEAT_SECONDS": "1",
    "REPORT_HEARTBEAT_TIMEOUT_SECONDS": "8",
    "STALE_SWEEP_INTERVAL_SECONDS": "2",
    "REPORT_MAX_ATTEMPTS": "5",
}


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    require_services()
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.kill()


@pytest.fixture
def fault_env(private_redis, tmp_path, transactional_db) -> dict[str, str]:
    """The environment of a worker on the test database and the private Redis."""
    import os

    return {
        **os.environ,
        **FAULT_SETTINGS,
        "DATABASE_URL": _database_url_for_worker(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REPORT_TEMP_DIR": str(tmp_path / "report-tmp"),
    }


@pytest.fixture
def processes(fault_env, tmp_path):
    """Start workers and beat with ``processes.worker()`` / ``processes.beat()``; all are ended
    (by their own process groups) before the test database is flushed."""

    class Started:
        def __init__(self) -> None:
            self.all = []

        def worker(self, env=None, **options):
            process = worker(env or fault_env, tmp_path / "worker.log", **options)
            self.all.append(process)
            process.wait_ready()
            return process

        def beat(self, env=None):
            process = beat(env or fault_env, tmp_path)
            self.all.append(process)
            process.wait_ready()
            return process

    started = Started()
    yield started
    for process in started.all:
        process.end()


def publish(task, args: tuple, env: dict[str, str]) -> None:
    """Send a task message as the web process would, from a process configured like the worker
    (private broker, test database); the test process itself runs tasks eagerly."""
    code = f"from {task.__module__} import {task.__name__} as task; task.apply_async({args!r})"
    subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "advocacy_portal.settings"},
        check=True,
        timeout=120,
    )


PERIOD = {"start": "2026-10-01", "end": "2026-10-31"}


def activities_bulk(count: int, *, clinicians: int = 1) -> None:
    """``count`` accepted activities in PERIOD, shared round-robin by ``clinicians`` verified ones."""
    people = [VerifiedClinicianFactory() for _ in range(clinicians)]
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    now = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                clinician=people[n % clinicians],
                platform="x",
                url=f"https://x.com/fault/status/{n}",
                posted_at=start + dt.timedelta(minutes=2 * n % (29 * 24 * 60)),
                category="public_education",
                excerpt="A post about vaccines. " * 8,
                impressions=n,
                status=ActivityStatus.ACCEPTED,
                created_at=now,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


def fault_dir_files(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
