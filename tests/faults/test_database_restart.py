"""(c) PostgreSQL restarted under a worker that is building a report: the task completes after the
restart. The server is a private cluster on a free port (never the shared one), migrated for this
test; the worker's broker is a private Redis."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import require_services
from tests.faults.conftest import FAULT_SETTINGS
from tests.faults.worker_processes import ROOT, PrivatePostgres, wait_until, worker

pytestmark = pytest.mark.services

SEED = """
import json, django
django.setup()
from reports.models import Report
from reports.tasks import build_report
from tests.faults.conftest import PERIOD, activities_bulk
activities_bulk(12000)
report = Report.objects.create(kind="activity_export", format="xlsx", parameters=PERIOD)
build_report.apply_async((report.pk,))
print(json.dumps({"report": report.pk}))
"""


@pytest.fixture
def private_postgres():
    require_services()
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("needs PostgreSQL's server binaries (initdb, pg_ctl) for a private cluster")
    directory = Path(tempfile.mkdtemp(prefix="advocacy-pg-"))
    server = PrivatePostgres(directory)
    server.init()
    yield server
    try:
        server.stop("immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _report(url: str, report_id: int) -> tuple[str, int, int] | None:
    try:
        with psycopg2.connect(url, connect_timeout=2) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT status, progress, attempts FROM reports_report WHERE id = %s", [report_id])
            return cursor.fetchone()
    except psycopg2.OperationalError:
        return None


def test_a_report_build_completes_after_postgresql_restarts_under_it(private_postgres, private_redis, tmp_path):
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(private_postgres.port), "-U", "postgres", "-c", "CREATE DATABASE fault"],
        check=True,
        capture_output=True,
    )
    url = private_postgres.url("fault")
    env = {
        **os.environ,
        **FAULT_SETTINGS,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REDIS_URL": "",
        "REPORT_TEMP_DIR": str(tmp_path / "report-tmp"),
        "DJANGO_SETTINGS_MODULE": "advocacy_portal.settings",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    report_id = json.loads(seeded.stdout.strip().splitlines()[-1])["report"]

    process = worker(env, tmp_path / "worker.log")
    try:
        process.wait_ready()
        wait_until(
            lambda: (row := _report(url, report_id)) and row[0] == "running" and row[1] >= 10,
            timeout=180,
            message="the build to reach 10%",
        )
        private_postgres.stop("fast")  # every connection of the worker is cut mid-build
        restarted_at = time.monotonic()
        time.sleep(2)
        private_postgres.start()

        done = wait_until(
            lambda: (row := _report(url, report_id)) and row[0] in ("succeeded", "failed") and row,
            timeout=300,
            message="the report to finish after the restart",
        )
        seconds = time.monotonic() - restarted_at
        print(
            f"\n[fault c] PostgreSQL restarted at 10% of a build: report {done[0]} {seconds:.1f} s after "
            f"the stop, attempts {done[2]}; worker alive: {process.alive()}"
        )
        assert done[0] == "succeeded", "".join(process.log[-60:])
        assert process.alive()
    finally:
        process.end()
