"""Clinician profiles, credentials with their decision history, and linked social media accounts."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.storage import private_storage


class Profession(models.TextChoices):
    MD = "md", "Physician (MD)"
    DO = "do", "Physician (DO)"
    NP = "np", "Nurse practitioner (NP)"
    PA = "pa", "Physician assistant (PA)"
    RN = "rn", "Registered nurse (RN)"
    PHARMD = "pharmd", "Pharmacist (PharmD)"
    DENTIST = "dds", "Dentist (DDS/DMD)"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    DIETITIAN = "dietitian", "Dietitian"
    PHYSICAL_THERAPIST = "pt", "Physical therapist"
    OTHER = "other", "Other"


class Specialty(models.TextChoices):
    ALLERGY = "allergy", "Allergy and immunology"
    ANESTHESIOLOGY = "anesthesiology", "Anesthesiology"
    CARDIOLOGY = "cardiology", "Cardiology"
    DERMATOLOGY = "dermatology", "Dermatology"
    EMERGENCY = "emergency", "Emergency medicine"
    ENDOCRINOLOGY = "endocrinology", "Endocrinology"
    FAMILY = "family", "Family medicine"
    GASTROENTEROLOGY = "gastroenterology", "Gastroenterology"
    GERIATRICS = "geriatrics", "Geriatrics"
    INFECTIOUS = "infectious", "Infectious disease"
    INTERNAL = "internal", "Internal medicine"
    NEPHROLOGY = "nephrology", "Nephrology"
    NEUROLOGY = "neurology", "Neurology"
    NURSING = "nursing", "Nursing"
    NUTRITION = "nutrition", "Nutrition and dietetics"
    OBGYN = "obgyn", "Obstetrics and gynecology"
    ONCOLOGY = "oncology", "Oncology"
    OPHTHALMOLOGY = "ophthalmology", "Ophthalmology"
    PEDIATRICS = "pediatrics", "Pediatrics"
    PHARMACY = "pharmacy", "Pharmacy"
    PHYSICAL_THERAPY = "physical_therapy", "Physical therapy"
    PSYCHIATRY = "psychiatry", "Psychiatry"
    PSYCHOLOGY = "psychology", "Psychology"
    PUBLIC_HEALTH = "public_health", "Public health"
    PULMONOLOGY = "pulmonology", "Pulmonology"
    RADIOLOGY = "radiology", "Radiology"
    SURGERY = "surgery", "Surgery"
    OTHER = "other", "Other"


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    PENDING = "pending", "Pending review"
    VERIFIED = "verified", "Verified"
    LAPSED = "lapsed", "Lapsed"


class Platform(models.TextChoices):
    """Social media platforms, shared by linked accounts and logged activities."""

    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    REDDIT = "reddit", "Reddit"
    OTHER = "other", "Blog, podcast or other"


def default_time_zone() -> str:
    """New clinicians start in the association's time zone (CLINICIAN_DEFAULT_TIME_ZONE)."""
    return settings.CLINICIAN_DEFAULT_TIME_ZONE


