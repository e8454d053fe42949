"""The one tier rule: thresholds from the versioned rule set, computed in SQL (scoring.tier_sql) when a
score is written, read by the pages from the Score row."""

import pytest
from django.core.exceptions import ValidationError

from incentives.models import LedgerKind, Score, Tier
from incentives.selectors import rule_set_latest, score_of, tier_progress
from incentives.services import rule_set_current, score_refresh, scores_recompute
from tests.factories import LedgerEntryFactory, VerifiedClinicianFactory
from tests.incentives.factories import rule_set_next

pytestmark = pytest.mark.django_db


def _with_points(amount: int):
    clinician = VerifiedClinicianFactory()
    LedgerEntryFactory(clinician=clinician, amount=amount, kind=LedgerKind.ADJUSTMENT, memo="Test points")
    return clinician


def test_the_first_rule_set_carries_the_thresholds_the_environment_gave():
    assert rule_set_current().tier_thresholds == {"bronze": 100, "silver": 500, "gold": 1500, "platinum": 5000}


def test_a_tier_is_reached_at_its_threshold_not_a_point_before():
    rule_set_next(tier_bronze=40, tier_silver=80, tier_gold=120, tier_platinum=160)
    below, at, top = _with_points(39), _with_points(40), _with_points(160)
    score_refresh(clinician_id=below.pk)  # the event path
    score_refresh(clinician_id=at.pk)
    scores_recompute()  # and the full recompute agree
    tiers = dict(Score.objects.values_list("clinician_id", "tier"))
    assert (tiers[below.pk], tiers[at.pk], tiers[top.pk]) == (Tier.NONE, Tier.BRONZE, Tier.PLATINUM)

    progress = tier_progress(score=score_of(clinician=below), rule_set=rule_set_latest())
    assert (progress.tier, progress.next_tier, progress.points_to_next, progress.percent) == ("", "bronze", 1, 97)
    progress = tier_progress(score=score_of(clinician=at), rule_set=rule_set_latest())
    assert (progress.tier_label, progress.next_tier_label, progress.next_threshold, progress.percent) == (
        "Bronze",
        "Silver",
        80,
        0,
    )
    progress = tier_progress(score=score_of(clinician=top), rule_set=rule_set_latest())
    assert (progress.next_tier, progress.percent) == ("", 100)


def test_a_new_rule_set_moves_tiers_at_the_next_recompute():
    clinician = _with_points(100)
    scores_recompute()
    assert Score.objects.get(clinician=clinician).tier == Tier.BRONZE
    rule_set_next(tier_bronze=50, tier_silver=100, tier_gold=200, tier_platinum=300)
    scores_recompute()
    assert Score.objects.get(clinician=clinician).tier == Tier.SILVER


def test_tier_thresholds_must_rise():
    with pytest.raises(ValidationError):
        rule_set_next(tier_bronze=500, tier_silver=500)
