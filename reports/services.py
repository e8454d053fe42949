"""Writes for reports: requesting, building (the worker's work), retrying, sweeping and expiring.

Claiming a report (why a message delivered twice never builds twice)
-------------------------------------------------------------------
`report_build` first claims the report with one conditional UPDATE (compare-and-swap on `status`
and `attempts`): only the caller that changes exactly one row builds. A queued report is always
claimable. A running one only when its attempt is certainly over:

- the message is the one that claimed it (same Celery task id): a redelivery after its worker
  child was killed (acks_late + reject_on_worker_lost) or an autoretry after a transient database
  error. With acks_late a message is only redelivered once its consumer is gone or the visibility
  timeout (longer than any task's time limit) passed, and a retry starts after its run ended;
- or its worker process (host:pid) is gone from this host;
- or its heartbeat stopped for REPORT_HEARTBEAT_TIMEOUT_SECONDS.

The building attempt writes a heartbeat from a thread every REPORT_HEARTBEAT_SECONDS (and with
every progress step). `reports_sweep_stale` (beat, every minute) re-queues running reports whose
heartbeat stopped, or fails them with a message after REPORT_MAX_ATTEMPTS, so nothing stays
"running" when a whole worker died. The final writes are conditional on the attempt, so an attempt
that was taken over never overwrites its successor. A failure is recorded through a fresh database
connection; a transient database error leaves the report to the task's retry instead.

Scratch files (openpyxl's temporary sheets too) go in one directory per report under
REPORT_TEMP_DIR, removed when the build ends, when a later attempt takes over, and by the sweeper.
"""

import contextlib
import datetime as dt
import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.db_routing import replica_reads
from core.email import email_send
from core.models import NotificationKind, User
from core.services import notification_send, outbox_enqueue
from core.task_retries import TRANSIENT_ERRORS
from reports import selectors
from reports.builders import KIND_FORMATS, report_file_extension, report_file_write
from reports.models import Report, ReportFormat, ReportKind, ReportStatus

logger = logging.getLogger(__name__)

# Who requests, watches and downloads reports, and receives the scheduled ones by email.
REPORT_CODENAME = "request_report"

# Progress is written at most every this many percent (plus stage changes), to keep UPDATEs few.
PROGRESS_STEP_PERCENT = 2


def report_request(*, user: User | None, kind: str, parameters: dict, format: str, schedule_key: str = "") -> Report:
    """Store a queued report and enqueue its build on the reports queue once the row is committed."""
    from reports.tasks import build_report

    if format not in KIND_FORMATS.get(kind, []):
        raise ValidationError({"format": f"{ReportKind(kind).label} is not available as {format.upper()}."})
    selectors.report_scope(parameters=parameters)
    with transaction.atomic():
        report = Report(kind=kind, parameters=parameters, format=format, requested_by=user, schedule_key=schedule_key)
        report.full_clean()
        report.save()
        outbox_enqueue(task=build_report, args=[report.pk])
    return report


