"""Worker faults on real processes (prefork worker, private Redis, beat running the sweepers):

(a) the worker child building a report is SIGKILLed: the report completes by itself;
(b) the worker main process is SIGKILLed mid-report and a new worker starts (as systemd would):
    the report completes by itself;
(d) Redis is dropped while the worker runs a task: the worker keeps serving afterwards.

Each test prints the seconds from the fault to completion (`pytest -s` shows them); the only time
bounds are generous waits for completion.
"""

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from core.models import Heartbeat
from core.tasks import heartbeat
from reports.models import Report, ReportStatus
from reports.tasks import build_report
from tests.faults.conftest import PERIOD, activities_bulk, fault_dir_files, publish
from tests.faults.worker_processes import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROWS = 12_000  # an XLSX export of this many rows takes several seconds: long enough to kill mid-build


def _report_running(report_id: int, *, progress: int = 10) -> Report | None:
    report = Report.objects.get(pk=report_id)
    return report if report.status == ReportStatus.RUNNING and report.progress >= progress else None


def _report_finished(report_id: int) -> Report | None:
    report = Report.objects.get(pk=report_id)
    return report if report.status in (ReportStatus.SUCCEEDED, ReportStatus.FAILED) else None


def _xlsx_report(fault_env) -> Report:
    activities_bulk(ROWS)
    report = Report.objects.create(kind="activity_export", format="xlsx", parameters=PERIOD)
    publish(build_report, (report.pk,), fault_env)
    return report


def test_a_report_whose_worker_child_is_killed_completes_by_itself(private_redis, processes, fault_env):
    processes.worker()
    processes.beat()
    report = _xlsx_report(fault_env)
    running = wait_until(lambda: _report_running(report.pk), timeout=120, message="the build to reach 10%")
    child = int(running.worker.rpartition(":")[2])

    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()

    done = wait_until(lambda: _report_finished(report.pk), timeout=300, message="the report to finish")
    seconds = time.monotonic() - killed_at
    print(
        f"\n[fault a] child SIGKILLed at {running.progress}%: report {done.status} after {seconds:.1f} s, "
        f"attempts {done.attempts}"
    )
    assert done.status == ReportStatus.SUCCEEDED and done.row_count == ROWS
    assert done.attempts == 2
    assert fault_dir_files(Path(fault_env["REPORT_TEMP_DIR"])) == []


def test_a_report_whose_worker_main_process_is_killed_completes_after_a_new_worker_starts(
    private_redis, processes, fault_env
):
    first = processes.worker()
    processes.beat()
    report = _xlsx_report(fault_env)
    running = wait_until(lambda: _report_running(report.pk), timeout=120, message="the build to reach 10%")
    child = int(running.worker.rpartition(":")[2])

    first.kill_main()
    killed_at = time.monotonic()
    # The orphaned child is killed too, as a machine or container crash would: nothing of the
    # first worker survives to finish the job.
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    processes.worker()  # systemd's Restart=always, or the restart loop of `make run`

    done = wait_until(lambda: _report_finished(report.pk), timeout=300, message="the report to finish")
    seconds = time.monotonic() - killed_at
    print(
        f"\n[fault b] main process SIGKILLed at {running.progress}%: report {done.status} after "
        f"{seconds:.1f} s, attempts {done.attempts}"
    )
    assert done.status == ReportStatus.SUCCEEDED and done.row_count == ROWS
    assert done.attempts == 2


def test_a_worker_keeps_serving_after_redis_is_dropped_during_a_task(private_redis, processes, fault_env):
    worker = processes.worker()
    report = _xlsx_report(fault_env)
    wait_until(lambda: _report_running(report.pk, progress=4), timeout=120, message="the build to start")

    private_redis.kill()
    dropped_at = time.monotonic()
    time.sleep(3)
    private_redis.start()

    done = wait_until(lambda: _report_finished(report.pk), timeout=300, message="the report to finish")
    name = f"after-redis-{uuid.uuid4().hex[:8]}"
    publish(heartbeat, (name,), fault_env)
    wait_until(
        lambda: Heartbeat.objects.filter(name=name).exists(), timeout=120, message="a task after Redis came back"
    )
    seconds = time.monotonic() - dropped_at
    print(
        f"\n[fault d] Redis down 3 s during a build: report {done.status}; a new task served "
        f"{seconds:.1f} s after the drop; worker alive: {worker.alive()}"
    )
    assert worker.alive(), "".join(worker.log[-40:])
    assert not any("Unrecoverable error" in line for line in worker.log)
    assert done.status == ReportStatus.SUCCEEDED
