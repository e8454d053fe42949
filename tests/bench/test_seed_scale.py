"""`manage.py seed_demo --clinicians N --activities M --seed S`: deterministic bulk data for benchmarks."""

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Activity, Campaign, Participation
from clinicians.models import Clinician, Credential
from core.models import User

pytestmark = pytest.mark.django_db

SMALL = {"clinicians": 50, "activities": 500}


def _snapshot() -> dict:
    """Everything that identifies the data, by natural keys (ids may differ between loads)."""
    return {
        "users": sorted(User.objects.values_list("email", "password")),
        "clinicians": sorted(
            Clinician.objects.values_list(
                "user__email", "display_name", "profession", "specialty", "state", "verification_status", "public_id"
            )
        ),
        "credentials": sorted(Credential.objects.values_list("clinician__user__email", "identifier", "status")),
        "participations": sorted(Participation.objects.values_list("clinician__user__email", "campaign__slug")),
        "activities": sorted(
            Activity.objects.values_list(
                "url",
                "clinician__user__email",
                "platform",
                "category",
                "status",
                "posted_at",
                "campaign__slug",
                "impressions",
                "likes",
                "citations",
                "excerpt",
            )
        ),
    }


def test_it_loads_the_requested_sizes(capsys):
    call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    assert Clinician.objects.count() == 50
    assert Activity.objects.count() == 500
    assert Campaign.objects.count() == 12
    output = capsys.readouterr().out
    assert "campaigns_activity" in output
    assert "rows/s" in output


def test_the_same_seed_gives_the_same_data():
    call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    first = _snapshot()
    call_command("seed_demo", "--seed", "1", "--reset", *(f"--{k}={v}" for k, v in SMALL.items()))
    assert _snapshot() == first
    call_command("seed_demo", "--seed", "2", "--reset", *(f"--{k}={v}" for k, v in SMALL.items()))
    assert _snapshot()["activities"] != first["activities"]


def test_it_spreads_activities_realistically():
    call_command("seed_demo", "--seed", "1", "--clinicians=200", "--activities=2000")
    activities = Activity.objects.all()
    in_campaign = activities.filter(campaign__isnull=False).count() / 2000
    assert 0.1 < in_campaign < 0.35
    accepted = activities.filter(status="accepted").count() / 2000
    assert accepted > 0.75
    mission = activities.filter(category__in=["public_education", "misinformation_correction"]).count()
    marketing = activities.filter(category="practice_marketing").count()
    assert mission > 5 * marketing
    assert len(set(activities.values_list("platform", flat=True))) >= 8
    assert activities.filter(category="misinformation_correction").exclude(citations=[]).exists()
    for activity in activities.filter(campaign__isnull=False).select_related("campaign")[:200]:
        assert Participation.objects.filter(campaign=activity.campaign, clinician=activity.clinician_id).exists()
        assert activity.campaign.starts_on <= activity.posted_at.date() <= activity.campaign.ends_on


def test_it_refuses_a_database_with_activities_unless_reset():
    call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    assert Activity.objects.count() == 500


def test_a_reset_keeps_the_rule_sets_so_the_portal_still_prices():
    """`--reset` empties users with CASCADE, which once took every rule set with it (their
    `created_by`): pricing then failed for good."""
    from incentives.models import Badge, LedgerEntry, RuleSet
    from incentives.services import activity_award, rule_set_create_version
    from tests.factories import ActivityFactory, UserFactory, VerifiedClinicianFactory

    call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    admin = UserFactory(is_staff=True, is_superuser=True)
    v1 = RuleSet.objects.get(version=1)
    values = {name: getattr(v1, name) for name in ("category_points", "evidence_bonus", "daily_cap")}
    rule_set_create_version(values={**values, "evidence_bonus": 9, "note": "edited"}, created_by=admin)
    badges = Badge.objects.count()
    call_command("seed_demo", "--seed", "1", "--reset", *(f"--{k}={v}" for k, v in SMALL.items()))
    assert list(RuleSet.objects.order_by("version").values_list("version", "evidence_bonus", "created_by")) == [
        (1, v1.evidence_bonus, None),
        (2, 9, None),
    ]
    assert Badge.objects.count() == badges
    # Log and price a post after the reset.
    activity = ActivityFactory(clinician=VerifiedClinicianFactory())
    assert activity_award(activity_id=activity.pk) == 1
    assert LedgerEntry.objects.get(activity=activity).rule_set.version == 2


def test_a_load_that_fails_midway_leaves_nothing_behind():
    """A campaign already holding the slug of the first scale campaign fails the load after the
    users, clinicians and credentials were written: all of it is rolled back, with a clear message."""
    from seeding.bulk import CAMPAIGN_TOPICS
    from tests.factories import CampaignFactory

    title = CAMPAIGN_TOPICS[0]
    CampaignFactory(slug=f"scale-01-{title.lower().replace(' ', '-').replace(':', '')}")
    before = (User.objects.count(), Clinician.objects.count(), Credential.objects.count(), Campaign.objects.count())
    with pytest.raises(CommandError, match="rolled back: nothing was loaded"):
        call_command("seed_demo", "--seed", "1", *(f"--{k}={v}" for k, v in SMALL.items()))
    after = (User.objects.count(), Clinician.objects.count(), Credential.objects.count(), Campaign.objects.count())
    assert after == before
