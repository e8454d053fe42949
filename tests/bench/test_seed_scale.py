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
