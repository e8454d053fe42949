"""Known data for report tests: one October 2026 with two verified clinicians, a campaign and points."""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import ActivityStatus, Campaign, Category, GoalKind
from clinicians.models import Clinician, CredentialKind, CredentialStatus, Platform, Specialty
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    ClinicianFactory,
    CredentialFactory,
    VerifiedClinicianFactory,
)
from tests.reports.factories import (
    AwardFactory,
    CredentialDecisionFactory,
    RedemptionFactory,
    ScoreFactory,
)

PERIOD = {"start": "2026-10-01", "end": "2026-10-31"}


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, tzinfo=dt.UTC)


@dataclass
class KnownData:
    campaign: Campaign
    ada: Clinician  # verified, opted in to leaderboards
    ben: Clinician  # verified, not opted in: never named
    cal: Clinician  # unverified


@pytest.fixture(autouse=True)
def private_files():
    """The reports folder of private storage, emptied before each test."""
    from reports.models import Report

    folder = Path(Report.file.field.storage.location) / "reports"
    shutil.rmtree(folder, ignore_errors=True)
    return folder


@pytest.fixture
def known_data(db) -> KnownData:
    campaign = CampaignFactory(
        title="Measles Facts Now",
        slug="measles-facts",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 11, 15),
        goal_kind=GoalKind.POSTS,
        goal_target=4,
    )
    ada = VerifiedClinicianFactory(
        display_name="Ada Lovelace", specialty=Specialty.CARDIOLOGY, state="IL", leaderboard_opt_in=True
    )
    ben = VerifiedClinicianFactory(
        display_name="Ben Hidden", specialty=Specialty.PEDIATRICS, state="CA", leaderboard_opt_in=False
    )
    cal = ClinicianFactory(display_name="Cal Pending", specialty=Specialty.NURSING, state="IL")
    a1 = ActivityFactory(clinician=ada, campaign=campaign, posted_at=at(2), impressions=1000)
    a2 = ActivityFactory(clinician=ada, campaign=campaign, posted_at=at(9), impressions=500, platform=Platform.LINKEDIN)
    a3 = ActivityFactory(
        clinician=ada, posted_at=at(16), category=Category.MISINFORMATION_CORRECTION, citation_count=2, impressions=200
    )
    b1 = ActivityFactory(
        clinician=ben,
        posted_at=at(20),
        category=Category.MISINFORMATION_CORRECTION,
        platform=Platform.INSTAGRAM,
        impressions=300,
    )
    ActivityFactory(clinician=ben, posted_at=at(21), status=ActivityStatus.REJECTED, impressions=9999)
    # Outside the period: counted nowhere.
    ActivityFactory(clinician=ada, posted_at=dt.datetime(2026, 9, 30, 23, tzinfo=dt.UTC), impressions=7777)
    for activity, points in ((a1, 10), (a2, 12), (a3, 20), (b1, 15)):
        AwardFactory(activity=activity, amount=points, created_at=activity.posted_at)
    ScoreFactory(clinician=ada, lifetime=42, balance=12)
    ScoreFactory(clinician=ben, lifetime=15, balance=15)
    RedemptionFactory(clinician=ada, cost=30, reward__cost=30, created_at=at(25))
    queued = CredentialFactory(clinician=cal, status=CredentialStatus.SUBMITTED)
    CredentialDecisionFactory(credential=queued, status=CredentialStatus.NEEDS_REVIEW, created_at=at(5))
    expiring = CredentialFactory(
        clinician=ada,
        kind=CredentialKind.MEDICAL_LICENCE,
        identifier="036-123456",
        issuer="IL",
        status=CredentialStatus.VERIFIED,
        expires_on=timezone.now().date() + dt.timedelta(days=20),
    )
    CredentialDecisionFactory(credential=expiring, status=CredentialStatus.VERIFIED, created_at=at(6))
    return KnownData(campaign=campaign, ada=ada, ben=ben, cal=cal)
