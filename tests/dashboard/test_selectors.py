"""Dashboard selectors: right figures, zero-filled weeks, and a constant number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from advocacy_portal.selectors import (
    CHART_WEEKS,
    clinician_dashboard_get,
    staff_aggregates_refresh,
    staff_dashboard_get,
)
from campaigns.models import ActivityStatus, Category
from clinicians.models import CredentialStatus, Platform
from tests.dashboard.factories import AwardFactory, LedgerEntryFactory, ReportFactory, ScoreFactory
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    CredentialFactory,
    ParticipationFactory,
    VerifiedClinicianFactory,
)

pytestmark = pytest.mark.django_db


def _fill(clinician, size: int) -> None:
    campaign = CampaignFactory(goal_target=10)
    ParticipationFactory(clinician=clinician, campaign=campaign)
    ScoreFactory(clinician=clinician)
    for index in range(size):
        activity = ActivityFactory(
            clinician=clinician,
            campaign=campaign if index % 2 else None,
            category=Category.values[index % 3],
            platform=Platform.values[index % 4],
            posted_at=timezone.now() - dt.timedelta(days=index * 3),
        )
        created_at = timezone.now() - dt.timedelta(days=index * 5)
        LedgerEntryFactory(clinician=clinician, activity=activity, created_at=created_at)
        AwardFactory(clinician=clinician)
        CredentialFactory(clinician=clinician, status=CredentialStatus.SUBMITTED)
        ReportFactory()


def test_clinician_dashboard_queries_do_not_grow_with_data(django_assert_num_queries, cache_read_queries):
    small, large = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    _fill(small, 2)
    _fill(large, 25)
    # Campaign totals are cached after the first view; the steady state reads them from the cache.
    clinician_dashboard_get(clinician=small)
    clinician_dashboard_get(clinician=large)
    with django_assert_num_queries(9 + cache_read_queries):
        clinician_dashboard_get(clinician=small)
    with django_assert_num_queries(9 + cache_read_queries):
        data = clinician_dashboard_get(clinician=large)
    assert len(data.latest_entries) == 5
    assert len(data.awards) == 25


def test_staff_dashboard_queries_do_not_grow_with_data(django_assert_num_queries, cache_read_queries):
    """Three queries (campaigns, queue, reports) and two cache reads (the period aggregates, which
    beat refreshes, and the campaign totals) at any size."""
    _fill(VerifiedClinicianFactory(), 2)
    staff_aggregates_refresh()
    staff_dashboard_get()
    with django_assert_num_queries(3 + 2 * cache_read_queries):
        staff_dashboard_get()
    for _ in range(3):
        _fill(VerifiedClinicianFactory(), 10)
    staff_aggregates_refresh()
    staff_dashboard_get()
    with django_assert_num_queries(3 + 2 * cache_read_queries):
        data = staff_dashboard_get()
    assert data.verified_clinicians == 4
    assert data.queue_size == 32
    assert len(data.latest_reports) == 5


def test_weekly_points_are_zero_filled_and_summed_per_week():
    clinician = VerifiedClinicianFactory()
    now = timezone.now()
    LedgerEntryFactory(clinician=clinician, amount=10, created_at=now)
    LedgerEntryFactory(clinician=clinician, amount=-3, created_at=now)
    LedgerEntryFactory(clinician=clinician, amount=7, created_at=now - dt.timedelta(weeks=2))
    LedgerEntryFactory(clinician=clinician, amount=99, created_at=now - dt.timedelta(weeks=40))
    data = clinician_dashboard_get(clinician=clinician)
    values = [value for _, value in data.weekly_points]
    assert len(values) == CHART_WEEKS
    assert values[-1] == 7
    assert values[-3] == 7
    assert sum(values) == 14
    assert all(monday.weekday() == 0 for monday, _ in data.weekly_points)


def test_weekly_points_belong_to_the_week_of_the_post_not_the_day_they_were_written():
    """Points priced today for posts of past weeks (a seeding, a recompute, a late review) are
    charted in the posts' weeks, not all in this week."""
    clinician = VerifiedClinicianFactory()
    now = timezone.now()
    for weeks_ago in (1, 5, 9):
        post = ActivityFactory(clinician=clinician, posted_at=now - dt.timedelta(weeks=weeks_ago))
        LedgerEntryFactory(clinician=clinician, activity=post, amount=10, created_at=now)
    LedgerEntryFactory(clinician=clinician, amount=-4, created_at=now, memo="Redeemed: a mug")
    values = [value for _, value in clinician_dashboard_get(clinician=clinician).weekly_points]
    assert values[-1] == -4
    assert values[-2] == values[-6] == values[-10] == 10
    assert sum(value != 0 for value in values) == 4


