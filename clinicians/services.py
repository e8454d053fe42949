"""Writes for clinicians: one keyword-only function per business action."""

import datetime as dt
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinicians.models import (
    Clinician,
    Credential,
    CredentialDecision,
    CredentialKind,
    CredentialStatus,
    IdentityKind,
    LinkedIdentity,
    Platform,
    ProofMethod,
    ProofStatus,
    RegistryResult,
    SocialAccount,
    VerificationStatus,
)
from clinicians.registry import registry_compare
from clinicians.signals import publications_updated, social_account_proven, verification_status_changed
from core.models import NotificationKind, User
from core.services import notification_send, outbox_enqueue

PROFILE_FIELDS = [
    "display_name",
    "profession",
    "specialty",
    "specialty_other",
    "organisation",
    "country",
    "state",
    "bio",
    "public_profile",
    "leaderboard_opt_in",
    "time_zone",
]
# Credentials that make a clinician verified; a board certification alone does not.
VERIFYING_KINDS = [
    CredentialKind.NPI,
    CredentialKind.MEDICAL_LICENCE,
    CredentialKind.NURSING_LICENCE,
    CredentialKind.OTHER_LICENCE,
]
DECISION_FIELDS = ["status", "decided_by", "decided_at", "decision_reason", "review_reason", "updated_at"]
EMAIL_PREFIX = "clinicians/email/credential_decision"


@transaction.atomic
def clinician_register(*, user: User) -> Clinician:
    """Give a newly signed-up user a (still incomplete) clinician profile. Safe to call twice."""
    clinician, _ = Clinician.objects.get_or_create(user=user)
    return clinician


@transaction.atomic
def clinician_profile_update(*, clinician: Clinician, data: dict) -> Clinician:
    """Store the profile fields; the first complete save marks onboarding done.

    Once verified, public pages keep the verified name; a new display name waits for staff review.
    """
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(clinician, name, data[name])
    if clinician.country != "US":
        clinician.state = ""
    update_fields = [*PROFILE_FIELDS, "name_change_pending", "updated_at"]
    # Public pages keep showing the verified name; a different display name waits for staff review.
    clinician.name_change_pending = bool(clinician.verified_name) and clinician.display_name != clinician.verified_name
    if clinician.profile_completed_at is None:
        clinician.profile_completed_at = timezone.now()
        update_fields.append("profile_completed_at")
    clinician.full_clean()
    clinician.save(update_fields=update_fields)
    return clinician


@transaction.atomic
def clinician_name_approve(*, clinician: Clinician, actor: User) -> Clinician:
    """Staff checked a verified clinician's new display name: public pages show it from now on."""
    clinician = Clinician.objects.select_for_update().get(pk=clinician.pk)
    clinician.verified_name = clinician.display_name
    clinician.name_change_pending = False
    clinician.save(update_fields=["verified_name", "name_change_pending", "updated_at"])
    return clinician


@transaction.atomic
def clinician_verification_end(*, clinician: Clinician) -> Clinician:
    """End the clinician's verification for good (account deletion): no new points from now on.

    A verified clinician becomes lapsed as of now, so points already earned stay exactly as they
    are (pricing keeps what was posted before the lapse); anyone else becomes unverified.
    """
    clinician = Clinician.objects.select_for_update().get(pk=clinician.pk)
    old_status = clinician.verification_status
    now = timezone.now()
    if old_status in (VerificationStatus.VERIFIED, VerificationStatus.LAPSED):
        clinician.verification_status = VerificationStatus.LAPSED
        clinician.lapsed_at = min(clinician.lapsed_at or now, now)
    else:
        clinician.verification_status = VerificationStatus.UNVERIFIED
    clinician.verified_name = ""
    clinician.name_change_pending = False
    clinician.save(
        update_fields=["verification_status", "lapsed_at", "verified_name", "name_change_pending", "updated_at"]
    )
    if clinician.verification_status != old_status:
        verification_status_changed.send(
            sender=Clinician,
            clinician_id=clinician.pk,
            old_status=old_status,
            new_status=clinician.verification_status,
        )
    return clinician