def report_retry(*, report_id: int) -> bool:
    """Put a failed report back in the queue (conditional update: only a failed report moves)."""
    from reports.tasks import build_report

    with transaction.atomic():
        moved = Report.objects.filter(pk=report_id, status=ReportStatus.FAILED).update(
            status=ReportStatus.QUEUED, progress=0, stage="Queued again", error="", started_at=None, finished_at=None
        )
        if moved:
            outbox_enqueue(task=build_report, args=[report_id])
    return bool(moved)


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_is_gone(worker: str) -> bool:
    """True when ``worker`` (host:pid) is a process of this host that no longer exists, or is us
    (a process builds one report at a time, so our own earlier attempt has ended)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _report_claim(*, report_id: int, task_id: str = "") -> int | None:
    """Claim a queued report, or a running one whose attempt is over; the attempt number, or None."""
    row = Report.objects.filter(pk=report_id).values("status", "attempts", "heartbeat_at", "worker", "task_id").first()
    if row is None or row["status"] not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return None
    now = timezone.now()
    if row["status"] == ReportStatus.RUNNING:
        stale_before = now - dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS)
        attempt_over = (
            (task_id and row["task_id"] == task_id)
            or _worker_is_gone(row["worker"])
            or row["heartbeat_at"] is None
            or row["heartbeat_at"] < stale_before
        )
        if not attempt_over:
            return None
    # Race: the sweeper or another delivery may move the same row; the attempts compare-and-swap
    # lets exactly one of them win.
    claimed = Report.objects.filter(pk=report_id, status=row["status"], attempts=row["attempts"]).update(
        status=ReportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=_this_worker(),
        task_id=task_id,
        progress=0,
        stage="Starting" if row["status"] == ReportStatus.QUEUED else "Starting again: the last attempt stopped",
        error="",
        attempts=F("attempts") + 1,
    )
    return row["attempts"] + 1 if claimed == 1 else None


def _attempt_rows(report_id: int, attempt: int):
    """The report row while ``attempt`` still owns it (empty once another attempt took over)."""
    return Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING, attempts=attempt)


class _ProgressWriter:
    """Writes percent and stage with small UPDATEs, only when the percent moved a step or the stage
    changed; every write also renews the attempt's heartbeat."""

    def __init__(self, report_id: int, attempt: int) -> None:
        self.rows = _attempt_rows(report_id, attempt)
        self.percent = 0
        self.stage = "Starting"

    def on_stage(self, stage: str) -> None:
        self.stage = stage
        self.rows.update(stage=stage[:120], heartbeat_at=timezone.now())

    def on_progress(self, written: int, expected: int) -> None:
        # 99 at most: 100 means the file is saved, which only the success path writes.
        percent = min(99, written * 100 // max(expected, 1))
        if percent >= self.percent + PROGRESS_STEP_PERCENT:
            self.percent = percent
            self.rows.update(progress=percent, heartbeat_at=timezone.now())


@contextlib.contextmanager
def _heartbeat(report_id: int, attempt: int) -> Iterator[None]:
    """Renew the heartbeat from a thread while the build runs, so long silent stages (a big
    query, saving a large XLSX) never look dead. The thread has its own database connection."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                try:
                    _attempt_rows(report_id, attempt).update(heartbeat_at=timezone.now())
                except TRANSIENT_ERRORS:
                    logger.warning("report %s: heartbeat not written", report_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def report_temp_dir(*, report_id: int) -> Path:
    """Where one report's build keeps its scratch files (its own directory, easy to clean)."""
    return Path(settings.REPORT_TEMP_DIR) / f"report-{report_id}"


@contextlib.contextmanager
def _scratch_directory(report_id: int) -> Iterator[Path]:
    """A fresh per-report directory that also receives Python's temporary files (openpyxl writes
    its sheets there) for the duration of the build; removed afterwards. Safe because a prefork
    worker child builds one report at a time."""
    directory = report_temp_dir(report_id=report_id)
    shutil.rmtree(directory, ignore_errors=True)  # a dead attempt's leftovers
    directory.mkdir(parents=True)
    previous = tempfile.tempdir
    tempfile.tempdir = str(directory)
    try:
        yield directory
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(directory, ignore_errors=True)


def _fresh_connection() -> None:
    """Drop the database connection if an error broke it (the server restarted or went away), so
    the next query opens a new one instead of writing through the dead socket."""
    if connection.in_atomic_block or connection.connection is None:
        return
    if not connection.is_usable():
        connection.close()


def report_build(*, report_id: int, task_id: str = "") -> bool:
    """Claim and build one report; True when this call built it. Never leaves a partial file.

    A transient database error (server restarted, connection dropped) is raised again for the
    task's retry, which takes the report over; any other error fails the report with its message.
    """
    attempt = _report_claim(report_id=report_id, task_id=task_id)
    if attempt is None:
        logger.info("report %s already claimed or finished; nothing to do", report_id)
        return False
    report = Report.objects.get(pk=report_id)
    writer = _ProgressWriter(report_id, attempt)
    saved_name = ""
    storage = Report.file.field.storage
    try:
        with _heartbeat(report_id, attempt), _scratch_directory(report_id) as directory:
            path = directory / f"report.{report_file_extension(kind=report.kind, format=report.format)}"
            # The build reads the streaming replica when there is one (core.db_routing), once it has
            # replayed what the primary had committed; its progress writes go to the primary.
            with replica_reads():
                rows = report_file_write(
                    kind=report.kind,
                    format=report.format,
                    parameters=report.parameters,
                    path=path,
                    on_stage=writer.on_stage,
                    on_progress=writer.on_progress,
                )
            writer.on_stage("Saving the file")
            with open(path, "rb") as handle:
                saved_name = storage.save(_file_name(report), File(handle))
            size = storage.size(saved_name)
    except TRANSIENT_ERRORS:
        logger.warning("report %s: transient error, the task retries", report_id, exc_info=True)
        if saved_name:
            storage.delete(saved_name)
        _fresh_connection()
        with contextlib.suppress(*TRANSIENT_ERRORS):
            _attempt_rows(report_id, attempt).update(stage="Interrupted: trying again shortly", heartbeat_at=None)
        raise
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        if saved_name:
            storage.delete(saved_name)
        _fresh_connection()
        _attempt_rows(report_id, attempt).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            stage="Failed",
            file="",
            finished_at=timezone.now(),
        )
        return False
    now = timezone.now()
    with transaction.atomic():
        finished = _attempt_rows(report_id, attempt).update(
            status=ReportStatus.SUCCEEDED,
            progress=100,
            stage="Ready",
            file=saved_name,
            file_size=size,
            row_count=rows,
            finished_at=now,
            expires_at=now + dt.timedelta(days=settings.REPORT_RETENTION_DAYS),
        )
        if finished:
            report.refresh_from_db()
            _report_ready_announce(report=report)
    if not finished:
        # Another attempt took the report over (ours was presumed dead): its file wins.
        storage.delete(saved_name)
    return bool(finished)


