"""A requested report: its parameters, the worker's progress and the private result file."""

from django.db import models
from django.utils import timezone

from core.storage import private_storage


class ReportKind(models.TextChoices):
    ADVOCACY_SUMMARY = "advocacy_summary", "Advocacy summary"
    CAMPAIGN = "campaign", "Campaign report"
    POINTS_ROSTER = "points_roster", "Points roster"
    VERIFICATION = "verification", "Verification report"
    ACTIVITY_EXPORT = "activity_export", "Raw activity export"
    LEARNING = "learning", "Learning"


class ReportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class Report(models.Model):
    """One report request; the worker claims it, reports progress and stores the file privately."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    file = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds by the attempt that builds the report; a stale one means its worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the process building it.")
    task_id = models.CharField(max_length=155, blank=True, help_text="Celery task id of the building attempt.")
    expires_at = models.DateTimeField(null=True, blank=True)
    schedule_key = models.CharField(
        max_length=60, blank=True, help_text="Set on scheduled reports, e.g. monthly-advocacy-summary-2026-10."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("request_report", "Can request and download advocacy reports")]
        indexes = [
            # The retention job finds succeeded reports past their expiry.
            models.Index(fields=["status", "expires_at"], name="report_retention_idx"),
            # The stale-job sweeper looks for running reports whose heartbeat stopped, every minute.
            models.Index(fields=["status", "heartbeat_at"], name="report_heartbeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
            # Beat may fire twice (or two beat processes may run): one scheduled report per key.
            models.UniqueConstraint(
                fields=["schedule_key"], condition=~models.Q(schedule_key=""), name="report_schedule_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_format_display()}) #{self.pk}"