def time_zone_validate(value: str) -> None:
    """An IANA time zone name this server knows (America/Chicago, Europe/Dublin, ...)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name; choose one from the list.", code="time_zone")


class ClinicianQuerySet(models.QuerySet["Clinician"]):
    def verified(self) -> "ClinicianQuerySet":
        return self.filter(verification_status=VerificationStatus.VERIFIED)


class Clinician(models.Model):
    """The clinician behind a user account. Verification status is derived from credentials."""

    user = models.OneToOneField("core.User", on_delete=models.CASCADE, related_name="clinician")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(max_length=120, blank=True)
    profession = models.CharField(max_length=20, choices=Profession.choices, blank=True)
    specialty = models.CharField(max_length=30, choices=Specialty.choices, blank=True)
    specialty_other = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, default="US")
    state = models.CharField(max_length=2, blank=True, help_text="US state code, for US clinicians.")
    bio = models.TextField(max_length=1000, blank=True)
    public_profile = models.BooleanField(
        default=False, help_text="Show a public verification page at /verify/<public id>/."
    )
    leaderboard_opt_in = models.BooleanField(default=False, help_text="Appear by name on leaderboards.")
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[time_zone_validate],
        help_text="IANA name; the weekly digest arrives on Monday morning in this time zone.",
    )
    verification_status = models.CharField(
        max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(
        null=True, blank=True, help_text="When all verified credentials expired; cleared on re-verification."
    )
    profile_completed_at = models.DateTimeField(null=True, blank=True)
    verified_name = models.CharField(
        max_length=120, blank=True, help_text="The name that was verified (registry or credential review)."
    )
    name_change_pending = models.BooleanField(
        default=False, help_text="The display name differs from the verified name and awaits review."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicianQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [
            # Leaderboards and reports filter on verified clinicians by specialty and state.
            models.Index(fields=["verification_status", "specialty"], name="clinician_status_spec_idx"),
            models.Index(fields=["state"], name="clinician_state_idx"),
            # The default order (display name, id): the admin changelist's first page without a sort.
            models.Index(fields=["display_name", "id"], name="clinician_name_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name or f"Clinician #{self.pk}"

    @property
    def is_profile_complete(self) -> bool:
        return self.profile_completed_at is not None

    @property
    def public_name(self) -> str:
        """The name public pages and leaderboards show: the verified one, once there is one."""
        return self.verified_name or self.display_name


class CredentialKind(models.TextChoices):
    NPI = "npi", "NPI number"
    MEDICAL_LICENCE = "medical_licence", "State medical licence"
    NURSING_LICENCE = "nursing_licence", "Nursing licence"
    BOARD_CERTIFICATION = "board_certification", "Board certification"
    OTHER_LICENCE = "other_licence", "Other licence"


class CredentialStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"
    NEEDS_REVIEW = "needs_review", "Needs review"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired"


class RegistryResult(models.TextChoices):
    NOT_CHECKED = "", "Not checked"
    MATCH = "match", "Match"
    MISMATCH = "mismatch", "Mismatch"
    NOT_FOUND = "not_found", "Not found"
    UNREACHABLE = "unreachable", "Registry unreachable"


def evidence_upload_to(instance: "Credential", filename: str) -> str:
    """A generated name: the uploaded file name never reaches the file system."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.evidence_content_type, "bin"
    )
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class Credential(models.Model):
    """A claim of a professional credential, with private evidence and the latest decision."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=24, choices=CredentialKind.choices)
    identifier = models.CharField(max_length=64, help_text="NPI or licence/certificate number.")
    issuer = models.CharField(max_length=120, blank=True, help_text="Issuing state or body.")
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.FileField(storage=private_storage, upload_to=evidence_upload_to, blank=True)
    evidence_original_name = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=40, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=CredentialStatus.choices, default=CredentialStatus.SUBMITTED)
    review_reason = models.TextField(blank=True, help_text="Why the credential needs review.")
    duplicate_claim = models.BooleanField(default=False)
    registry_result = models.CharField(max_length=12, choices=RegistryResult.choices, blank=True, default="")
    registry_snapshot = models.JSONField(null=True, blank=True)
    registry_checked_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    reminded_30_at = models.DateTimeField(null=True, blank=True)
    reminded_7_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("view_evidence", "Can download credential evidence documents"),
            ("decide_credential", "Can verify or reject credentials"),
        ]
        ordering = ["-created_at", "-id"]
        indexes = [
            # Duplicate-claim detection looks up the same identifier across accounts.
            models.Index(fields=["kind", "identifier"], name="credential_kind_ident_idx"),
            # The admin verification queue: by status, oldest first.
            models.Index(fields=["status", "created_at"], name="credential_queue_idx"),
            # The daily expiry job scans credentials by expiry date.
            models.Index(fields=["expires_on"], name="credential_expiry_idx"),
            # The unfiltered admin queue (oldest first, id as tie-breaker) and the newest-first default
            # order read their first page from this index instead of sorting every credential.
            models.Index(fields=["created_at", "id"], name="credential_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"


class CredentialDecision(models.Model):
    """Append-only history of status changes on a credential: who, when, why."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=16, choices=CredentialStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.credential_id}: {self.status}"


class ProofStatus(models.TextChoices):
    """Whether the portal can show that a linked account belongs to the clinician."""

    SELF_REPORTED = "self_reported", "Self-reported"
    PROVEN = "proven", "Proven"
    LAPSED = "lapsed", "Proof lapsed"


