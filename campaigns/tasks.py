"""Celery tasks of the campaigns app: releasing waiting activities once the clinician is verified,
or once the account a held post came from is proven."""

from celery import shared_task

from campaigns.services import activities_release_for_account, activities_release_for_clinician


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_release(clinician_id: int) -> int:
    """Accept the clinician's clean 'submitted' activities; safe to run twice (the second finds none)."""
    return activities_release_for_clinician(clinician_id=clinician_id)


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_release_for_proven_account(account_id: int) -> int:
    """Re-match posts held for ownership against the newly proven account; safe to run twice."""
    return activities_release_for_account(account_id=account_id)