@transaction.atomic
def clinician_verification_refresh(*, clinician: Clinician) -> Clinician:
    """Derive the clinician's status from the credentials and tell other apps when it changed.

    verified: a verified, unexpired licence or NPI; lapsed: verified once, now every verified
    credential expired; pending: something awaits a decision; unverified: nothing of the above.
    """
    clinician = Clinician.objects.select_for_update().get(pk=clinician.pk)
    today = timezone.localdate()
    credentials = Credential.objects.filter(clinician=clinician)
    licences = credentials.filter(kind__in=VERIFYING_KINDS)
    if licences.filter(status=CredentialStatus.VERIFIED).exclude(expires_on__lt=today).exists():
        new_status = VerificationStatus.VERIFIED
    elif licences.filter(status=CredentialStatus.EXPIRED, decisions__status=CredentialStatus.VERIFIED).exists():
        new_status = VerificationStatus.LAPSED
    elif credentials.filter(status__in=[CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW]).exists():
        new_status = VerificationStatus.PENDING
    else:
        new_status = VerificationStatus.UNVERIFIED
    old_status = clinician.verification_status
    if new_status == old_status:
        return clinician
    now = timezone.now()
    clinician.verification_status = new_status
    if new_status == VerificationStatus.VERIFIED:
        clinician.verified_at = now
        clinician.lapsed_at = None
        # The display name is what the registry match or the reviewer checked against the credential.
        clinician.verified_name = clinician.display_name
        clinician.name_change_pending = False
    elif new_status == VerificationStatus.LAPSED:
        clinician.lapsed_at = now
    clinician.save(
        update_fields=[
            "verification_status",
            "verified_at",
            "lapsed_at",
            "verified_name",
            "name_change_pending",
            "updated_at",
        ]
    )
    # Receivers (higher apps) only write outbox rows, so sending inside the transaction is safe:
    # nothing is published unless it commits.
    verification_status_changed.send(
        sender=Clinician, clinician_id=clinician.pk, old_status=old_status, new_status=new_status
    )
    return clinician


def _evidence_original_name(upload: UploadedFile) -> str:
    return PurePath(upload.name or "").name[:255]


@transaction.atomic
def credential_submit(
    *,
    clinician: Clinician,
    kind: str,
    identifier: str,
    issuer: str = "",
    expires_on: dt.date | None = None,
    evidence: UploadedFile | None = None,
    evidence_content_type: str = "",
) -> Credential:
    """Store a claimed credential (validated by the form). A claim of the same identifier by another
    account goes to review; an NPI is looked up in the registry after commit."""
    from clinicians.tasks import credential_registry_check

    credential = Credential(
        clinician=clinician,
        kind=kind,
        identifier=identifier.strip(),
        issuer=issuer.strip() or ("NPPES" if kind == CredentialKind.NPI else ""),
        expires_on=expires_on,
        evidence_content_type=evidence_content_type if evidence else "",
    )
    if evidence is not None:
        credential.evidence = evidence
        credential.evidence_original_name = _evidence_original_name(evidence)
        credential.evidence_size = evidence.size or 0
    others = (
        Credential.objects.filter(kind=kind, identifier=credential.identifier)
        .exclude(clinician=clinician)
        .exclude(status=CredentialStatus.REJECTED)
    )
    if others.exists():
        credential.duplicate_claim = True
        credential.status = CredentialStatus.NEEDS_REVIEW
        credential.review_reason = "The same identifier is claimed by another account."
        others.update(duplicate_claim=True, updated_at=timezone.now())
    credential.full_clean()
    try:
        credential.save()
        CredentialDecision.objects.create(
            credential=credential, status=credential.status, reason=credential.review_reason, actor=clinician.user
        )
        clinician_verification_refresh(clinician=clinician)
    except Exception:
        # The database rolls back; the file written by save() must not outlive it.
        if credential.evidence.name:
            credential.evidence.storage.delete(credential.evidence.name)
        raise
    if kind == CredentialKind.NPI and credential.status == CredentialStatus.SUBMITTED:
        # Through the outbox: a broker that is down delays the look-up, never the saved submission.
        outbox_enqueue(task=credential_registry_check, args=[credential.pk])
    return credential


