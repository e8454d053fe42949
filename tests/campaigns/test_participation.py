"""Taking part in a campaign: joining once, leaving, rejoining, and no joining a closed campaign."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import participation
from campaigns.models import Participation
from tests.factories import CampaignFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def test_joining_leaving_and_rejoining_a_campaign():
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory()
    participation.campaign_join(clinician=clinician, campaign=campaign)
    participation.campaign_join(clinician=clinician, campaign=campaign)
    assert Participation.objects.filter(clinician=clinician, left_at__isnull=True).count() == 1
    participation.campaign_leave(clinician=clinician, campaign=campaign)
    assert Participation.objects.get(clinician=clinician).left_at is not None
    participation.campaign_join(clinician=clinician, campaign=campaign)
    assert Participation.objects.get(clinician=clinician).left_at is None
    closed = CampaignFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=30), ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="closed"):
        participation.campaign_join(clinician=clinician, campaign=closed)
