"""The incremental nightly run re-prices only the clinician-weeks touched since the previous run,
and the full run (the audit) proves it left the same state as a fresh computation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Activity, ActivityStatus, Category
from clinicians.models import Clinician
from incentives.models import ActivityTotal, Award, PricingRun, PricingRunMode, Score
from incentives.services import scores_recompute
from tests.factories import ActivityFactory, CampaignFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db

CATEGORIES = [Category.PUBLIC_EDUCATION, Category.MISINFORMATION_CORRECTION, Category.PRACTICE_MARKETING]


def _state() -> dict:
    """Everything the nightly run derives: ledger totals, every Score figure, every badge."""
    score_fields = [f.attname for f in Score._meta.concrete_fields if f.attname != "updated_at"]
    return {
        "totals": dict(ActivityTotal.objects.values_list("activity_id", "total")),
        "scores": sorted(Score.objects.values_list(*score_fields)),
        "awards": sorted(Award.objects.values_list("badge_id", "clinician_id")),
    }


def _history(count_per_clinician: int = 6) -> tuple[list[Clinician], list[Activity], list]:
    """Three clinicians with accepted posts over the last weeks (some in campaigns), all last changed
    two days ago, and a full run over them."""
    now = timezone.now()
    clinicians = [VerifiedClinicianFactory() for _ in range(3)]
    campaigns = [CampaignFactory(multiplier="1.25"), CampaignFactory(multiplier="2.00")]
    activities = []
    for who, clinician in enumerate(clinicians):
        for index in range(count_per_clinician):
            activities.append(
                ActivityFactory(
                    clinician=clinician,
                    posted_at=now - dt.timedelta(days=3 + 5 * index, hours=who),
                    category=CATEGORIES[(who + index) % len(CATEGORIES)],
                    impressions=10 ** (index % 6),
                    citation_count=index % 2,
                    campaign=campaigns[index % 2] if index % 3 == 0 else None,
                    status=ActivityStatus.ACCEPTED,
                )
            )
    two_days_ago = now - dt.timedelta(days=2)
    Activity.objects.update(updated_at=two_days_ago)
    Clinician.objects.update(updated_at=two_days_ago)
    assert scores_recompute().mode == PricingRunMode.FULL  # no earlier run
    return clinicians, activities, campaigns


def test_the_next_run_prices_only_the_weeks_touched_since_the_previous_one():
    _, activities, _ = _history()
    quiet = scores_recompute()
    assert (quiet.mode, quiet.weeks_priced, quiet.entries_written) == (PricingRunMode.INCREMENTAL, 0, 0)

    # An edit that bypassed the event path (no award): only its clinician-week is priced again.
    activity = activities[0]
    activity.impressions = 10**6
    activity.save()
    touched = scores_recompute()
    assert (touched.mode, touched.weeks_priced, touched.entries_written) == (PricingRunMode.INCREMENTAL, 1, 1)
    # (20 base + 10, the capped reach bonus) x 1.25, its campaign's multiplier, rounded half up.
    assert ActivityTotal.objects.get(activity=activity).total == 38


def test_a_new_rule_set_version_prices_everything():
    _history()
    rule_set_next(evidence_bonus=9)
    run = scores_recompute()
    assert (run.mode, run.weeks_priced) == (PricingRunMode.FULL, None)
    assert PricingRun.objects.first().rule_set_version == run.rule_set_version


def test_a_changed_campaign_multiplier_prices_that_campaigns_weeks():
    _, activities, campaigns = _history()
    campaigns[1].multiplier = Decimal("3.00")
    campaigns[1].save()
    run = scores_recompute()
    in_campaign = {(a.clinician_id, a.posted_at.isocalendar()[:2]) for a in activities if a.campaign == campaigns[1]}
    assert run.mode == PricingRunMode.INCREMENTAL
    assert run.weeks_priced == len(in_campaign)
    assert run.entries_written == len([a for a in activities if a.campaign == campaigns[1]])
    assert scores_recompute(full=True).entries_written == 0


def test_points_leaving_the_rolling_30_days_refresh_those_scores_as_a_fresh_run_would():
    """Nothing was edited, but days passed: posts that left the last 30 days change their
    clinicians' rolling figures, which the incremental run refreshes (it equals the full run)."""
    import time_machine

    _history()
    later = timezone.now() + dt.timedelta(days=6)
    # The calendar periods must not restart in between (that refreshes everybody): stay in the month.
    six_days = later.month == timezone.now().month
    if not six_days:
        later = timezone.now() + dt.timedelta(hours=20)
    with time_machine.travel(later, tick=True):
        before = dict(Score.objects.values_list("clinician_id", "last_30_days"))
        run = scores_recompute()
        assert run.mode == PricingRunMode.INCREMENTAL
        incremental = _state()
        assert scores_recompute(full=True).entries_written == 0
        assert _state() == incremental
    if six_days:  # the posts of 28 days ago left the rolling 30 days
        assert dict(Score.objects.values_list("clinician_id", "last_30_days")) != before


changes = st.lists(
    st.one_of(
        st.tuples(st.just("status"), st.integers(0, 17), st.sampled_from(list(ActivityStatus.values))),
        st.tuples(st.just("reach"), st.integers(0, 17), st.integers(0, 10**7)),
        st.tuples(st.just("category"), st.integers(0, 17), st.sampled_from(CATEGORIES)),
        st.tuples(st.just("campaign"), st.integers(0, 17), st.integers(0, 2)),
        st.tuples(st.just("move"), st.integers(0, 17), st.integers(-20, 20)),
        st.tuples(st.just("lapse"), st.integers(0, 2)),
        st.tuples(st.just("multiplier"), st.integers(0, 1), st.sampled_from(["1.00", "1.50", "4.00"])),
        st.tuples(st.just("night"), st.just(0)),
    ),
    max_size=10,
)


class Rollback(Exception):
    pass


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=changes)
def test_after_any_edits_the_incremental_state_equals_a_fresh_computation(steps):
    """Edits that bypass the event path (as a lost message or an admin edit would), interleaved with
    nightly runs: after the last incremental run, the full run (the audit) writes no correction and
    derives exactly the same totals, scores, ranks, tiers and badges."""
    try:
        with transaction.atomic():
            clinicians, activities, campaigns = _history()
            for kind, *args in steps:
                if kind == "night":
                    assert scores_recompute().mode == PricingRunMode.INCREMENTAL
                    continue
                if kind == "lapse":
                    clinician = clinicians[args[0]]
                    clinician.verification_status = "lapsed"
                    clinician.lapsed_at = timezone.now() - dt.timedelta(days=12)
                    clinician.save()
                    continue
                if kind == "multiplier":
                    campaign = campaigns[args[0]]
                    campaign.multiplier = Decimal(args[1])
                    campaign.save()
                    continue
                activity = Activity.objects.get(pk=activities[args[0]].pk)
                if kind == "status":
                    activity.status = args[1]
                elif kind == "reach":
                    activity.impressions = args[1]
                elif kind == "category":
                    activity.category = args[1]
                elif kind == "campaign":
                    activity.campaign = [None, *campaigns][args[1]]
                else:
                    activity.posted_at = activity.posted_at + dt.timedelta(days=args[1])
                activity.save()
            assert scores_recompute().mode == PricingRunMode.INCREMENTAL
            incremental = _state()
            assert scores_recompute(full=True).entries_written == 0
            assert _state() == incremental
            raise Rollback
    except Rollback:
        pass
