"""Factories for the incentives tests."""

from incentives.models import RuleSet
from tests.factories import RewardFactory  # noqa: F401 (re-exported for these tests)


def rule_set_next(**changes) -> RuleSet:
    """A new rule set version, copied from the current one with ``changes`` applied."""
    from incentives.services import rule_set_create_version, rule_set_current

    current = rule_set_current()
    values = {
        "category_points": dict(current.category_points),
        "leaderboard_excluded_categories": list(current.leaderboard_excluded_categories),
        "evidence_bonus": current.evidence_bonus,
        "engagement_bonus_per_decade": current.engagement_bonus_per_decade,
        "engagement_bonus_cap": current.engagement_bonus_cap,
        "self_reported_engagement_share": current.self_reported_engagement_share,
        "daily_cap": current.daily_cap,
        "weekly_category_cap": current.weekly_category_cap,
        **{f"tier_{tier}": points for tier, points in current.tier_thresholds.items()},
    }
    values.update(changes)
    return rule_set_create_version(values=values, created_by=None)
