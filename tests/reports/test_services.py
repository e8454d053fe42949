"""Requesting, claiming, building, failing, retrying, expiring and the monthly summary."""

import datetime as dt
import os
import socket
import subprocess
import tempfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationKind
from reports import services
from reports.models import Report, ReportStatus
from tests.reports.conftest import PERIOD
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_request_stores_a_queued_report_and_builds_it_after_commit(
    staff_user, known_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.report_request(user=staff_user, kind="activity_export", parameters=PERIOD, format="csv")
        assert Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED
    assert callbacks
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED
    assert report.progress == 100 and report.stage == "Ready"
    assert report.row_count == 5
    assert report.file_size == report.file.size > 0
    assert report.expires_at - report.finished_at == dt.timedelta(days=30)
    assert report.attempts == 1
    notification = Notification.objects.get(user=staff_user)
    assert notification.kind == NotificationKind.REPORT_READY
    assert mail.outbox and mail.outbox[-1].to == [staff_user.email]


def test_request_refuses_a_format_the_kind_does_not_have(staff_user):
    with pytest.raises(ValidationError):
        services.report_request(user=staff_user, kind="points_roster", parameters=PERIOD, format="pdf")
    assert not Report.objects.exists()


def test_a_second_build_of_the_same_report_does_nothing(known_data, private_files):
    report = ReportFactory()
    assert services.report_build(report_id=report.pk) is True
    report.refresh_from_db()
    first_file, finished = report.file.name, report.finished_at
    assert services.report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert (report.file.name, report.finished_at, report.attempts) == (first_file, finished, 1)
    assert len(list(private_files.iterdir())) == 1


def test_a_running_report_is_not_claimed_while_its_attempt_may_be_alive(known_data):
    report = ReportFactory(
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=5),
        heartbeat_at=timezone.now() - dt.timedelta(seconds=5),
        worker="another-host:123",
        task_id="first-message",
        attempts=1,
    )
    assert services.report_build(report_id=report.pk, task_id="second-message") is False
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.attempts == 1


def test_a_report_whose_heartbeat_stopped_is_rebuilt_on_redelivery(known_data, settings):
    stale = timezone.now() - dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS + 1)
    report = ReportFactory(
        status=ReportStatus.RUNNING, started_at=stale, heartbeat_at=stale, worker="another-host:1", attempts=1
    )
    assert services.report_build(report_id=report.pk, task_id="another-message") is True
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED and report.attempts == 2


def test_the_redelivered_message_of_a_killed_attempt_takes_over_at_once(known_data):
    """A worker child SIGKILLed mid-build: acks_late + reject_on_worker_lost redeliver its message,
    whose task id is the one that claimed the report; its heartbeat is still fresh."""
    report = ReportFactory(
        status=ReportStatus.RUNNING,
        progress=10,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker="another-host:1",
        task_id="the-message",
        attempts=1,
    )
    assert services.report_build(report_id=report.pk, task_id="the-message") is True
    report.refresh_from_db()
    assert report.status == ReportStatus.SUCCEEDED and report.attempts == 2


def test_a_report_whose_worker_process_is_gone_from_this_host_is_taken_over(known_data):
    gone = subprocess.Popen(["true"])
    gone.wait()
    report = ReportFactory(
        status=ReportStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=f"{socket.gethostname()}:{gone.pid}",
        task_id="a-message",
        attempts=1,
    )
    assert services.report_build(report_id=report.pk, task_id="another-message") is True


def test_the_sweeper_requeues_reports_whose_heartbeat_stopped_and_rebuilds_them(
    known_data, settings, django_capture_on_commit_callbacks
):
    stale = timezone.now() - dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS + 1)
    dead = ReportFactory(status=ReportStatus.RUNNING, progress=10, started_at=stale, heartbeat_at=stale, attempts=1)
    alive = ReportFactory(status=ReportStatus.RUNNING, started_at=stale, heartbeat_at=timezone.now(), attempts=1)
    leftovers = services.report_temp_dir(report_id=dead.pk)
    leftovers.mkdir(parents=True, exist_ok=True)
    (leftovers / "openpyxl.tmp").write_bytes(b"x" * 1024)
    old = stale.timestamp() - 60
    os.utime(leftovers, (old, old))

    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes after commit
        result = services.reports_sweep_stale()

    assert result.requeued == [dead.pk] and result.failed == []
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ReportStatus.SUCCEEDED and dead.attempts == 2  # eager: re-queued and built
    assert alive.status == ReportStatus.RUNNING
    assert not leftovers.exists()


