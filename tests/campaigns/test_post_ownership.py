"""Post ownership (campaigns.services.post_ownership through activity_record): only posts from a
proven account of the clinician are accepted and priced; the rest are held with what would prove them."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Activity, ActivityProof, ActivityStatus, Category
from campaigns.services import ActivityInput
from clinicians.models import Platform, ProofMethod
from clinicians.services import social_account_prove
from incentives.models import Award, LedgerEntry
from tests.factories import (
    ActivityFactory,
    ProvenSocialAccountFactory,
    SocialAccountFactory,
    UserFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db


def _input(url: str) -> ActivityInput:
    return ActivityInput(
        url=url,
        posted_at=timezone.now() - dt.timedelta(days=1),
        category=Category.PUBLIC_EDUCATION,
        excerpt="Vaccines are safe and they work.",
        impressions=500,
    )


@pytest.fixture
def x_only_clinician():
    """A verified clinician whose only linked account is a proven X account, @drjane."""
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drjane")
    return clinician


def _record(clinician, url: str, capture) -> Activity:
    with capture(execute=True):
        return services.activity_record(clinician=clinician, data=_input(url))


def test_a_post_from_the_proven_account_is_accepted_priced_and_shows_its_proof(
    client, x_only_clinician, django_capture_on_commit_callbacks
):
    activity = _record(x_only_clinician, "https://x.com/DrJane/status/1", django_capture_on_commit_callbacks)

    assert activity.status == ActivityStatus.ACCEPTED
    assert activity.proof == ActivityProof.PROVEN
    assert activity.proof_account.handle == "drjane"
    assert "drjane proven by OAuth (twitter_oauth2" in activity.proof_summary
    assert sum(LedgerEntry.objects.filter(activity=activity).values_list("amount", flat=True)) > 0
    client.force_login(x_only_clinician.user)
    statement = client.get(reverse("incentives:statement")).content.decode()
    assert "Proof: From a proven account" in statement and "drjane proven by OAuth" in statement


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://www.instagram.com/p/Cabc123/", "You have not linked an Instagram account"),
        ("https://evil.example.com/post/1", "evil.example.com is not one of your proven sites"),
    ],
)
def test_posts_the_clinician_cannot_show_are_theirs_are_held_with_the_message_and_earn_nothing(
    x_only_clinician, django_capture_on_commit_callbacks, url, message
):
    activity = _record(x_only_clinician, url, django_capture_on_commit_callbacks)

    assert activity.status == ActivityStatus.FLAGGED
    assert activity.proof == ActivityProof.UNPROVEN
    assert "ownership" in activity.guard_flags
    assert message in activity.review_reason and "Linked accounts" in activity.review_reason
    assert not LedgerEntry.objects.filter(activity=activity).exists()


def test_a_post_from_an_unproven_account_is_held_until_the_account_is_proven(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory()
    account = SocialAccountFactory(clinician=clinician, platform=Platform.BLUESKY, handle="drjane.bsky.social")
    activity = _record(
        clinician, "https://bsky.app/profile/drjane.bsky.social/post/3kabc", django_capture_on_commit_callbacks
    )
    assert activity.status == ActivityStatus.FLAGGED
    assert "is not proven yet" in activity.review_reason

    with django_capture_on_commit_callbacks(execute=True):
        social_account_prove(
            clinician=clinician,
            platform=account.platform,
            handle=account.handle,
            method=ProofMethod.PROFILE_CODE,
            provider_account_id="did:plc:abc",
        )

    activity.refresh_from_db()
    assert (activity.status, activity.proof) == (ActivityStatus.ACCEPTED, ActivityProof.PROVEN)
    assert activity.guard_flags == []
    assert LedgerEntry.objects.filter(activity=activity).exists()


def test_the_issues_x_only_clinician_earns_no_across_platforms_badge_from_unproven_posts(
    x_only_clinician, django_capture_on_commit_callbacks
):
    for url in (
        "https://x.com/drjane/status/2",
        "https://www.instagram.com/p/Cabc123/",
        "https://evil.example.com/post/1",
    ):
        _record(x_only_clinician, url, django_capture_on_commit_callbacks)
    assert not Award.objects.filter(clinician=x_only_clinician, badge__code="three-platforms").exists()
    accepted = Activity.objects.filter(clinician=x_only_clinician, status=ActivityStatus.ACCEPTED)
    assert [a.platform for a in accepted] == [Platform.X]


def test_a_moderator_approval_is_the_proof_of_a_held_post(x_only_clinician, django_capture_on_commit_callbacks):
    activity = _record(x_only_clinician, "https://evil.example.com/post/1", django_capture_on_commit_callbacks)
    moderator = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.activity_accept(activity=activity, actor=moderator)
    assert (accepted.status, accepted.proof) == (ActivityStatus.ACCEPTED, ActivityProof.MODERATOR)
    assert moderator.email in accepted.proof_summary
    assert LedgerEntry.objects.filter(activity=activity).exists()


def test_grandfathered_posts_keep_their_points():
    """The data migration marks posts logged before proofs existed, so none is repriced to nothing."""
    migration = importlib.import_module("campaigns.migrations.0008_activity_proof_grandfathered")
    old = ActivityFactory(proof=ActivityProof.UNPROVEN, status=ActivityStatus.ACCEPTED)
    migration.grandfather(apps, None)
    old.refresh_from_db()
    assert old.proof == ActivityProof.GRANDFATHERED and old.status == ActivityStatus.ACCEPTED
    assert "grandfathered" in old.proof_summary