@dataclass(frozen=True)
class SweepResult:
    requeued: list[int]
    failed: list[int]


def reports_sweep_stale(*, now: dt.datetime | None = None) -> SweepResult:
    """Re-queue every running report whose heartbeat stopped (its worker died), or fail it with a
    message once it was attempted REPORT_MAX_ATTEMPTS times; remove stale scratch directories."""
    from reports.tasks import build_report

    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS)
    stale = Report.objects.filter(status=ReportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before)
    )
    requeued, failed = [], []
    for report_id, attempts in stale.values_list("pk", "attempts"):
        # Race: a redelivery may take the report over meanwhile; the attempts compare-and-swap decides.
        rows = _attempt_rows(report_id, attempts)
        if attempts >= settings.REPORT_MAX_ATTEMPTS:
            if rows.update(
                status=ReportStatus.FAILED,
                stage="Failed",
                error=f"The worker building this report stopped {attempts} times (it was killed, ran out of "
                "memory or lost its database) before finishing. Retry it; if it stops again, ask an "
                "administrator to check the report workers.",
                finished_at=now,
            ):
                failed.append(report_id)
            continue
        # The queued status and the promise of a build commit together (outbox), or neither does.
        with transaction.atomic():
            if rows.update(
                status=ReportStatus.QUEUED,
                stage="Queued again: the worker building it stopped",
                progress=0,
                heartbeat_at=None,
            ):
                outbox_enqueue(task=build_report, args=[report_id])
                requeued.append(report_id)
    _scratch_directories_sweep(now=now)
    if requeued or failed:
        logger.warning("stale reports: re-queued %s, failed %s", requeued, failed)
    return SweepResult(requeued=requeued, failed=failed)


