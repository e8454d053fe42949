"""What each post earned, in words: the rule lines add up to the ledger's total."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ActivityStatus, Category
from incentives.selectors import activity_points_explain
from incentives.services import activity_award
from tests.factories import ActivityFactory, CampaignFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db


def _lines(explained) -> dict[str, str]:
    return {line.label.split(":")[0].split(" for ")[0]: line.points for line in explained.lines}


def test_it_explains_base_evidence_reach_and_multiplier_and_they_add_up_to_the_ledger():
    rule_set_next()
    campaign = CampaignFactory(multiplier=Decimal("1.5"), title="Flu facts")
    activity = ActivityFactory(
        category=Category.MISINFORMATION_CORRECTION,
        citation_count=2,
        citations=["10.1000/x", "PMID: 1"],
        impressions=12_000,
        campaign=campaign,
    )
    activity_award(activity_id=activity.pk)
    explained = activity_points_explain(activity=activity)
    labels = [line.label for line in explained.lines]
    assert labels[0].startswith("Base points for a misinformation correction post")
    assert labels[1] == "Evidence bonus: your correction cites 2 sources"
    assert labels[2].startswith("Reach bonus for 12,000 impressions")
    assert labels[3].startswith("Campaign “Flu facts” counts \N{MULTIPLICATION SIGN}1.5")
    raw = sum(int(line.points) for line in explained.lines[:3])
    assert explained.total == (raw * 150 + 50) // 100
    assert explained.total == sum(entry.amount for entry in activity.ledger_entries.all())


def test_it_names_the_limit_that_held_points_back():
    rule_set_next(daily_cap=30)
    clinician = VerifiedClinicianFactory()
    posted = timezone.now() - dt.timedelta(days=1)
    first, second = (
        ActivityFactory(clinician=clinician, impressions=0, posted_at=posted + dt.timedelta(hours=hours))
        for hours in (0, 1)
    )
    for activity in (first, second):
        activity_award(activity_id=activity.pk)
    explained = activity_points_explain(activity=second)
    assert explained.total == 10
    assert explained.lines[-1].label.startswith("Limit reached: at most 30 points a day")
    assert explained.lines[-1].points == "-10"


def test_it_says_why_a_post_has_no_points():
    held = ActivityFactory(status=ActivityStatus.FLAGGED)
    assert activity_points_explain(activity=held).note == "No points while the post is flagged for review."


def test_my_activity_and_the_activity_page_show_the_points_and_their_lines(client):
    rule_set_next()
    activity = ActivityFactory(impressions=1_000)
    activity_award(activity_id=activity.pk)
    total = activity_points_explain(activity=activity).total
    client.force_login(activity.clinician.user)
    listing = client.get(reverse("campaigns:activity_list")).content.decode()
    assert f'data-testid="points-{activity.pk}">{total}<' in listing
    detail = client.get(reverse("campaigns:activity_detail", args=[activity.pk])).content.decode()
    assert f'Points this post earned: <span data-testid="activity-points">{total}</span>' in detail
    assert "Base points for a public education post" in detail
    assert "Reach bonus for 1,000 impressions" in detail