def _credential_decide(*, credential: Credential, status: str, actor: User | None, reason: str) -> Credential:
    """Record a decision on a locked credential: the latest on the row, every one in the history."""
    credential.status = status
    credential.decided_by = actor
    credential.decided_at = timezone.now()
    credential.decision_reason = reason
    if status == CredentialStatus.NEEDS_REVIEW:
        credential.review_reason = reason
    credential.full_clean()
    credential.save(update_fields=DECISION_FIELDS)
    CredentialDecision.objects.create(credential=credential, status=status, reason=reason, actor=actor)
    clinician_verification_refresh(clinician=credential.clinician)
    return credential


def _credential_notify(*, credential: Credential, kind: str, title: str, body: str) -> None:
    notification_send(
        user=credential.clinician.user,
        kind=kind,
        title=title,
        body=body,
        url=reverse("clinicians:credential_detail", args=[credential.pk]),
        email_template_prefix=EMAIL_PREFIX,
        email_context={"credential": credential, "clinician": credential.clinician},
    )


def _credential_lock(credential: Credential) -> Credential:
    return Credential.objects.select_for_update().select_related("clinician__user").get(pk=credential.pk)


@transaction.atomic
def credential_verify(*, credential: Credential, actor: User | None, reason: str = "") -> Credential:
    """Verify a credential (by an admin, or automatically when actor is None) and tell the clinician."""
    credential = _credential_lock(credential)
    credential = _credential_decide(
        credential=credential, status=CredentialStatus.VERIFIED, actor=actor, reason=reason or "Verified."
    )
    _credential_notify(
        credential=credential,
        kind=NotificationKind.CREDENTIAL_VERIFIED,
        title=f"Your {credential.get_kind_display()} was verified",
        body=f"{credential.get_kind_display()} {credential.identifier} is verified.",
    )
    return credential


@transaction.atomic
def credential_reject(*, credential: Credential, actor: User, reason: str) -> Credential:
    """Reject a credential with a reason the clinician reads."""
    if not reason.strip():
        raise ValueError("A rejection needs a reason.")
    credential = _credential_lock(credential)
    credential = _credential_decide(
        credential=credential, status=CredentialStatus.REJECTED, actor=actor, reason=reason.strip()
    )
    _credential_notify(
        credential=credential,
        kind=NotificationKind.CREDENTIAL_REJECTED,
        title=f"Your {credential.get_kind_display()} was not accepted",
        body=f"{credential.get_kind_display()} {credential.identifier} was rejected: {credential.decision_reason}",
    )
    return credential


@transaction.atomic
def credential_flag_for_review(*, credential: Credential, reason: str, actor: User | None = None) -> Credential:
    """Send a credential to the admin queue with the reason (registry mismatch, duplicate, ...)."""
    credential = _credential_lock(credential)
    return _credential_decide(credential=credential, status=CredentialStatus.NEEDS_REVIEW, actor=actor, reason=reason)


@transaction.atomic
def credential_registry_apply(*, credential_id: int, answer: dict | None, error: str = "") -> Credential | None:
    """Store a registry answer (or that the registry was unreachable) and act on it.

    Only a credential still awaiting its first decision is touched, so a re-delivered task does
    nothing. A full match with an active status verifies when settings.NPI_AUTO_VERIFY is on;
    anything else goes to review with the reason; unreachable never verifies.
    """
    awaiting = Q(status=CredentialStatus.SUBMITTED) | Q(
        status=CredentialStatus.NEEDS_REVIEW, registry_result=RegistryResult.UNREACHABLE, decided_by__isnull=True
    )
    credential = (
        Credential.objects.select_for_update()
        .select_related("clinician__user")
        .filter(awaiting, pk=credential_id, kind=CredentialKind.NPI)
        .first()
    )
    if credential is None:
        return None
    credential.registry_checked_at = timezone.now()
    if answer is None:
        credential.registry_result = RegistryResult.UNREACHABLE
        credential.save(update_fields=["registry_result", "registry_checked_at", "updated_at"])
        reason = f"NPI registry unreachable ({error}); will retry, or review by hand."
        if credential.status != CredentialStatus.NEEDS_REVIEW or credential.review_reason != reason:
            _credential_decide(credential=credential, status=CredentialStatus.NEEDS_REVIEW, actor=None, reason=reason)
        return credential
    comparison = registry_compare(answer=answer, clinician=credential.clinician)
    credential.registry_snapshot = answer
    credential.registry_result = (
        RegistryResult.MATCH
        if comparison.full_match
        else RegistryResult.MISMATCH
        if comparison.found
        else RegistryResult.NOT_FOUND
    )
    credential.save(update_fields=["registry_snapshot", "registry_result", "registry_checked_at", "updated_at"])
    if comparison.full_match and comparison.active and settings.NPI_AUTO_VERIFY:
        return credential_verify(credential=credential, actor=None, reason="Automatic: full match in the NPI registry.")
    reason = " ".join(comparison.problems) or "Registry match; automatic verification is off."
    return _credential_decide(credential=credential, status=CredentialStatus.NEEDS_REVIEW, actor=None, reason=reason)


