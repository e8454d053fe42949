"""Report tasks on the "reports" queue: build one report, expire old files, the monthly summary.

Each task takes ids and calls one service. Building is safe to run twice (the service claims the
report with a conditional UPDATE); expiry and the monthly request are idempotent.
"""

from celery import shared_task
from django.conf import settings

from reports import services


@shared_task(
    queue="reports",
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
)
def build_report(report_id: int) -> bool:
    return services.report_build(report_id=report_id)


@shared_task(queue="reports", time_limit=600, soft_time_limit=540)
def reports_expire() -> int:
    return services.reports_expire()


@shared_task(queue="reports", time_limit=60, soft_time_limit=50)
def monthly_advocacy_summary() -> int | None:
    report = services.monthly_advocacy_summary_request()
    return report.pk if report else None
