"""Point rules (versioned), the append-only ledger, derived scores, badges and rewards."""

import itertools

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from core.storage import private_storage


class RuleSet(models.Model):
    """One version of the point schedule. Editing creates a new version; the latest one prices."""

    version = models.PositiveIntegerField(unique=True)
    category_points = models.JSONField(help_text="Base points per activity category.")
    leaderboard_excluded_categories = models.JSONField(default=list, blank=True)
    evidence_bonus = models.PositiveIntegerField(default=5, help_text="For corrections that cite evidence.")
    engagement_bonus_per_decade = models.PositiveIntegerField(
        default=2, help_text="Bonus points per factor of ten in reach (log10 of impressions)."
    )
    engagement_bonus_cap = models.PositiveIntegerField(default=10)
    self_reported_engagement_share = models.PositiveSmallIntegerField(
        default=100,
        validators=[MaxValueValidator(100)],
        help_text="Percent of the engagement bonus that self-reported (typed) impressions may earn; "
        "impressions imported from the platform's API earn all of it.",
    )
    daily_cap = models.PositiveIntegerField(default=100, help_text="Per clinician per UTC day.")
    weekly_category_cap = models.PositiveIntegerField(default=150, help_text="Per clinician, category and ISO week.")
    # Lifetime points at which each tier is reached (bronze < silver < gold < platinum).
    tier_bronze = models.PositiveIntegerField(default=100, help_text="Lifetime points for the bronze tier.")
    tier_silver = models.PositiveIntegerField(default=500, help_text="Lifetime points for the silver tier.")
    tier_gold = models.PositiveIntegerField(default=1500, help_text="Lifetime points for the gold tier.")
    tier_platinum = models.PositiveIntegerField(default=5000, help_text="Lifetime points for the platinum tier.")
    module_completion_points = models.PositiveIntegerField(
        default=20, help_text="For completing a learning module (once per module version)."
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(self_reported_engagement_share__lte=100), name="ruleset_self_reported_share_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"Rule set v{self.version}"

    @property
    def tier_thresholds(self) -> dict[str, int]:
        """{tier: lifetime points to reach it}, lowest tier first."""
        return {
            "bronze": self.tier_bronze,
            "silver": self.tier_silver,
            "gold": self.tier_gold,
            "platinum": self.tier_platinum,
        }

    def clean(self) -> None:
        values = list(self.tier_thresholds.values())
        if any(lower >= higher for lower, higher in itertools.pairwise(values)):
            raise ValidationError({"tier_silver": "Tier thresholds must rise: bronze < silver < gold < platinum."})


class LedgerKind(models.TextChoices):
    AWARD = "award", "Award"
    REVERSAL = "reversal", "Reversal"
    ADJUSTMENT = "adjustment", "Adjustment"
    REDEMPTION = "redemption", "Redemption"
    REFUND = "refund", "Refund"


class LedgerEntry(models.Model):
    """One signed movement of points. Never updated or deleted (a database trigger on PostgreSQL)."""

    # Indexes (issue 16, "database size per activity"): the foreign keys' own single-column indexes
    # are replaced by the Meta indexes that start with the same column, and the ones NULL on most
    # rows are partial.
    clinician = models.ForeignKey(
        "clinicians.Clinician", on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    amount = models.IntegerField()
    kind = models.CharField(max_length=12, choices=LedgerKind.choices)
    activity = models.ForeignKey(
        "campaigns.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,
    )
    # Rule sets are never deleted (admin refuses; PROTECT): nothing looks entries up by rule set.
    rule_set = models.ForeignKey(
        RuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    uncapped_amount = models.IntegerField(null=True, blank=True, help_text="Set when a cap reduced the award.")
    memo = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Unique through Meta.constraints (one index; unique=True would add an unused LIKE index on PostgreSQL).
    idempotency_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [
            ("adjust_points", "Can make manual point adjustments"),
        ]
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            # The points statement and balance: one clinician's entries, newest first, in the
            # model's own order, so a page is read from the index without sorting.
            models.Index(fields=["clinician", "-created_at", "-id"], name="ledger_clinician_newest_idx"),
            # Re-pricing looks up the entries of one activity.
            models.Index(fields=["activity"], name="ledger_activity_idx"),
            # Manual adjustments only: the PROTECT check when a user is erased.
            models.Index(fields=["actor"], name="ledger_actor_idx", condition=models.Q(actor__isnull=False)),
        ]
        constraints = [
            # Idempotency: a second delivery of the same award collides here instead of doubling it.
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+d} for {self.clinician_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Ledger entries are append-only; write a correcting entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are append-only and cannot be deleted.")


class ActivityTotal(models.Model):
    """Derived cache: the sum of one activity's award and reversal ledger entries, and their count.

    Database triggers (migration 0005) add every such ledger entry to this row in the statement that
    appends it, so no code path can forget it and the event path spends no extra query. The ledger
    stays the source of truth: ``activity_totals_verify`` compares this table with the ledger.
    """

    activity = models.OneToOneField(
        "campaigns.Activity", on_delete=models.CASCADE, primary_key=True, related_name="incentives_total"
    )
    total = models.IntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    # The activity's updated_at that the event path last priced (pricing.pricing_stamp); older than
    # the activity's updated_at means a change whose award never ran (the award sweeper's query).
    priced_change_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.total}"


class PricingRunMode(models.TextChoices):
    FULL = "full", "Full (every activity)"
    INCREMENTAL = "incremental", "Incremental (touched clinician-weeks)"


class PricingRun(models.Model):
    """One nightly pricing run (``incentives.services.scores_recompute``): what the next
    incremental run compares with. The next run re-prices only the clinician-weeks touched since
    this one started, unless the rule set changed (then it prices everything)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    mode = models.CharField(max_length=12, choices=PricingRunMode.choices)
    rule_set_version = models.PositiveIntegerField()
    # {campaign id: multiplier} as priced: a changed multiplier re-prices that campaign's weeks.
    multipliers = models.JSONField(default=dict)
    weeks_priced = models.PositiveIntegerField(null=True, blank=True, help_text="Incremental runs only.")
    entries_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.mode} pricing run at {self.started_at:%Y-%m-%d %H:%M} (rule set v{self.rule_set_version})"


class Tier(models.TextChoices):
    NONE = "", "No tier yet"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


class Score(models.Model):
    """Derived totals and ranks per clinician, refreshed from the ledger (never the source of truth)."""

    clinician = models.OneToOneField(
        "clinicians.Clinician", on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    lifetime = models.IntegerField(default=0)
    balance = models.IntegerField(default=0)
    last_30_days = models.IntegerField(default=0)
    this_month = models.IntegerField(default=0)
    this_quarter = models.IntegerField(default=0)
    this_year = models.IntegerField(default=0)
    leaderboard_lifetime = models.IntegerField(default=0, help_text="Lifetime minus excluded categories.")
    leaderboard_last_30_days = models.IntegerField(default=0)
    leaderboard_this_month = models.IntegerField(default=0)
    leaderboard_this_quarter = models.IntegerField(default=0)
    leaderboard_this_year = models.IntegerField(default=0)
    rank_overall = models.PositiveIntegerField(null=True, blank=True)
    rank_specialty = models.PositiveIntegerField(null=True, blank=True)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.NONE, blank=True)
    highest_tier_notified = models.CharField(
        max_length=10, choices=Tier.choices, default=Tier.NONE, blank=True, help_text="Each tier is announced once."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [
            ("recompute_scores", "Can recompute every score"),
        ]
        indexes = [
            models.Index(fields=["rank_overall"], name="score_rank_idx"),
            # The event path ranks one clinician by counting those with more leaderboard points.
            models.Index(fields=["-leaderboard_lifetime"], name="score_leaderboard_idx"),
        ]

    def __str__(self) -> str:
        return f"Score of {self.clinician_id}: {self.lifetime}"


class Badge(models.Model):
    """An achievement; the codes are fixed (a data migration creates them, the scoring SQL names them)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300)
    icon = models.CharField(max_length=8, blank=True, help_text="An emoji shown beside the name.")

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """A badge earned by a clinician; awarded once."""

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [models.UniqueConstraint(fields=["badge", "clinician"], name="award_once_per_badge")]

    def __str__(self) -> str:
        return f"{self.badge_id} → {self.clinician_id}"


class Reward(models.Model):
    """An item of the rewards catalogue that clinicians buy with their balance."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    cost = models.PositiveIntegerField()
    stock = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for unlimited.")
    available_from = models.DateTimeField(null=True, blank=True)
    available_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Checked and re-encoded on upload (core.images); served only to signed-in users by a view.
    image = models.FileField(storage=private_storage, upload_to="rewards/", blank=True, max_length=200)
    image_alt = models.CharField(
        "image description", max_length=200, blank=True, help_text="What the picture shows, for screen readers."
    )
    needs_delivery_address = models.BooleanField(
        default=False, help_text="Ask the clinician where to send it (a physical item) before redeeming."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cost", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(cost__gt=0), name="reward_cost_positive")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the picture (alt text) for people who cannot see it."})


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    # Delivered (or handed over, for a voucher or a pass); the value predates the label.
    FULFILLED = "fulfilled", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class Redemption(models.Model):
    """A clinician's request for a reward; the cost is deducted through the ledger at request time."""

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.PROTECT, related_name="redemptions")
    cost = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.REQUESTED)
    note = models.TextField(blank=True)
    # Personal data, asked only when the reward needs_delivery_address; part of the data export.
    delivery_name = models.CharField(max_length=120, blank=True)
    delivery_address = models.TextField(max_length=500, blank=True)
    decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [
            ("decide_redemption", "Can approve, fulfil or cancel redemptions"),
        ]
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="redemption_queue_idx")]

    def __str__(self) -> str:
        return f"{self.reward_id} for {self.clinician_id} ({self.status})"