def credentials_expire_and_remind(*, today: dt.date | None = None) -> dict[str, int]:
    """Expire credentials past their date, remind 30 and 7 days ahead (each once), refresh statuses."""
    today = today or timezone.localdate()
    now = timezone.now()
    expired = 0
    affected: set[int] = set()
    due = Credential.objects.filter(
        expires_on__lt=today,
        status__in=[CredentialStatus.VERIFIED, CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW],
    ).values_list("pk", "clinician_id")
    for credential_id, clinician_id in due:
        with transaction.atomic():
            credential = Credential.objects.select_for_update().filter(pk=credential_id, expires_on__lt=today).first()
            if credential is None or credential.status not in (
                CredentialStatus.VERIFIED,
                CredentialStatus.SUBMITTED,
                CredentialStatus.NEEDS_REVIEW,
            ):
                continue
            credential.status = CredentialStatus.EXPIRED
            credential.save(update_fields=["status", "updated_at"])
            CredentialDecision.objects.create(
                credential=credential, status=CredentialStatus.EXPIRED, reason=f"Expired on {credential.expires_on}."
            )
            expired += 1
            affected.add(clinician_id)
    reminders = 0
    for days, field in ((7, "reminded_7_at"), (30, "reminded_30_at")):
        candidates = Credential.objects.filter(
            status=CredentialStatus.VERIFIED,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=days),
            **{f"{field}__isnull": True},
        ).select_related("clinician__user")
        for credential in candidates:
            with transaction.atomic():
                # Claim the reminder with a conditional update, so two runs never send it twice.
                claim = {field: now}
                if days == 7:
                    claim["reminded_30_at"] = credential.reminded_30_at or now
                claimed = Credential.objects.filter(pk=credential.pk, **{f"{field}__isnull": True}).update(**claim)
                if not claimed:
                    continue
                left = (credential.expires_on - today).days
                _credential_notify(
                    credential=credential,
                    kind=NotificationKind.CREDENTIAL_EXPIRING,
                    title=f"Your {credential.get_kind_display()} expires in {left} days",
                    body=(
                        f"{credential.get_kind_display()} {credential.identifier} expires on "
                        f"{credential.expires_on:%d %B %Y}. Submit the renewed credential to stay verified."
                    ),
                )
                reminders += 1
    for clinician in Clinician.objects.filter(pk__in=affected):
        clinician_verification_refresh(clinician=clinician)
    return {"expired": expired, "reminded": reminders}


def _proof_code_new() -> str:
    return "advocacy-proof-" + secrets.token_hex(5)


def _proven_elsewhere(*, clinician: Clinician, platform: str, handle: str, provider_account_id: str = "") -> bool:
    """Whether another clinician has proven this handle (or this platform account id)."""
    others = SocialAccount.objects.proven().filter(platform=platform).exclude(clinician=clinician)
    by_id = Q(provider_account_id=provider_account_id) if provider_account_id else Q(pk__in=[])
    return others.filter(Q(handle=handle) | by_id).exists()


PROVEN_ELSEWHERE_MESSAGE = (
    "This account is already proven by another clinician. Contact the association if it is yours."
)


