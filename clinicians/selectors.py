"""Reads for clinicians. Access checks live here: a selector returns only what the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from clinicians.models import Clinician, Credential, ProofMethod, ProofStatus, SocialAccount, VerificationStatus
from core.models import User


def clinician_of(*, user: User) -> Clinician | None:
    """The user's clinician profile, or None for accounts without one (staff, admins).

    Read through the cached reverse relation, so the onboarding middleware and the view that
    follows share one query per request.
    """
    if not user.is_authenticated:
        return None
    try:
        return user.clinician
    except Clinician.DoesNotExist:
        return None


def clinician_for_user(*, user: User) -> Clinician:
    """The user's own clinician profile; 404 for accounts without one (staff, admins)."""
    clinician = clinician_of(user=user)
    if clinician is None:
        raise Http404("No clinician profile for this account.")
    return clinician


def credential_list_for_clinician(*, clinician: Clinician) -> QuerySet[Credential]:
    return Credential.objects.filter(clinician=clinician).order_by("-created_at", "-id")


# Staff see other people's credentials and evidence documents only with these permissions (the
# Verifier and Association admin roles); staff status alone grants nothing.
VIEW_CREDENTIAL_PERMISSION = "clinicians.view_credential"
VIEW_EVIDENCE_PERMISSION = "clinicians.view_evidence"


def _credential_get(*, user: User, pk: int, permission: str) -> Credential:
    credentials = Credential.objects.select_related("clinician__user")
    if not user.has_perm(permission):
        credentials = credentials.filter(clinician__user_id=user.pk)
    credential = credentials.filter(pk=pk).first()
    if credential is None:
        raise Http404("No such credential.")
    return credential


def credential_get_for_user(*, user: User, pk: int) -> Credential:
    """A credential its owner or a holder of clinicians.view_credential may see; anyone else gets 404,
    never a hint that it exists."""
    return _credential_get(user=user, pk=pk, permission=VIEW_CREDENTIAL_PERMISSION)


def credential_evidence_get_for_user(*, user: User, pk: int) -> Credential:
    """A credential whose evidence document the user may download: their own, or any with the
    clinicians.view_evidence permission; anyone else gets 404."""
    return _credential_get(user=user, pk=pk, permission=VIEW_EVIDENCE_PERMISSION)


def credential_decisions(*, credential: Credential) -> QuerySet:
    return credential.decisions.select_related("actor").order_by("-created_at", "-id")


def credential_other_claims(*, credential: Credential) -> QuerySet[Credential]:
    """Other accounts' credentials with the same kind and identifier (for the admin)."""
    return (
        Credential.objects.filter(kind=credential.kind, identifier=credential.identifier)
        .exclude(clinician_id=credential.clinician_id)
        .select_related("clinician__user")
        .order_by("created_at")
    )


def clinician_public_get(*, public_id) -> Clinician:
    """The public verification page shows only opted-in, verified clinicians; others are 404."""
    clinician = Clinician.objects.filter(
        public_id=public_id, public_profile=True, verification_status=VerificationStatus.VERIFIED
    ).first()
    if clinician is None:
        raise Http404("No public verification for this id.")
    return clinician


def social_account_list_for_clinician(*, clinician: Clinician) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(clinician=clinician).order_by("platform", "handle")


def social_account_get_for_clinician(*, clinician: Clinician, pk: int) -> SocialAccount:
    account = SocialAccount.objects.filter(clinician=clinician, pk=pk).first()
    if account is None:
        raise Http404("No such linked account.")
    return account


def social_account_ids_to_recheck() -> QuerySet:
    """Ids of accounts proven by a code in their profile (re-read daily)."""
    return SocialAccount.objects.filter(
        proof_method=ProofMethod.PROFILE_CODE, proof_status=ProofStatus.PROVEN
    ).values_list("pk", flat=True)


def publication_dois_of(*, clinician_id: int) -> set[str]:
    """The DOIs (lower-case) of the clinician's own works, from their linked ORCID record."""
    from clinicians.models import IdentityKind, LinkedIdentity

    dois = (
        LinkedIdentity.objects.filter(clinician_id=clinician_id, kind=IdentityKind.ORCID)
        .values_list("publication_dois", flat=True)
        .first()
    )
    return set(dois or [])


def doximity_npi_of(*, clinician: Clinician) -> str:
    """The NPI the clinician's linked Doximity account reported, or ''."""
    from clinicians.models import IdentityKind, LinkedIdentity

    return (
        LinkedIdentity.objects.filter(clinician=clinician, kind=IdentityKind.DOXIMITY)
        .values_list("npi", flat=True)
        .first()
        or ""
    )
