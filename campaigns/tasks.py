"""Celery tasks of the campaigns app: releasing waiting activities once the clinician is verified,
or once the account a held post came from is proven; reading proven posts' reach from their platforms."""

from celery import shared_task
from django.conf import settings

from campaigns import reach_import
from campaigns.services import activities_release_for_account, activities_release_for_clinician


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_release(clinician_id: int) -> int:
    """Accept the clinician's clean 'submitted' activities; safe to run twice (the second finds none)."""
    return activities_release_for_clinician(clinician_id=clinician_id)


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_release_for_proven_account(account_id: int) -> int:
    """Re-match posts held for ownership against the newly proven account; safe to run twice."""
    return activities_release_for_account(account_id=account_id)


@shared_task(queue="default")
def metric_readings_schedule() -> int:
    """Beat: create the reach readings that fell due (1 h, 1 d, 7 d after posting) and promise them."""
    return reach_import.metric_readings_schedule()


# The service gives up after REACH_MAX_ATTEMPTS; max_retries only bounds Celery past that (a second stop).
@shared_task(
    bind=True,
    queue="default",
    soft_time_limit=30,
    time_limit=60,
    acks_late=True,
    max_retries=settings.REACH_MAX_ATTEMPTS + 1,
)
def metric_reading_fetch(self, reading_id: int) -> str:
    """Read one post's figures from its platform and re-price it; safe to run twice (a reading that is
    no longer due is left alone). A platform answering 429 / 5xx is retried after its Retry-After or
    an exponential backoff; the service marks the reading failed after REACH_MAX_ATTEMPTS tries."""
    try:
        return reach_import.metric_reading_import(reading_id=reading_id)
    except reach_import.ReadingRetryLater as error:
        raise self.retry(countdown=error.countdown) from error


@shared_task(queue="default", soft_time_limit=60, time_limit=90, acks_late=True)
def activities_label_own_citations(clinician_id: int) -> int:
    """Re-label the clinician's research posts citing their own ORCID works; safe to run twice."""
    from campaigns.services import activities_label_own_citations as label

    return label(clinician_id=clinician_id)