@transaction.atomic
def social_account_link(*, clinician: Clinician, platform: str, handle: str, profile_url: str) -> SocialAccount:
    """Link a (form-normalised) handle as self-reported, with a code the clinician can use to prove it.

    A handle another clinician has proven is refused; one only claimed by another goes to review, both sides.
    """
    if _proven_elsewhere(clinician=clinician, platform=platform, handle=handle):
        raise ValidationError({"handle": PROVEN_ELSEWHERE_MESSAGE}, code="proven_elsewhere")
    others = SocialAccount.objects.filter(platform=platform, handle=handle).exclude(clinician=clinician)
    account = SocialAccount(
        clinician=clinician,
        platform=platform,
        handle=handle,
        profile_url=profile_url,
        needs_review=others.exists(),
        proof_code=_proof_code_new(),
    )
    account.full_clean()
    account.save()
    if account.needs_review:
        others.update(needs_review=True)
    return account


@transaction.atomic
def social_account_unlink(*, account: SocialAccount) -> None:
    """Remove a linked account (the selector has checked it belongs to the clinician).

    Activities keep the proof summary they were accepted on; their link to the account is cleared.
    """
    account.delete()


@transaction.atomic
def social_account_prove(
    *,
    clinician: Clinician,
    platform: str,
    handle: str,
    method: str,
    provider: str = "",
    provider_account_id: str = "",
    profile_url: str = "",
    actor: User | None = None,
    note: str = "",
) -> SocialAccount:
    """Mark the clinician's account on the platform proven (creating the link if needed).

    The account is found by the platform's account id first (a handle can be renamed), then by
    handle. Raises ValidationError when another clinician has proven the same handle or id.
    """
    handle = handle.strip().lstrip("@").lower() if platform != Platform.OTHER else handle.strip()
    if not handle:
        raise ValidationError("The platform did not tell which account this is.")
    taken = _proven_elsewhere(
        clinician=clinician, platform=platform, handle=handle, provider_account_id=provider_account_id
    )
    if taken:
        raise ValidationError(PROVEN_ELSEWHERE_MESSAGE, code="proven_elsewhere")
    mine = SocialAccount.objects.select_for_update().filter(clinician=clinician, platform=platform)
    account = None
    if provider_account_id:
        account = mine.filter(provider_account_id=provider_account_id).first()
    account = account or mine.filter(handle=handle).first()
    if account is None:
        account = SocialAccount(clinician=clinician, platform=platform, proof_code=_proof_code_new())
    elif account.handle != handle and mine.filter(handle=handle).exclude(pk=account.pk).exists():
        # The id's account was renamed to a handle also linked separately: keep one row.
        mine.filter(handle=handle).exclude(pk=account.pk).delete()
    account.handle = handle
    account.profile_url = profile_url or account.profile_url
    account.proof_status = ProofStatus.PROVEN
    account.proof_method = method
    account.proven_at = timezone.now()
    account.proof_checked_at = account.proven_at
    account.provider = provider
    account.provider_account_id = provider_account_id or account.provider_account_id
    account.proven_by = actor
    account.proof_note = note
    account.needs_review = False
    account.full_clean()
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        # Another clinician's proof of the same handle committed first (socialaccount_proven_once).
        raise ValidationError(PROVEN_ELSEWHERE_MESSAGE, code="proven_elsewhere") from None
    social_account_proven.send(sender=SocialAccount, account_id=account.pk, clinician_id=clinician.pk)
    return account


@transaction.atomic
def social_account_prove_by_staff(*, account: SocialAccount, actor: User, reason: str) -> SocialAccount:
    """A staff member vouches for the account (e.g. Threads, which has no public API): who and why."""
    if not reason.strip():
        raise ValidationError("Say why the account is proven (what you checked).")
    return social_account_prove(
        clinician=account.clinician,
        platform=account.platform,
        handle=account.handle,
        method=ProofMethod.STAFF,
        profile_url=account.profile_url,
        provider_account_id=account.provider_account_id,
        actor=actor,
        note=reason.strip(),
    )


