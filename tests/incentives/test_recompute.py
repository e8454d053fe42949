"""The full recompute: corrections only, scores, periods, ranks, tiers, badges and the command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Category
from core.models import Notification, NotificationKind
from incentives.models import Award, LedgerEntry, Score, Tier
from incentives.services import activity_award, rule_set_current, scores_recompute
from tests.factories import ActivityFactory, CampaignFactory, ClinicianFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db


def test_it_writes_only_the_corrections_a_new_rule_set_calls_for():
    education = ActivityFactory(category=Category.PUBLIC_EDUCATION, impressions=0)
    networking = ActivityFactory(category=Category.PROFESSIONAL_NETWORKING, impressions=0)
    scores_recompute()
    assert LedgerEntry.objects.count() == 2
    points = dict(rule_set_current().category_points, public_education=30)
    rule_set_next(category_points=points)
    result = scores_recompute()
    assert (result.rule_set_version, result.entries_written) == (2, 1)
    correction = LedgerEntry.objects.filter(activity=education).latest("id")
    assert (correction.amount, correction.rule_set.version) == (10, 2)
    assert LedgerEntry.objects.filter(activity=networking).count() == 1
    assert scores_recompute().entries_written == 0


def test_it_refreshes_scores_periods_and_ranks_in_sql():
    now = timezone.now()
    leader, second, unverified = VerifiedClinicianFactory(), VerifiedClinicianFactory(), ClinicianFactory()
    ActivityFactory(
        clinician=leader,
        category=Category.MISINFORMATION_CORRECTION,
        impressions=0,
        posted_at=now - dt.timedelta(days=1),
    )
    ActivityFactory(
        clinician=leader, category=Category.PUBLIC_EDUCATION, impressions=0, posted_at=now - dt.timedelta(days=200)
    )
    ActivityFactory(
        clinician=second, category=Category.PRACTICE_MARKETING, impressions=0, posted_at=now - dt.timedelta(days=1)
    )
    ActivityFactory(
        clinician=second, category=Category.RECRUITMENT, impressions=0, posted_at=now - dt.timedelta(days=1)
    )
    ActivityFactory(clinician=unverified, impressions=0)
    scores_recompute()
    scores = {s.clinician_id: s for s in Score.objects.all()}
    assert (scores[leader.pk].lifetime, scores[leader.pk].last_30_days) == (45, 25)
    assert (scores[leader.pk].rank_overall, scores[second.pk].rank_overall) == (1, 2)
    # Practice marketing counts for the balance but not for the leaderboard.
    assert (scores[second.pk].lifetime, scores[second.pk].leaderboard_lifetime) == (10, 8)
    assert scores[unverified.pk].lifetime == 0
    assert scores[unverified.pk].rank_overall is None


def test_it_announces_each_tier_and_badge_once(django_capture_on_commit_callbacks):
    """The nightly run marks what was reached in its transaction and leaves the notifications to
    workers (outbox tasks published on commit; eager here), outside the pricing lock."""
    rule_set_next(tier_bronze=20, tier_silver=40, tier_gold=1000, tier_platinum=2000)
    clinician = VerifiedClinicianFactory()
    ActivityFactory(clinician=clinician, category=Category.PUBLIC_EDUCATION, impressions=0)
    with django_capture_on_commit_callbacks(execute=True):
        scores_recompute()
    score = Score.objects.get(clinician=clinician)
    assert score.tier == Tier.BRONZE
    kinds = list(Notification.objects.filter(user=clinician.user).values_list("kind", flat=True))
    assert sorted(kinds) == [NotificationKind.BADGE_EARNED, NotificationKind.TIER_REACHED]
    with django_capture_on_commit_callbacks(execute=True):
        scores_recompute()
    assert Notification.objects.filter(user=clinician.user).count() == 2


def test_a_nightly_run_sends_many_announcements_through_a_few_tasks():
    from core.models import OutboxMessage
    from incentives.services import ANNOUNCEMENTS_PER_TASK

    rule_set_next(tier_bronze=20, tier_silver=4000, tier_gold=5000, tier_platinum=6000)
    clinicians = [VerifiedClinicianFactory() for _ in range(3)]
    for clinician in clinicians:
        ActivityFactory(clinician=clinician, category=Category.PUBLIC_EDUCATION, impressions=0)
    before = OutboxMessage.objects.filter(task="incentives.tasks.announce_reached").count()
    scores_recompute()
    messages = OutboxMessage.objects.filter(task="incentives.tasks.announce_reached")[: before + 10]
    assert len(messages) - before == 1  # six announcements (a tier and a badge each), one task
    assert ANNOUNCEMENTS_PER_TASK >= 6
    assert Notification.objects.filter(user__in=[c.user for c in clinicians]).count() == 0  # not yet sent
    assert Award.objects.filter(clinician=clinician, badge__code="first-accepted-post").count() == 1


def test_it_awards_streak_platform_evidence_and_campaign_badges():
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory()
    start = timezone.now() - dt.timedelta(days=35)
    for week, platform in enumerate(["x", "instagram", "linkedin", "x"]):
        ActivityFactory(
            clinician=clinician, platform=platform, posted_at=start + dt.timedelta(days=7 * week), campaign=campaign
        )
    for index in range(10):
        ActivityFactory(
            clinician=clinician,
            category=Category.MISINFORMATION_CORRECTION,
            citation_count=1,
            posted_at=start + dt.timedelta(days=index % 3, hours=index),
        )
    scores_recompute()
    codes = set(Award.objects.filter(clinician=clinician).values_list("badge__code", flat=True))
    assert codes == {
        "first-accepted-post",
        "four-week-streak",
        "three-platforms",
        "ten-cited-corrections",
        "campaign-top-ten",
    }


def test_the_command_and_the_event_path_agree():
    activity = ActivityFactory()
    activity_award(activity_id=activity.pk)
    before = Score.objects.get(clinician=activity.clinician).lifetime
    call_command("recompute_scores")
    assert Score.objects.get(clinician=activity.clinician).lifetime == before == 26
    assert LedgerEntry.objects.count() == 1


def test_the_command_reports_what_it_wrote(capsys):
    ActivityFactory()
    call_command("recompute_scores")
    assert "1 correcting ledger entries written" in capsys.readouterr().out
