"""Celery tasks of the portal package: the staff dashboard's aggregates, refreshed by beat."""

from celery import shared_task

from advocacy_portal.selectors import staff_aggregates_refresh


@shared_task(queue="default", time_limit=300, soft_time_limit=240)
def refresh_staff_dashboard() -> int:
    """Every few minutes (beat): recompute the staff dashboard's period aggregates into the cache,
    so no page view scans 26 weeks of activities. Safe to run twice."""
    return staff_aggregates_refresh()["verified_clinicians"]
