"""Writes for reports: requesting, building (the worker's work), retrying and expiring reports.

Claiming a report (why a message delivered twice never builds twice)
-------------------------------------------------------------------
`report_build` first claims the report with one conditional UPDATE: status queued -> running. Only
the caller that changes exactly one row builds; a re-delivered message finds "running" (or a final
status) and does nothing. Celery runs with acks_late and reject_on_worker_lost, so a worker killed
mid-build leaves its message to be delivered again (Redis: after the visibility timeout). That
second delivery finds the report still "running", so the claim also accepts a "running" report
whose `started_at` is older than REPORT_STALE_AFTER_SECONDS: longer than the hard task time limit,
so no live attempt can still own it. `attempts` counts claims.
"""

import datetime as dt
import logging
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.email import email_send
from core.models import NotificationKind, User
from core.services import notification_send
from reports import selectors
from reports.builders import KIND_FORMATS, report_file_write
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
        build_report.delay_on_commit(report.pk)
    return report


def report_retry(*, report_id: int) -> bool:
    """Put a failed report back in the queue (conditional update: only a failed report moves)."""
    from reports.tasks import build_report

    with transaction.atomic():
        moved = Report.objects.filter(pk=report_id, status=ReportStatus.FAILED).update(
            status=ReportStatus.QUEUED, progress=0, stage="Queued again", error="", started_at=None, finished_at=None
        )
        if moved:
            build_report.delay_on_commit(report_id)
    return bool(moved)


def _report_claim(*, report_id: int) -> bool:
    """Conditional UPDATE queued -> running (or a stale running one); True for the single winner."""
    now = timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    claimable = Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RUNNING, started_at__lt=stale_before)
    return (
        Report.objects.filter(claimable, pk=report_id).update(
            status=ReportStatus.RUNNING,
            started_at=now,
            progress=0,
            stage="Starting",
            error="",
            attempts=F("attempts") + 1,
        )
        == 1
    )


class _ProgressWriter:
    """Writes percent and stage with small UPDATEs, only when the percent moved a step or the stage changed."""

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id
        self.percent = 0
        self.stage = "Starting"

    def on_stage(self, stage: str) -> None:
        self.stage = stage
        Report.objects.filter(pk=self.report_id).update(stage=stage[:120])

    def on_progress(self, written: int, expected: int) -> None:
        # 99 at most: 100 means the file is saved, which only the success path writes.
        percent = min(99, written * 100 // max(expected, 1))
        if percent >= self.percent + PROGRESS_STEP_PERCENT:
            self.percent = percent
            Report.objects.filter(pk=self.report_id).update(progress=percent)


def report_build(*, report_id: int) -> bool:
    """Claim and build one report; True when this call built it. Never leaves a partial file."""
    if not _report_claim(report_id=report_id):
        logger.info("report %s already claimed or finished; nothing to do", report_id)
        return False
    report = Report.objects.get(pk=report_id)
    writer = _ProgressWriter(report_id)
    saved_name = ""
    storage = Report.file.field.storage
    try:
        with tempfile.TemporaryDirectory(prefix="report-") as directory:
            path = Path(directory) / f"report.{report.format}"
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
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        if saved_name:
            storage.delete(saved_name)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            stage="Failed",
            file="",
            finished_at=timezone.now(),
        )
        return False
    now = timezone.now()
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.SUCCEEDED,
            progress=100,
            stage="Ready",
            file=saved_name,
            file_size=size,
            row_count=rows,
            finished_at=now,
            expires_at=now + dt.timedelta(days=settings.REPORT_RETENTION_DAYS),
        )
        report.refresh_from_db()
        _report_ready_announce(report=report)
    return True


def _file_name(report: Report) -> str:
    return f"reports/{report.kind}-{report.pk}-{uuid.uuid4().hex[:12]}.{report.format}"


def report_download_name(*, report: Report) -> str:
    """The name the browser saves: kind, period and id, never the storage name."""
    period = ""
    if report.parameters.get("start") and report.parameters.get("end"):
        period = f"-{report.parameters['start']}_{report.parameters['end']}"
    return f"{report.kind.replace('_', '-')}{period}-{report.pk}.{report.format}"


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
            transaction.on_commit(
                lambda: email_send(template_prefix="reports/email/monthly_summary", to=recipients, context=context)
            )


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
