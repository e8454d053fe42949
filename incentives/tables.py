"""Table names for the raw SQL in incentives.pricing and incentives.scoring, read from the models'
``_meta`` so a renamed table (``Meta.db_table``) cannot silently break pricing or scoring; and the
columns that SQL names, checked against ``_meta`` when the module is imported, so a renamed or
removed column fails at start-up (and in every test) rather than in a nightly job."""

from django.db import models

from campaigns.models import Activity, Campaign
from clinicians.models import Clinician
from incentives.models import ActivityTotal, Award, Badge, LedgerEntry, RuleSet, Score


def _table(model: type[models.Model], *columns: str) -> str:
    """``model``'s table name, after checking that it has every column in ``columns``."""
    known = {field.column for field in model._meta.concrete_fields}
    missing = sorted(set(columns) - known)
    if missing:
        raise ImproperlyConfiguredColumns(f"{model.__name__} has no columns {missing}: update incentives' raw SQL")
    return model._meta.db_table


class ImproperlyConfiguredColumns(RuntimeError):
    pass


ACTIVITY = _table(
    Activity,
    "id",
    "clinician_id",
    "category",
    "status",
    "posted_at",
    "platform",
    "campaign_id",
    "citation_count",
    "impressions",
    "impressions_source",
    "updated_at",
)
CAMPAIGN = _table(Campaign, "id", "multiplier")
CLINICIAN = _table(Clinician, "id", "verification_status", "lapsed_at", "specialty")
ACTIVITY_TOTAL = _table(ActivityTotal, "activity_id", "total", "entries", "priced_change_at")
AWARD = _table(Award, "badge_id", "clinician_id", "awarded_at", "context")
BADGE = _table(Badge, "id", "code")
LEDGER_ENTRY = _table(
    LedgerEntry,
    "clinician_id",
    "amount",
    "kind",
    "activity_id",
    "rule_set_id",
    "uncapped_amount",
    "memo",
    "actor_id",
    "idempotency_key",
    "created_at",
)
RULE_SET = _table(RuleSet, "version")
SCORE = _table(
    Score,
    "clinician_id",
    "lifetime",
    "balance",
    "rank_overall",
    "rank_specialty",
    "tier",
    "highest_tier_notified",
    "updated_at",
    "leaderboard_lifetime",
)