@transaction.atomic
def social_account_proof_check_request(*, account_id: int) -> None:
    """Promise a worker's read of the account's public profile (through the outbox: a broker that is
    down delays the check, never the request)."""
    from clinicians.tasks import social_account_proof_check

    outbox_enqueue(task=social_account_proof_check, args=[account_id])


def social_account_proof_apply(
    *, account_id: int, found: bool | None, provider_account_id: str = "", note: str = ""
) -> SocialAccount | None:
    """Apply one read of the public profile for a code proof.

    found=True proves the account; found=False (the profile answered without the code, or the
    account is gone) lapses a code proof; found=None (unreachable) only records the note, so a
    platform outage never takes a proof away.
    """
    account = SocialAccount.objects.select_for_update().select_related("clinician").filter(pk=account_id).first()
    if account is None:
        return None
    now = timezone.now()
    if found and not (account.is_proven and account.proof_method == ProofMethod.PROFILE_CODE):
        try:
            return social_account_prove(
                clinician=account.clinician,
                platform=account.platform,
                handle=account.handle,
                method=ProofMethod.PROFILE_CODE,
                profile_url=account.profile_url,
                provider_account_id=provider_account_id,
                note=note,
            )
        except ValidationError as error:
            found, note = None, " ".join(error.messages)
    account.proof_checked_at = now
    account.proof_note = note
    fields = ["proof_checked_at", "proof_note"]
    if found is False and account.is_proven and account.proof_method == ProofMethod.PROFILE_CODE:
        account.proof_status = ProofStatus.LAPSED
        fields.append("proof_status")
    account.save(update_fields=fields)
    return account


# Where each provider puts the NPI, if it reports one (Doximity's profile data; checked in order).
NPI_KEYS = ("npi", "npi_number")


def _profile_name(profile: dict) -> str:
    for keys in (("name",), ("given_name", "family_name"), ("firstname", "lastname"), ("first_name", "last_name")):
        parts = [str(profile.get(key) or "").strip() for key in keys]
        if all(parts):
            return " ".join(parts)[:200]
    return ""


def _profile_npi(profile: dict) -> str:
    for key in NPI_KEYS:
        value = str(profile.get(key) or "").strip()
        if len(value) == 10 and value.isdigit():
            return value
    return ""


@transaction.atomic
def identity_link(*, clinician: Clinician, kind: str, account_id: str, profile: dict) -> LinkedIdentity:
    """Record the Doximity or ORCID account the clinician connected (allauth adapter).

    Refuses an account another clinician linked. For ORCID, promises the worker's read of the
    record's works (through the outbox), so posts citing the clinician's own DOIs are recognised.
    """
    from clinicians.tasks import orcid_works_fetch

    account_id = account_id.strip()
    if not account_id:
        raise ValidationError("The provider did not say which account this is.")
    if LinkedIdentity.objects.filter(kind=kind, account_id=account_id).exclude(clinician=clinician).exists():
        raise ValidationError(f"This {IdentityKind(kind).label} account is already linked to another clinician.")
    identity, _ = LinkedIdentity.objects.update_or_create(
        clinician=clinician,
        kind=kind,
        defaults={
            "account_id": account_id,
            "name": _profile_name(profile),
            "npi": _profile_npi(profile) if kind == IdentityKind.DOXIMITY else "",
            "linked_at": timezone.now(),
        },
    )
    if kind == IdentityKind.ORCID:
        outbox_enqueue(task=orcid_works_fetch, args=[identity.pk])
    return identity


@transaction.atomic
def identity_works_apply(*, identity_id: int, dois: list[str]) -> LinkedIdentity | None:
    """Store the DOIs read from the ORCID record; tells the campaigns app when they changed."""
    identity = LinkedIdentity.objects.select_for_update().filter(pk=identity_id, kind=IdentityKind.ORCID).first()
    if identity is None:
        return None
    changed = sorted(dois) != sorted(identity.publication_dois)
    identity.publication_dois = sorted(dois)
    identity.works_fetched_at = timezone.now()
    identity.save(update_fields=["publication_dois", "works_fetched_at"])
    if changed:
        publications_updated.send(sender=LinkedIdentity, clinician_id=identity.clinician_id)
    return identity
