"""The clinician's share of "My data": the profile, credentials (evidence by name, type and size
only), social accounts and linked identities (Doximity, ORCID) for the export, and their erasure
when the account is deleted.

The portal's `advocacy_portal.services` assembles every app's share; each app owns its own.
"""

import uuid

from django.db import transaction

from clinicians.models import Clinician
from clinicians.services import PROFILE_FIELDS, clinician_verification_end

# Exported besides the fields the clinician edits (clinicians.services.PROFILE_FIELDS).
VERIFICATION_FIELDS = ("verification_status", "verified_at", "profile_completed_at")
CREDENTIAL_FIELDS = (
    "kind",
    "identifier",
    "issuer",
    "expires_on",
    "status",
    "evidence_original_name",
    "evidence_content_type",
    "evidence_size",
    "registry_result",
    "registry_checked_at",
    "decided_at",
    "decision_reason",
    "created_at",
)
SOCIAL_ACCOUNT_FIELDS = (
    "platform",
    "handle",
    "profile_url",
    "proof_status",
    "proof_method",
    "proven_at",
    "provider",
    "provider_account_id",
    "created_at",
)
IDENTITY_FIELDS = ("kind", "account_id", "name", "npi", "publication_dois", "works_fetched_at", "linked_at")
# Emptied on deletion; the profession, specialty and country stay for the association's figures.
ERASED_PROFILE_FIELDS = {
    "organisation": "",
    "specialty_other": "",
    "state": "",
    "bio": "",
    "public_profile": False,
    "leaderboard_opt_in": False,
}


def clinicians_personal_data(*, clinician: Clinician) -> dict[str, list[dict]]:
    """The clinician's profile fields (added to the export's `profile` row), credentials, social
    accounts and linked identities."""
    # The public id follows the display name; the union keeps that order.
    profile = {"display_name": clinician.display_name, "public_id": str(clinician.public_id)} | {
        name: getattr(clinician, name) for name in (*PROFILE_FIELDS, *VERIFICATION_FIELDS)
    }
    return {
        "profile": [profile],
        "credentials": list(clinician.credentials.values(*CREDENTIAL_FIELDS)),
        "social_accounts": list(clinician.social_accounts.values(*SOCIAL_ACCOUNT_FIELDS)),
        "linked_identities": list(clinician.identities.values(*IDENTITY_FIELDS)),
    }


def _files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def clinicians_personal_data_erase(*, clinician: Clinician, pseudonym: str) -> Clinician:
    """End the verification (as a lapse now, so the points already in the kept ledger stay as they
    were), delete the credentials (their evidence files once the deletion commits), social accounts
    and linked identities (Doximity, ORCID: id, name, NPI, works), and leave the profile as
    "Deleted clinician <pseudonym>" with a new public id."""
    evidence_files = [
        (credential.evidence.storage, credential.evidence.name)
        for credential in clinician.credentials.exclude(evidence="")
    ]
    clinician = clinician_verification_end(clinician=clinician)
    clinician.credentials.all().delete()
    clinician.social_accounts.all().delete()
    clinician.identities.all().delete()
    clinician.display_name = f"Deleted clinician {pseudonym}"
    clinician.public_id = uuid.uuid4()
    for name, value in ERASED_PROFILE_FIELDS.items():
        setattr(clinician, name, value)
    clinician.full_clean()
    clinician.save(update_fields=["display_name", "public_id", *ERASED_PROFILE_FIELDS, "updated_at"])
    # Files are removed only once the rows are gone for good.
    transaction.on_commit(lambda: _files_delete(evidence_files))
    return clinician
