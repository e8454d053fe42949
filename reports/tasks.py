"""Report tasks: build one report, expire old files, the monthly summary ("reports" queue), and
the stale-report sweeper ("default" queue, so a busy reports queue never delays it).

Each task takes ids and calls one service. Building is safe to run twice (the service claims the
report with a conditional UPDATE); expiry, the monthly request and the sweep are idempotent.
Transient database and broker errors are retried by every task (core.task_retries).
"""

from celery import shared_task
from django.conf import settings

from reports import services


@shared_task(
    bind=True,
    queue="reports",
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
)
def build_report(self, report_id: int) -> bool:
    return services.report_build(report_id=report_id, task_id=self.request.id or "")


@shared_task(queue="default", time_limit=60, soft_time_limit=50)
def sweep_stale_reports() -> dict[str, list[int]]:
    """Every minute (beat): re-queue or fail reports whose worker stopped beating."""
    result = services.reports_sweep_stale()
    return {"requeued": result.requeued, "failed": result.failed}


@shared_task(queue="reports", time_limit=600, soft_time_limit=540)
def reports_expire() -> int:
    return services.reports_expire()


@shared_task(queue="reports", time_limit=60, soft_time_limit=50)
def monthly_advocacy_summary() -> int | None:
    report = services.monthly_advocacy_summary_request()
    return report.pk if report else None