class ProofMethod(models.TextChoices):
    NONE = "", "None"
    OAUTH = "oauth", "Signed in with the platform (OAuth / OpenID Connect)"
    PROFILE_CODE = "profile_code", "Code in the public profile"
    STAFF = "staff", "Proven by staff"


class SocialAccountQuerySet(models.QuerySet["SocialAccount"]):
    def proven(self) -> "SocialAccountQuerySet":
        return self.filter(proof_status=ProofStatus.PROVEN)


class SocialAccount(models.Model):
    """A social media account the clinician says is theirs, and how (if at all) that was proven."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="social_accounts")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=200, help_text="Normalised handle (Mastodon: user@server).")
    profile_url = models.URLField(max_length=500, blank=True)
    needs_review = models.BooleanField(default=False, help_text="Also claimed by another clinician.")
    proof_status = models.CharField(max_length=16, choices=ProofStatus.choices, default=ProofStatus.SELF_REPORTED)
    proof_method = models.CharField(max_length=16, choices=ProofMethod.choices, blank=True, default="")
    proven_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=40, blank=True, help_text="allauth provider id, for OAuth proofs.")
    provider_account_id = models.CharField(
        max_length=200, blank=True, help_text="The platform's own id of the account (OAuth uid, Bluesky DID, ...)."
    )
    proof_code = models.CharField(max_length=40, blank=True, help_text="The code to put in the public profile.")
    proof_checked_at = models.DateTimeField(null=True, blank=True)
    proof_note = models.TextField(blank=True, help_text="The last check's outcome, or staff's reason.")
    proven_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            # A clinician links a given handle once; a second clinician claiming it is flagged instead.
            models.UniqueConstraint(
                fields=["clinician", "platform", "handle"], name="socialaccount_unique_per_clinician"
            ),
            # One proof per account: a handle proven by one clinician cannot be proven by another
            # (the services refuse it with a message; this closes the race between two proofs).
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=models.Q(proof_status="proven"),
                name="socialaccount_proven_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(proof_status="proven") | ~models.Q(proof_method=""),
                name="socialaccount_proven_has_method",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "handle"], name="socialaccount_handle_idx"),
            # The beat re-check walks code-proven accounts.
            models.Index(fields=["proof_method", "proof_status"], name="socialaccount_proof_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle}"

    @property
    def is_proven(self) -> bool:
        return self.proof_status == ProofStatus.PROVEN

    def proof_summary(self) -> str:
        """One line an auditor can read: which account, proven how and when."""
        if not self.is_proven:
            return f"{self} ({self.get_proof_status_display().lower()})"
        via = self.get_proof_method_display()
        if self.proof_method == ProofMethod.OAUTH:
            via = f"OAuth ({self.provider}, account id {self.provider_account_id})"
        elif self.proof_method == ProofMethod.PROFILE_CODE:
            via = f"code {self.proof_code} in the public profile"
        when = timezone.localtime(self.proven_at).strftime("%Y-%m-%d %H:%M %Z") if self.proven_at else "?"
        return f"{self} proven by {via} on {when}"


class IdentityKind(models.TextChoices):
    """Professional identities a clinician links by signing in (allauth), besides social accounts."""

    DOXIMITY = "doximity", "Doximity (verified physician)"
    ORCID = "orcid", "ORCID iD (publications)"


class LinkedIdentity(models.Model):
    """A Doximity or ORCID account the clinician connected: a verified physician identity (with the
    NPI Doximity reports, if any) or the ORCID record whose works are the clinician's publications."""

    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=12, choices=IdentityKind.choices)
    account_id = models.CharField(max_length=100, help_text="Doximity user id, or the ORCID iD.")
    name = models.CharField(max_length=200, blank=True, help_text="The name the provider reported.")
    npi = models.CharField(max_length=10, blank=True, help_text="The NPI Doximity reported, to pre-fill the form.")
    publication_dois = models.JSONField(
        default=list, blank=True, help_text="Lower-case DOIs of the works on the ORCID record."
    )
    works_fetched_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "linked identities"
        constraints = [
            models.UniqueConstraint(fields=["clinician", "kind"], name="linkedidentity_one_per_kind"),
            # One Doximity or ORCID account proves one clinician only.
            models.UniqueConstraint(fields=["kind", "account_id"], name="linkedidentity_account_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account_id}"