def test_the_sweeper_fails_a_report_after_the_last_attempt_with_a_message_and_retry_works(
    known_data, settings, client, staff_user
):
    stale = timezone.now() - dt.timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT_SECONDS + 1)
    report = ReportFactory(
        status=ReportStatus.RUNNING,
        started_at=stale,
        heartbeat_at=stale,
        attempts=settings.REPORT_MAX_ATTEMPTS,
        requested_by=staff_user,
    )
    assert services.reports_sweep_stale().failed == [report.pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert f"stopped {settings.REPORT_MAX_ATTEMPTS} times" in report.error
    client.force_login(staff_user)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert reverse("reports:report_retry", args=[report.pk]) in page


def test_a_build_keeps_its_scratch_files_in_its_own_directory_and_removes_it(known_data, settings, monkeypatch):
    seen = []
    original = services.report_file_write

    def spy(**kwargs):
        seen.append(tempfile.gettempdir())
        return original(**kwargs)

    monkeypatch.setattr(services, "report_file_write", spy)
    report = ReportFactory(format="xlsx")
    assert services.report_build(report_id=report.pk) is True
    assert seen == [str(services.report_temp_dir(report_id=report.pk))]
    assert not services.report_temp_dir(report_id=report.pk).exists()
    assert tempfile.gettempdir() != seen[0]


def test_a_failing_build_is_marked_failed_with_the_error_and_leaves_no_file(known_data, private_files):
    report = ReportFactory(kind="campaign", format="pdf")  # a campaign report without a campaign
    assert services.report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "needs a campaign" in report.error
    assert not report.file and report.row_count == 0
    assert not private_files.exists() or not any(private_files.iterdir())


def test_a_failure_after_the_file_was_written_removes_it(known_data, private_files):
    report = ReportFactory(parameters={**PERIOD, "campaign": "deleted-campaign"})
    assert services.report_build(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "deleted-campaign" in report.error


def test_retry_requeues_a_failed_report_only(known_data, django_capture_on_commit_callbacks):
    failed = ReportFactory(status=ReportStatus.FAILED, error="boom")
    done = ReportFactory(status=ReportStatus.SUCCEEDED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_retry(report_id=failed.pk) is True
        assert services.report_retry(report_id=done.pk) is False
    failed.refresh_from_db()
    assert failed.status == ReportStatus.SUCCEEDED and failed.error == ""


def test_expire_deletes_files_past_expiry_and_marks_them_expired(known_data, django_capture_on_commit_callbacks):
    old, fresh = ReportFactory(), ReportFactory()
    services.report_build(report_id=old.pk)
    services.report_build(report_id=fresh.pk)
    Report.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_expire() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ReportStatus.EXPIRED and not old.file
    assert not storage.exists(name)
    assert fresh.status == ReportStatus.SUCCEEDED and fresh.file.storage.exists(fresh.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_expire() == 0


def test_monthly_summary_requests_last_month_once_and_emails_the_staff_group(
    staff_user, clinician_user, known_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.monthly_advocacy_summary_request(today=dt.date(2026, 11, 1))
    report.refresh_from_db()
    assert report.parameters["start"] == "2026-10-01" and report.parameters["end"] == "2026-10-31"
    assert report.format == "pdf" and report.status == ReportStatus.SUCCEEDED
    assert report.schedule_key == "monthly-advocacy-summary-2026-10"
    staff_mail = [m for m in mail.outbox if "Monthly advocacy summary" in m.subject]
    assert len(staff_mail) == 1 and staff_mail[0].to == [staff_user.email]
    assert "/reports/" in staff_mail[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_advocacy_summary_request(today=dt.date(2026, 11, 1)) is None
    assert Report.objects.count() == 1


def test_monthly_task_runs_the_service(staff_user, known_data, django_capture_on_commit_callbacks):
    from reports.tasks import monthly_advocacy_summary, reports_expire

    with django_capture_on_commit_callbacks(execute=True):
        report_id = monthly_advocacy_summary.delay().get()
    assert Report.objects.get(pk=report_id).status == ReportStatus.SUCCEEDED
    assert monthly_advocacy_summary.delay().get() is None
    assert reports_expire.delay().get() == 0


def test_progress_is_written_in_small_steps(known_data):
    report = ReportFactory(status=ReportStatus.RUNNING, attempts=1)
    writer = services._ProgressWriter(report.pk, 1)
    seen = []
    for written in range(1, 1001):
        before = writer.percent
        writer.on_progress(written, 1000)
        if writer.percent != before:
            seen.append(writer.percent)
    assert seen[0] == 2 and seen[-1] == 98 and len(seen) == 49
    report.refresh_from_db()
    assert report.progress == 98 and report.heartbeat_at is not None