def _scratch_directories_sweep(*, now: dt.datetime) -> None:
    """Remove scratch directories of this host that no running report owns (a killed build's)."""
    root = Path(settings.REPORT_TEMP_DIR)
    if not root.is_dir():
        return
    # Only directories older than the heartbeat timeout: a build may have just created its own.
    older_than = now.timestamp() - settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS
    candidates = {}
    for directory in root.glob("report-*"):
        report_id = directory.name.removeprefix("report-")
        if report_id.isdigit() and directory.stat().st_mtime < older_than:
            candidates[int(report_id)] = directory
    running = set(Report.objects.filter(pk__in=candidates, status=ReportStatus.RUNNING).values_list("pk", flat=True))
    for report_id, directory in candidates.items():
        if report_id not in running:
            shutil.rmtree(directory, ignore_errors=True)


def _file_name(report: Report) -> str:
    extension = report_file_extension(kind=report.kind, format=report.format)
    return f"reports/{report.kind}-{report.pk}-{uuid.uuid4().hex[:12]}.{extension}"


def report_download_name(*, report: Report) -> str:
    """The name the browser saves: kind, period and id, never the storage name."""
    period = ""
    if report.parameters.get("start") and report.parameters.get("end"):
        period = f"-{report.parameters['start']}_{report.parameters['end']}"
    extension = report_file_extension(kind=report.kind, format=report.format)
    return f"{report.kind.replace('_', '-')}{period}-{report.pk}.{extension}"


def _report_ready_announce(*, report: Report) -> None:
    url = reverse("reports:report_list") + f"#report-{report.pk}"
    if report.requested_by_id:
        notification_send(
            user=report.requested_by,
            kind=NotificationKind.REPORT_READY,
            title=f"Your report is ready: {report.get_kind_display()}",
            body=f"{report.get_kind_display()} ({report.get_format_display()}), {report.row_count} rows. "
            f"It can be downloaded for {settings.REPORT_RETENTION_DAYS} days.",
            url=url,
        )
    if report.schedule_key:
        recipients = list(
            # Everyone who may request reports (the Report reader and Association admin roles, or the
            # permission given directly), not superusers as such.
            User.objects.filter(
                Q(user_permissions__content_type__app_label="reports", user_permissions__codename=REPORT_CODENAME)
                | Q(
                    groups__permissions__content_type__app_label="reports",
                    groups__permissions__codename=REPORT_CODENAME,
                ),
                is_active=True,
            )
            .order_by("email")
            .values_list("email", flat=True)
            .distinct()
        )
        if recipients:
            context = {"report": report, "report_url": url, "period": report.parameters}
            email_send(template_prefix="reports/email/monthly_summary", to=recipients, context=context)


def reports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of reports past their expiry and mark them expired; returns how many."""
    now = now or timezone.now()
    storage = Report.file.field.storage
    expired = 0
    for report in selectors.reports_past_expiry(now=now).only("id", "file"):
        with transaction.atomic():
            moved = Report.objects.filter(pk=report.pk, status=ReportStatus.SUCCEEDED).update(
                status=ReportStatus.EXPIRED, file="", stage="Expired"
            )
            if moved and report.file.name:
                name = report.file.name
                transaction.on_commit(lambda name=name: storage.delete(name))
            expired += moved
    return expired


def monthly_advocacy_summary_request(*, today: dt.date | None = None) -> Report | None:
    """Request last month's advocacy summary (PDF) once per month; None when it was already requested."""
    today = today or selectors.today_utc()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    key = f"monthly-advocacy-summary-{start:%Y-%m}"
    if Report.objects.filter(schedule_key=key).exists():
        return None
    try:
        return report_request(
            user=None,
            kind=ReportKind.ADVOCACY_SUMMARY,
            parameters={"start": start.isoformat(), "end": end.isoformat(), "preset": "last_month"},
            format=ReportFormat.PDF,
            schedule_key=key,
        )
    except IntegrityError:
        # A concurrent beat run inserted the same key between our check and our insert.
        return None