class LedgerLink(models.Model):
    """One link of the tamper-evident hash chain over the ledger (``incentives.ledger_chain``).

    The link of entry N stores sha256(link hash N-1 + the entry's canonical fields), so changing,
    removing or re-inserting any sealed entry breaks every later link; ``verify_ledger`` recomputes
    the chain from the entries. Written by the sealing service only, append-only like the ledger.
    ``entry_id`` deliberately has no foreign-key constraint: a deleted or truncated entry must leave
    its link behind as evidence instead of cascading it away.
    """

    sequence = models.PositiveBigIntegerField(primary_key=True)
    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="chain_link"
    )
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"link {self.sequence}: entry {self.entry_id} {self.hash[:12]}"


class WeeklyDigest(models.Model):
    """The record that one clinician's weekly digest for one week was sent (written in the same
    transaction as the email's outbox row, so a rerun of the beat task never sends it twice).

    It keeps the rank and lifetime points at sending time: next week's digest states the change.
    """

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="weekly_digests")
    week_of = models.DateField(help_text="The Monday (clinician's local date) the digest belongs to.")
    rank_overall = models.PositiveIntegerField(null=True, blank=True)
    lifetime = models.IntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_of", "-id"]
        constraints = [
            # The idempotency of the send: one digest per clinician and week, whatever reruns.
            # Its index also answers the hourly beat's "already sent this week?" per clinician.
            models.UniqueConstraint(fields=["clinician", "week_of"], name="weekly_digest_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.clinician_id} for {self.week_of}"