def test_clinician_mixes_count_only_accepted_activities_of_that_clinician():
    clinician = VerifiedClinicianFactory()
    ActivityFactory(clinician=clinician, category=Category.PUBLIC_EDUCATION, platform=Platform.X)
    ActivityFactory(clinician=clinician, category=Category.PUBLIC_EDUCATION, platform=Platform.INSTAGRAM)
    ActivityFactory(clinician=clinician, category=Category.RECRUITMENT, status=ActivityStatus.REJECTED)
    ActivityFactory(category=Category.RECRUITMENT)
    data = clinician_dashboard_get(clinician=clinician)
    assert data.by_category == [("Public education", 2)]
    assert sorted(data.by_platform) == [("Instagram", 1), ("X (Twitter)", 1)]


def test_clinician_mixes_sum_each_side_of_the_category_by_platform_grid_largest_first():
    clinician = VerifiedClinicianFactory()
    for category, platform, posts in (
        (Category.RECRUITMENT, Platform.X, 2),
        (Category.RECRUITMENT, Platform.INSTAGRAM, 1),
        (Category.PUBLIC_EDUCATION, Platform.INSTAGRAM, 1),
    ):
        for _ in range(posts):
            ActivityFactory(clinician=clinician, category=category, platform=platform)
    data = clinician_dashboard_get(clinician=clinician)
    assert data.by_category == [(Category.RECRUITMENT.label, 3), (Category.PUBLIC_EDUCATION.label, 1)]
    # A tie is ordered by the stored value, as the two separate GROUP BYs did.
    assert data.by_platform == sorted(
        [(Platform.INSTAGRAM.label, 2), (Platform.X.label, 2)],
        key=lambda row: {Platform.INSTAGRAM.label: Platform.INSTAGRAM.value, Platform.X.label: Platform.X.value}[
            row[0]
        ],
    )


def test_campaign_progress_counts_posts_or_reach():
    clinician = VerifiedClinicianFactory()
    posts = CampaignFactory(goal_kind="posts", goal_target=4)
    reach = CampaignFactory(goal_kind="reach", goal_target=10_000)
    ParticipationFactory(clinician=clinician, campaign=posts)
    ParticipationFactory(clinician=clinician, campaign=reach)
    ActivityFactory(clinician=clinician, campaign=posts)
    ActivityFactory(campaign=posts)
    ActivityFactory(campaign=posts, status=ActivityStatus.FLAGGED)
    ActivityFactory(clinician=clinician, campaign=reach, impressions=2500)
    progress = {item.campaign.pk: item for item in clinician_dashboard_get(clinician=clinician).campaigns}
    assert (progress[posts.pk].achieved, progress[posts.pk].percent, progress[posts.pk].my_posts) == (2, 50, 1)
    assert (progress[reach.pk].achieved, progress[reach.pk].percent) == (2500, 25)


def test_checklist_follows_the_clinicians_progress():
    clinician = VerifiedClinicianFactory()
    done = {item.label: item.done for item in clinician_dashboard_get(clinician=clinician).checklist}
    assert done["Verify your email address"] and done["Complete your profile"]
    assert not done["Submit a credential"] and not done["Join a campaign"]
    CredentialFactory(clinician=clinician)
    ParticipationFactory(clinician=clinician)
    done = {item.label: item.done for item in clinician_dashboard_get(clinician=clinician).checklist}
    assert done["Submit a credential"] and done["Join a campaign"]


def test_the_dashboard_shows_the_stored_tier_and_the_rule_sets_next_threshold():
    clinician = VerifiedClinicianFactory()
    ScoreFactory(clinician=clinician, lifetime=300, tier="bronze")
    tier = clinician_dashboard_get(clinician=clinician).tier
    assert (tier.tier_label, tier.next_tier_label, tier.next_threshold, tier.points_to_next, tier.percent) == (
        "Bronze",
        "Silver",
        500,
        200,
        50,
    )


def test_staff_aggregates_come_from_the_cache_until_beat_refreshes_them():
    """A page view never scans the period once the aggregates are cached; the beat task refreshes
    them (and a cache that lost them is filled by the next view)."""
    from django.core.cache import cache

    from advocacy_portal.selectors import STAFF_AGGREGATES_KEY
    from advocacy_portal.tasks import refresh_staff_dashboard

    cache.delete(STAFF_AGGREGATES_KEY)
    _fill(VerifiedClinicianFactory(), 2)
    assert staff_dashboard_get().verified_clinicians == 1  # a miss: computed and cached
    VerifiedClinicianFactory()
    assert staff_dashboard_get().verified_clinicians == 1  # cached
    assert refresh_staff_dashboard() == 2
    data = staff_dashboard_get()
    assert data.verified_clinicians == 2
    assert data.aggregates_at is not None
