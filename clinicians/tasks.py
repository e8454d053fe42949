"""Celery tasks of the clinicians app: the NPI registry check and the daily expiry/reminder run.

Both take ids (or nothing), run on the "default" queue and are safe to deliver twice: the
registry check only touches a credential still awaiting its first decision, and reminders are
claimed with a conditional update.
"""

from celery import shared_task

from clinicians import registry, services


@shared_task(
    queue="default",
    bind=True,
    soft_time_limit=30,
    time_limit=60,
    max_retries=5,
)
def credential_registry_check(self, credential_id: int) -> str:
    """Look an NPI up in NPPES and apply the answer; an unreachable registry is recorded and retried."""
    from clinicians.models import Credential

    number = Credential.objects.filter(pk=credential_id).values_list("identifier", flat=True).first()
    if number is None:
        return "missing"
    try:
        answer = registry.npi_lookup(number=number)
    except registry.RegistryUnreachable as error:
        applied = services.credential_registry_apply(credential_id=credential_id, answer=None, error=str(error)[:200])
        if applied is None:
            return "already decided"
        if self.request.retries >= self.max_retries:
            return "unreachable; left for review"
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries)) from error
    applied = services.credential_registry_apply(credential_id=credential_id, answer=answer)
    return "already decided" if applied is None else applied.status


@shared_task(queue="default", soft_time_limit=600, time_limit=900)
def credentials_expire_and_remind() -> dict[str, int]:
    """Daily (beat): expire credentials past their date, send 30- and 7-day reminders, refresh statuses."""
    return services.credentials_expire_and_remind()
