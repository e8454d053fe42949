"""Celery tasks of the campaigns app: releasing a newly verified clinician's waiting activities."""

from celery import shared_task

from campaigns.services import activities_release_for_clinician


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_release(clinician_id: int) -> int:
    """Accept the clinician's clean 'submitted' activities; safe to run twice (the second finds none)."""
    return activities_release_for_clinician(clinician_id=clinician_id)
