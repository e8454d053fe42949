"""Celery tasks of the clinicians app: the NPI registry check, the daily expiry/reminder run, and
the code proofs of linked social accounts (checked on request and re-checked daily).

All take ids (or nothing), run on the "default" queue and are safe to deliver twice: the
registry check only touches a credential still awaiting its first decision, reminders are
claimed with a conditional update, and a proof check re-applies the same reading.
"""

from celery import shared_task
from django.db import transaction

from clinicians import orcid_works, public_profiles, registry, selectors, services


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


@shared_task(queue="default", soft_time_limit=30, time_limit=60, acks_late=True)
def social_account_proof_check(account_id: int) -> str:
    """Read the account's public profile and prove (or lapse) its code proof; safe to run twice."""
    from clinicians.models import SocialAccount

    account = SocialAccount.objects.filter(pk=account_id).first()
    if account is None or account.platform not in public_profiles.CODE_PROOF_PLATFORMS or not account.proof_code:
        return "not checkable"
    try:
        profile = public_profiles.public_profile_fetch(
            platform=account.platform, handle=account.handle, profile_url=account.profile_url, code=account.proof_code
        )
    except public_profiles.ProfileNotFound as error:
        services.social_account_proof_apply(account_id=account_id, found=False, note=f"Profile not found ({error}).")
        return "not found"
    except public_profiles.ProfileUnreachable as error:
        services.social_account_proof_apply(account_id=account_id, found=None, note=f"Could not read ({error}).")
        return "unreachable"
    found = account.proof_code in profile.text
    note = "Code found in the public profile." if found else f"The code {account.proof_code} is not in the profile."
    applied = services.social_account_proof_apply(
        account_id=account_id, found=found, provider_account_id=profile.account_id, note=note
    )
    return applied.get_proof_status_display() if applied else "missing"


@shared_task(queue="default", soft_time_limit=60, time_limit=90)
def social_account_proofs_recheck() -> int:
    """Daily (beat): re-read every code-proven account, so a proof lapses when the code is removed."""
    ids = list(selectors.social_account_ids_to_recheck())
    with transaction.atomic():
        for account_id in ids:
            services.social_account_proof_check_request(account_id=account_id)
    return len(ids)


@shared_task(bind=True, queue="default", soft_time_limit=30, time_limit=60, acks_late=True, max_retries=5)
def orcid_works_fetch(self, identity_id: int) -> int:
    """Read the works on the linked ORCID record and store their DOIs; safe to run twice (the same
    DOIs are stored again and nothing is announced). ORCID unavailable: retried with backoff."""
    from clinicians.models import IdentityKind, LinkedIdentity

    identity = LinkedIdentity.objects.filter(pk=identity_id, kind=IdentityKind.ORCID).first()
    if identity is None:
        return 0
    try:
        dois = orcid_works.orcid_work_dois(orcid=identity.account_id)
    except orcid_works.WorksUnavailable as error:
        raise self.retry(countdown=60 * 2**self.request.retries) from error
    services.identity_works_apply(identity_id=identity_id, dois=dois)
    return len(dois)
