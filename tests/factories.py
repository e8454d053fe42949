"""factory_boy factories shared by every test module. App-specific factories may live beside the
tests of that app (tests/<app>/factories.py)."""

import base64
import datetime as dt
import hashlib
import time

import factory
from django.utils import timezone

from campaigns.models import Activity, ActivityProof, ActivityStatus, Campaign, Category, Participation
from clinicians.models import (
    Clinician,
    Credential,
    CredentialKind,
    Platform,
    Profession,
    ProofMethod,
    ProofStatus,
    SocialAccount,
    Specialty,
)
from core.models import User
from incentives.models import LedgerEntry, LedgerKind, Redemption, Reward, Score

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """Give the user a verified primary email, as allauth requires for login."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        self.save()
        EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class ClinicianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinician

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("name")
    profession = Profession.MD
    specialty = Specialty.INTERNAL
    organisation = "Springfield General Hospital"
    country = "US"
    state = "IL"
    profile_completed_at = factory.LazyFunction(timezone.now)


class VerifiedClinicianFactory(ClinicianFactory):
    verification_status = "verified"
    verified_at = factory.LazyFunction(timezone.now)


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    clinician = factory.SubFactory(ClinicianFactory)
    kind = CredentialKind.NPI
    identifier = "1234567893"
    issuer = "NPPES"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Vaccines work #{n}")
    slug = factory.Sequence(lambda n: f"vaccines-work-{n}")
    summary = "Share what the evidence says about vaccines."
    hashtags = factory.LazyAttribute(lambda o: [o.slug.replace("-", "")])
    starts_on = factory.LazyFunction(lambda: timezone.now().date() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.now().date() + dt.timedelta(days=30))
    target_platforms = factory.LazyFunction(lambda: [Platform.X, Platform.INSTAGRAM])


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    campaign = factory.SubFactory(CampaignFactory)
    clinician = factory.SubFactory(VerifiedClinicianFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    platform = Platform.X
    url = factory.Sequence(lambda n: f"https://x.com/drexample/status/{1_000_000 + n}")
    # A minute before the suite's clock: in the current day, week, month, quarter and year even when
    # the clock starts just after a boundary (TEST_NOW runs start minutes after midnight).
    posted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=1))
    category = Category.PUBLIC_EDUCATION
    status = ActivityStatus.ACCEPTED
    proof = ActivityProof.PROVEN
    impressions = 1000


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    clinician = factory.SubFactory(ClinicianFactory)
    platform = Platform.X
    handle = factory.Sequence(lambda n: f"drexample{n}")
    profile_url = factory.LazyAttribute(lambda o: f"https://x.com/{o.handle}")


class ProvenSocialAccountFactory(SocialAccountFactory):
    """A linked account proven by connecting it through the platform (OAuth)."""

    proof_status = ProofStatus.PROVEN
    proof_method = ProofMethod.OAUTH
    provider = "twitter_oauth2"
    provider_account_id = factory.Sequence(lambda n: str(90_000 + n))
    proven_at = factory.LazyFunction(timezone.now)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """A ledger entry written directly (the real ones come from incentives.services)."""

    class Meta:
        model = LedgerEntry

    clinician = factory.SubFactory(VerifiedClinicianFactory)
    amount = 10
    kind = LedgerKind.AWARD
    memo = "Accepted post"
    idempotency_key = factory.Sequence(lambda n: f"test-entry-{n}")
    created_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score
        django_get_or_create = ("clinician",)

    clinician = factory.SubFactory(VerifiedClinicianFactory)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Conference pass #{n}")
    description = "A pass to the association's annual conference."
    cost = 50
    stock = 5


class RedemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Redemption

    reward = factory.SubFactory(RewardFactory)
    clinician = factory.SubFactory(VerifiedClinicianFactory)
    cost = factory.SelfAttribute("reward.cost")


# --- TOTP (privileged accounts must enrol; tests enrol them with a secret they can compute codes from)

_TOTP_CODES_USED: set[tuple[str, int]] = set()
# The suite's time-machine clock while a test runs on it (tests.conftest._suite_clock), else None.
SUITE_CLOCK = None
# A code typed in the last seconds of its 30-second period could reach the server in the next one.
_TOTP_PERIOD_MARGIN_SECONDS = 2


def totp_secret_for(email: str) -> str:
    """A base32 TOTP secret derived from the email: each test user has their own, known one."""
    return base64.b32encode(hashlib.sha1(email.encode()).digest()).decode()  # noqa: S324 - not a password hash


def totp_enrol(user: User) -> str:
    """Enrol the user in TOTP (as the activation page would) and return the secret."""
    from core.services import user_totp_enrol

    secret = totp_secret_for(user.email)
    user_totp_enrol(user=user, secret=secret)
    return secret


def totp_code(secret: str) -> str:
    """The current code for the secret, computed by allauth's own RFC 6238 functions.

    allauth accepts each code once per period (TOTP_TOLERANCE is 0), so when this helper already
    handed out the current period's code, or the period is about to end, it moves on to the next
    one: on the suite's clock by shifting the clock (no waiting), on the real clock by sleeping."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now) // period
        if (secret, counter) in _TOTP_CODES_USED or period - now % period < _TOTP_PERIOD_MARGIN_SECONDS:
            wait = period - now % period + 0.05
            if SUITE_CLOCK is not None:
                SUITE_CLOCK.shift(wait)
            else:
                time.sleep(wait)
            continue
        _TOTP_CODES_USED.add((secret, counter))
        return format_hotp_value(hotp_value(secret, counter))
