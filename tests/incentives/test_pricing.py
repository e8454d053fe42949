"""Pricing of activities through the event path: points, bonuses, multipliers, caps, eligibility,
reversal and idempotency."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus, Category
from campaigns.signals import activity_status_changed, activity_updated
from incentives.models import LedgerEntry, LedgerKind, Score
from incentives.services import activity_award
from tests.factories import ActivityFactory, CampaignFactory, ClinicianFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db

# A fixed Wednesday noon (UTC), so that days and ISO weeks in the tests are predictable.
WEDNESDAY = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)


def total(activity) -> int:
    return sum(LedgerEntry.objects.filter(activity=activity).values_list("amount", flat=True))


def test_it_prices_base_points_with_the_engagement_bonus(accepted):
    activity = ActivityFactory(category=Category.PUBLIC_EDUCATION, impressions=1000, posted_at=WEDNESDAY)
    accepted(activity)
    entry = LedgerEntry.objects.get(activity=activity)
    # 20 base + 2 per decade of reach (log10(1000) = 3) = 26
    assert (entry.amount, entry.kind, entry.rule_set.version) == (26, LedgerKind.AWARD, 1)
    assert entry.uncapped_amount is None
    assert Score.objects.get(clinician=activity.clinician).lifetime == 26


@pytest.mark.parametrize(("impressions", "bonus"), [(0, 0), (9, 0), (10, 2), (99, 2), (100_000, 10), (10**9, 10)])
def test_it_grows_the_engagement_bonus_with_log_reach_up_to_the_cap(impressions, bonus):
    activity = ActivityFactory(category=Category.PROFESSIONAL_NETWORKING, impressions=impressions, posted_at=WEDNESDAY)
    activity_award(activity_id=activity.pk)
    assert total(activity) == 5 + bonus


@pytest.mark.parametrize(
    ("share", "self_reported", "imported"), [(100, 5 + 6, 5 + 6), (50, 5 + 3, 5 + 6), (0, 5, 5 + 6)]
)
def test_the_rule_set_decides_how_much_engagement_bonus_self_reported_impressions_earn(share, self_reported, imported):
    rule_set_next(self_reported_engagement_share=share)
    typed = ActivityFactory(category=Category.PROFESSIONAL_NETWORKING, impressions=1000, posted_at=WEDNESDAY)
    read = ActivityFactory(
        category=Category.PROFESSIONAL_NETWORKING, impressions=1000, posted_at=WEDNESDAY, impressions_source="imported"
    )
    for activity in (typed, read):
        activity_award(activity_id=activity.pk)
    # 1000 impressions: 3 decades * 2 = 6 bonus points; typed ones earn the share (rounded down).
    assert (total(typed), total(read)) == (self_reported, imported)


def test_a_lower_self_reported_share_is_previewed_and_reprices_at_the_recompute():
    from incentives.services import rule_set_preview, scores_recompute

    typed = ActivityFactory(category=Category.PROFESSIONAL_NETWORKING, impressions=1000, posted_at=WEDNESDAY)
    activity_award(activity_id=typed.pk)
    assert total(typed) == 11
    lower = rule_set_next(self_reported_engagement_share=50)
    preview = rule_set_preview(rule_set=lower)
    assert (preview.activities, preview.points_removed) == (1, 3)
    scores_recompute()
    assert total(typed) == 8


def test_it_gives_the_evidence_bonus_only_to_corrections_that_cite():
    cited = ActivityFactory(category=Category.MISINFORMATION_CORRECTION, citation_count=2, impressions=0)
    uncited = ActivityFactory(category=Category.MISINFORMATION_CORRECTION, citation_count=0, impressions=0)
    education = ActivityFactory(category=Category.PUBLIC_EDUCATION, citation_count=3, impressions=0)
    for activity in (cited, uncited, education):
        activity_award(activity_id=activity.pk)
    assert (total(cited), total(uncited), total(education)) == (35, 25, 20)


def test_it_applies_the_campaign_multiplier_rounding_half_up():
    campaign = CampaignFactory(multiplier="1.50")
    activity = ActivityFactory(
        category=Category.PROFESSIONAL_NETWORKING, impressions=0, campaign=campaign, posted_at=WEDNESDAY
    )
    activity_award(activity_id=activity.pk)
    assert total(activity) == 8  # 5 * 1.5 = 7.5, rounded half up


def test_it_caps_the_day_and_records_the_uncapped_amount():
    rule_set_next(daily_cap=50)
    clinician = VerifiedClinicianFactory()
    first, second = (
        ActivityFactory(
            clinician=clinician, category=category, impressions=0, posted_at=WEDNESDAY + dt.timedelta(hours=h)
        )
        for h, category in ((0, Category.PUBLIC_EDUCATION), (1, Category.MISINFORMATION_CORRECTION))
    )
    activity_award(activity_id=first.pk)
    activity_award(activity_id=second.pk)
    assert (total(first), total(second)) == (20, 25)
    third = ActivityFactory(
        clinician=clinician,
        category=Category.PUBLIC_HEALTH_ADVOCACY,
        impressions=0,
        posted_at=WEDNESDAY + dt.timedelta(hours=2),
    )
    activity_award(activity_id=third.pk)
    entry = LedgerEntry.objects.get(activity=third)
    assert (entry.amount, entry.uncapped_amount) == (5, 15)
    next_day = ActivityFactory(
        clinician=clinician,
        category=Category.PUBLIC_HEALTH_ADVOCACY,
        impressions=0,
        posted_at=WEDNESDAY + dt.timedelta(days=1),
    )
    activity_award(activity_id=next_day.pk)
    assert total(next_day) == 15


def test_it_caps_a_category_per_iso_week_and_frees_points_when_one_is_withdrawn():
    rule_set_next(weekly_category_cap=50)
    clinician = VerifiedClinicianFactory()
    posts = [
        ActivityFactory(
            clinician=clinician,
            category=Category.PUBLIC_EDUCATION,
            impressions=0,
            posted_at=WEDNESDAY + dt.timedelta(days=d),
        )
        for d in (-2, -1, 0)  # Monday, Tuesday, Wednesday
    ]
    for post in posts:
        activity_award(activity_id=post.pk)
    assert [total(p) for p in posts] == [20, 20, 10]
    next_week = ActivityFactory(
        clinician=clinician,
        category=Category.PUBLIC_EDUCATION,
        impressions=0,
        posted_at=WEDNESDAY + dt.timedelta(days=5),
    )
    activity_award(activity_id=next_week.pk)
    assert total(next_week) == 20
    Activity.objects.filter(pk=posts[0].pk).update(status=ActivityStatus.WITHDRAWN)
    activity_award(activity_id=posts[0].pk)
    # The withdrawn post is reversed and the capped one in its week is re-priced upward.
    assert [total(p) for p in posts] == [0, 20, 20]


@pytest.mark.parametrize("status", [ActivityStatus.FLAGGED, ActivityStatus.REJECTED, ActivityStatus.WITHDRAWN])
def test_it_reverses_an_activity_that_stops_being_accepted(status, django_capture_on_commit_callbacks):
    activity = ActivityFactory(impressions=0)
    activity_award(activity_id=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(status=status)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        activity_status_changed.send(sender=Activity, activity_id=activity.pk, old_status="accepted", new_status=status)
    reversal = LedgerEntry.objects.get(activity=activity, kind=LedgerKind.REVERSAL)
    assert reversal.amount == -20
    assert status in reversal.memo
    assert total(activity) == 0
    assert Score.objects.get(clinician=activity.clinician).lifetime == 0


def test_it_reprices_when_metrics_change(django_capture_on_commit_callbacks):
    activity = ActivityFactory(category=Category.PUBLIC_EDUCATION, impressions=10)
    activity_award(activity_id=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(impressions=1_000_000)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        activity_updated.send(sender=Activity, activity_id=activity.pk)
    amounts = list(LedgerEntry.objects.filter(activity=activity).order_by("id").values_list("amount", flat=True))
    assert amounts == [22, 8]


def test_it_writes_nothing_when_the_same_event_arrives_twice():
    activity = ActivityFactory()
    assert activity_award(activity_id=activity.pk) == 1
    assert activity_award(activity_id=activity.pk) == 0
    assert LedgerEntry.objects.filter(activity=activity).count() == 1


def test_it_enqueues_only_on_commit(django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        activity_status_changed.send(
            sender=Activity, activity_id=activity.pk, old_status="submitted", new_status="accepted"
        )
        assert not LedgerEntry.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert LedgerEntry.objects.filter(activity=activity).exists()


def test_it_awards_nothing_to_unverified_clinicians():
    activity = ActivityFactory(clinician=ClinicianFactory())
    assert activity_award(activity_id=activity.pk) == 0
    assert not LedgerEntry.objects.exists()


def test_a_lapsed_clinician_keeps_earlier_points_and_earns_nothing_after_lapsing(django_capture_on_commit_callbacks):
    from clinicians.signals import verification_status_changed

    clinician = VerifiedClinicianFactory()
    before = ActivityFactory(clinician=clinician, posted_at=timezone.now() - dt.timedelta(days=5))
    activity_award(activity_id=before.pk)
    lapsed_at = timezone.now() - dt.timedelta(days=3)
    type(clinician).objects.filter(pk=clinician.pk).update(verification_status="lapsed", lapsed_at=lapsed_at)
    after = ActivityFactory(clinician=clinician, posted_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        verification_status_changed.send(
            sender=None, clinician_id=clinician.pk, old_status="verified", new_status="lapsed"
        )
    activity_award(activity_id=after.pk)
    assert (total(before), total(after)) == (26, 0)
    type(clinician).objects.filter(pk=clinician.pk).update(verification_status="verified", lapsed_at=None)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        verification_status_changed.send(
            sender=None, clinician_id=clinician.pk, old_status="lapsed", new_status="verified"
        )
    assert total(after) == 26


EVENT_PATH_QUERIES = 6


def test_the_event_path_runs_six_queries_at_two_data_sizes(django_assert_num_queries):
    """Accepted -> scored in six statements whatever the data size: (PostgreSQL) the pricing lock
    shared with the full recompute; the clinician's row lock read with the post's day and the
    current rule set; the pricing stamp; the corrections; the score upsert; and the tiers and badges
    reached (one data-modifying WITH on PostgreSQL, two statements on SQLite, which has no lock)."""
    clinician = VerifiedClinicianFactory()
    first = ActivityFactory(clinician=clinician, posted_at=WEDNESDAY - dt.timedelta(weeks=40), platform="x")
    activity_award(activity_id=first.pk)  # first post: badge and notification (not the common case)
    second = ActivityFactory(clinician=clinician, posted_at=WEDNESDAY, platform="x")
    with django_assert_num_queries(EVENT_PATH_QUERIES):
        activity_award(activity_id=second.pk)
    assert total(second) == 26

    # Ten times more of everything: the clinician's own history (other weeks, already priced) and
    # other clinicians' posts.
    for week in range(1, 31):
        earlier = ActivityFactory(
            clinician=clinician, posted_at=WEDNESDAY - dt.timedelta(weeks=week, hours=1), platform="x"
        )
        activity_award(activity_id=earlier.pk)
    for _ in range(10):
        other = VerifiedClinicianFactory()
        for day in range(3):
            ActivityFactory(clinician=other, posted_at=WEDNESDAY - dt.timedelta(days=day))
    third = ActivityFactory(clinician=clinician, posted_at=WEDNESDAY + dt.timedelta(hours=1), platform="x")
    with django_assert_num_queries(EVENT_PATH_QUERIES):
        activity_award(activity_id=third.pk)
    assert total(third) == 26
    assert Score.objects.get(clinician=clinician).lifetime == 26 * 33
