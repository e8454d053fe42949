"""Campaigns with their toolkits, clinicians' participation, and logged activities."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from clinicians.models import Platform
from core.storage import private_storage


class GoalKind(models.TextChoices):
    POSTS = "posts", "Accepted posts"
    REACH = "reach", "Reach (impressions)"


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def published(self) -> "CampaignQuerySet":
        return self.filter(is_published=True)

    def active_on(self, day) -> "CampaignQuerySet":
        return self.published().filter(starts_on__lte=day, ends_on__gte=day)


class Campaign(models.Model):
    """An association campaign that directs clinicians' posting toward one message."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown; sanitised when rendered.")
    hashtags = models.JSONField(default=list, blank=True, help_text="Lower-case, without '#'.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_platforms = models.JSONField(default=list, blank=True)
    goal_kind = models.CharField(max_length=8, choices=GoalKind.choices, default=GoalKind.POSTS)
    goal_target = models.PositiveIntegerField(default=100)
    multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    is_published = models.BooleanField(default=True)
    required_modules = models.ManyToManyField(
        "learning.Module",
        blank=True,
        related_name="required_by_campaigns",
        help_text="Learning modules a clinician completes before joining (e.g. patient privacy).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(multiplier__gte=1) & models.Q(multiplier__lte=5), name="campaign_multiplier_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ToolkitItemKind(models.TextChoices):
    SUGGESTED_POST = "suggested_post", "Suggested post"
    EVIDENCE_LINK = "evidence_link", "Evidence link"
    KEY_MESSAGE = "key_message", "Key message"


class ToolkitItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="toolkit_items")
    kind = models.CharField(max_length=16, choices=ToolkitItemKind.choices)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    # Checked and re-encoded on upload (core.images); served by a view to whoever may see the campaign.
    image = models.FileField(storage=private_storage, upload_to="toolkit/", blank=True, max_length=200)
    image_alt = models.CharField(
        "image description", max_length=200, blank=True, help_text="What the picture shows (alt text to share with it)."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.position}"

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the picture (alt text) for people who cannot see it."})


class TrackedLink(models.Model):
    """A short portal link (`/l/<code>`) to a toolkit item's evidence link, one per clinician and
    item, that counts clicks and redirects. Nothing about the person who clicks is kept: no address,
    agent or time per click, only the count."""

    code = models.CharField(max_length=16, unique=True)
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="tracked_links")
    toolkit_item = models.ForeignKey(ToolkitItem, on_delete=models.CASCADE, related_name="tracked_links")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tracked_links")
    clicks = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One link per clinician and item, so every share of that item counts on the same link.
            models.UniqueConstraint(fields=["clinician", "toolkit_item"], name="tracked_link_once_per_item"),
        ]

    def __str__(self) -> str:
        return self.code


class Participation(models.Model):
    """A clinician's membership of a campaign; leaving keeps the row with left_at set."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="participations")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "clinician"], name="participation_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.clinician_id} in {self.campaign_id}"


class Category(models.TextChoices):
    PUBLIC_EDUCATION = "public_education", "Public education"
    MISINFORMATION_CORRECTION = "misinformation_correction", "Misinformation correction"
    PUBLIC_HEALTH_ADVOCACY = "public_health_advocacy", "Public-health advocacy"
    RESEARCH_DISSEMINATION = "research_dissemination", "Research dissemination"
    PROFESSIONAL_NETWORKING = "professional_networking", "Professional networking"
    RECRUITMENT = "recruitment", "Recruitment"
    PRACTICE_MARKETING = "practice_marketing", "Practice marketing"
    PROFESSIONAL_DEVELOPMENT = "professional_development", "Professional development"


class ActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    FLAGGED = "flagged", "Flagged for review"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The one table of the moves a person may make (the owner withdraws; moderators accept, reject and
# flag): {new status: the statuses it may be reached from}. Services enforce it, views ask it
# (``Activity.can_become``) before offering a button. Withdrawn and rejected posts are closed to edits.
ACTIVITY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActivityStatus.WITHDRAWN: (ActivityStatus.SUBMITTED, ActivityStatus.ACCEPTED, ActivityStatus.FLAGGED),
    ActivityStatus.ACCEPTED: (ActivityStatus.SUBMITTED, ActivityStatus.FLAGGED, ActivityStatus.REJECTED),
    ActivityStatus.REJECTED: (ActivityStatus.SUBMITTED, ActivityStatus.FLAGGED, ActivityStatus.ACCEPTED),
    ActivityStatus.FLAGGED: (ActivityStatus.SUBMITTED, ActivityStatus.ACCEPTED),
}
ACTIVITY_CLOSED_TO_EDITS = (ActivityStatus.WITHDRAWN, ActivityStatus.REJECTED)


class ActivityProof(models.TextChoices):
    """What shows the post is the clinician's own; only the first three may earn points."""

    PROVEN = "proven", "From a proven account"
    GRANDFATHERED = "grandfathered", "Grandfathered (accepted before proofs existed)"
    MODERATOR = "moderator", "Approved by a moderator"
    UNPROVEN = "unproven", "Not proven: held for review"


class MetricSource(models.TextChoices):
    """Where an activity's current figures come from: typed by the clinician or read from the platform."""

    SELF_REPORTED = "self_reported", "Self-reported"
    IMPORTED = "imported", "Imported from the platform's API"


class Disclosure(models.TextChoices):
    NONE = "none", "No conflict of interest"
    DISCLOSED = "disclosed", "Conflict of interest disclosed"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_clinician(self, clinician) -> "ActivityQuerySet":
        return self.filter(clinician=clinician)

    def accepted(self) -> "ActivityQuerySet":
        return self.filter(status=ActivityStatus.ACCEPTED)


# The admin moderation queue: flagged first, then newest; id last so the order is total.
ACTIVITY_QUEUE_ORDER = [
    models.Case(
        models.When(status=ActivityStatus.FLAGGED, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    ).asc(),
    models.F("created_at").desc(),
    models.F("id").desc(),
]


class Activity(models.Model):
    """One social media post a clinician logged."""

    # No single-column index of its own: activity_clinician_recent_idx and activity_clinician_facts_idx
    # both start with the clinician (deletes and lookups by clinician use them).
    clinician = models.ForeignKey(
        "clinicians.Clinician", on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    # Unique through Meta.constraints (activity_url_unique), which builds one index: a field's
    # unique=True adds a second, varchar_pattern_ops, index on PostgreSQL for LIKE 'prefix%'
    # lookups, which nothing runs (the admin search is icontains). 740 MB at 10M activities.
    url = models.URLField(max_length=1000, help_text="Normalised URL of the post.")
    submitted_url = models.URLField(max_length=1000, blank=True)
    posted_at = models.DateTimeField()
    category = models.CharField(max_length=32, choices=Category.choices)
    # Indexed by activity_campaign_status_idx (campaign, status), which also serves the PROTECT check.
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    excerpt = models.TextField(blank=True, max_length=5000)
    citations = models.JSONField(default=list, blank=True, help_text="DOIs, PMIDs or URLs.")
    citation_count = models.PositiveSmallIntegerField(default=0)
    cites_own_publication = models.BooleanField(
        default=False, help_text="A research-dissemination post citing a DOI of the clinician's ORCID works."
    )
    impressions = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    disclosure = models.CharField(max_length=10, choices=Disclosure.choices, default=Disclosure.NONE)
    disclosure_text = models.TextField(blank=True)
    reading_grade = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.SUBMITTED)
    guard_flags = models.JSONField(default=list, blank=True, help_text="Guards that fired, e.g. privacy.")
    privacy_hits = models.JSONField(default=list, blank=True)
    review_reason = models.TextField(blank=True)
    proof = models.CharField(max_length=16, choices=ActivityProof.choices, default=ActivityProof.UNPROVEN)
    # Partial index in Meta (activity_proof_account_idx): only proven rows, for the SET NULL of an unlink.
    proof_account = models.ForeignKey(
        "clinicians.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text="The proven linked account the post was matched to.",
        db_index=False,
    )
    proof_summary = models.CharField(
        max_length=500, blank=True, help_text="The account proof as it stood when the post was accepted (kept)."
    )
    # Where the current figures come from. Impressions price the engagement bonus, so their source
    # is kept apart from likes, shares and comments (most public APIs give no view count).
    impressions_source = models.CharField(
        max_length=16, choices=MetricSource.choices, default=MetricSource.SELF_REPORTED
    )
    metrics_source = models.CharField(
        max_length=16,
        choices=MetricSource.choices,
        default=MetricSource.SELF_REPORTED,
        help_text="Source of likes, shares and comments.",
    )
    metrics_source_api = models.CharField(
        max_length=120, blank=True, help_text="The API (and version) the imported figures were read from."
    )
    metrics_imported_at = models.DateTimeField(null=True, blank=True)
    # Partial index in Meta (activity_decided_by_idx): only decided rows, for the SET NULL of an erasure.
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        permissions = [
            ("moderate_activity", "Can accept or reject activities"),
        ]
        ordering = ["-posted_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            # "My activity" lists a clinician's posts newest first; scoring groups by clinician.
            models.Index(fields=["clinician", "-posted_at"], name="activity_clinician_recent_idx"),
            # One clinician's totals, category and platform mix and campaigns (dashboard, "My
            # activity") read this index only, not thousands of wide rows (PostgreSQL; elsewhere a
            # plain index on the two keys).
            models.Index(
                fields=["clinician", "status"],
                include=[
                    "id",
                    "category",
                    "platform",
                    "campaign",
                    "impressions",
                    "likes",
                    "shares",
                    "comments",
                    "clicks",
                ],
                name="activity_clinician_facts_idx",
            ),
            # The moderation queue and scoring scan by status.
            models.Index(fields=["status", "-created_at"], name="activity_status_idx"),
            # Campaign pages and reports aggregate accepted posts per campaign.
            models.Index(fields=["campaign", "status"], name="activity_campaign_status_idx"),
            # Reports and the staff dashboard bucket activities by time.
            models.Index(fields=["posted_at"], name="activity_posted_idx"),
            # The award sweeper reads the activities changed in the last hours, every minute.
            models.Index(fields=["updated_at"], name="activity_updated_idx"),
            # The admin moderation queue (flagged first, then newest) reads its first page from this
            # index instead of sorting every activity.
            models.Index(*ACTIVITY_QUEUE_ORDER, name="activity_queue_idx"),
            # Foreign keys that are NULL on most rows: only the set rows are indexed (a few MB
            # instead of 66 MB each at 10M), enough for the SET NULL when a user or account goes.
            models.Index(
                fields=["decided_by"], name="activity_decided_by_idx", condition=models.Q(decided_by__isnull=False)
            ),
            models.Index(
                fields=["proof_account"],
                name="activity_proof_account_idx",
                condition=models.Q(proof_account__isnull=False),
            ),
        ]
        constraints = [
            # The one index on url: equality lookups (duplicate checks) and the uniqueness itself.
            models.UniqueConstraint(fields=["url"], name="activity_url_unique"),
            models.CheckConstraint(
                condition=~models.Q(disclosure="disclosed") | ~models.Q(disclosure_text=""),
                name="activity_disclosure_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def can_become(self, status: str) -> bool:
        """Whether ``ACTIVITY_TRANSITIONS`` allows the move from the current status to ``status``."""
        return self.status in ACTIVITY_TRANSITIONS.get(status, ())

    @property
    def is_editable(self) -> bool:
        return self.status not in ACTIVITY_CLOSED_TO_EDITS

    @property
    def reach(self) -> int:
        return self.impressions

    def metric_sources_at(self, when) -> "Activity | ActivityMetricsRevision":
        """Whatever carries the figures (and their sources) in force at ``when``: the first revision
        replaced after it, else the activity itself. Reads ``metric_revisions`` (prefetch it)."""
        later = [revision for revision in self.metric_revisions.all() if revision.replaced_at > when]
        return min(later, key=lambda revision: (revision.replaced_at, revision.pk)) if later else self


class ActivityMetricsRevision(models.Model):
    """The metrics an activity had before each edit, so earlier figures are never lost."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="metric_revisions")
    impressions = models.PositiveIntegerField()
    likes = models.PositiveIntegerField()
    shares = models.PositiveIntegerField()
    comments = models.PositiveIntegerField()
    clicks = models.PositiveIntegerField()
    # Where the replaced figures came from, so a ledger entry priced on them can still show it.
    impressions_source = models.CharField(
        max_length=16, choices=MetricSource.choices, default=MetricSource.SELF_REPORTED
    )
    metrics_source = models.CharField(max_length=16, choices=MetricSource.choices, default=MetricSource.SELF_REPORTED)
    metrics_source_api = models.CharField(max_length=120, blank=True)
    metrics_imported_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Metrics of {self.activity_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class ReadingCheckpoint(models.TextChoices):
    """When, after posting, the worker reads a post's figures from the platform."""

    HOUR = "1h", "About 1 hour after posting"
    DAY = "1d", "About 1 day after posting"
    WEEK = "7d", "About 7 days after posting"


class ReadingStatus(models.TextChoices):
    DUE = "due", "Due"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class MetricReading(models.Model):
    """One reading of a post's figures from its platform's API, kept as the evidence for its points.

    The scheduler creates the row (status due) before it promises the worker's fetch: the unique
    (activity, checkpoint) pair is the claim, so a reading is never scheduled or stored twice.
    Figures the API does not give (views on Bluesky, Mastodon and Reddit) stay empty.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="metric_readings")
    checkpoint = models.CharField(max_length=4, choices=ReadingCheckpoint.choices)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=ReadingStatus.choices, default=ReadingStatus.DUE)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    source_api = models.CharField(max_length=120, blank=True, help_text="API and version read, e.g. endpoint.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    impressions = models.PositiveIntegerField(null=True, blank=True, help_text="Views, where the API gives them.")
    likes = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True, help_text="Reposts, boosts, quotes.")
    comments = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["activity", "due_at"]
        constraints = [
            # The claim of the scheduler: one reading per post and checkpoint.
            models.UniqueConstraint(fields=["activity", "checkpoint"], name="metricreading_once_per_checkpoint"),
        ]
        indexes = [
            # The worker's retry sweep and the admin read due readings oldest first.
            models.Index(fields=["status", "due_at"], name="metricreading_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} at {self.checkpoint}: {self.status}"


class ActivityImportBatch(models.Model):
    """An uploaded CSV between preview and confirmation: the parsed rows wait here, not in a session."""

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="import_batches")
    filename = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list, help_text="Parsed rows: line, values and the problems found.")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    saved_count = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True, help_text="Rows not saved at confirmation, with reasons.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "activity import batches"

    def __str__(self) -> str:
        return f"Import {self.pk} by {self.clinician_id}"

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if not row["problems"]]

    @property
    def invalid_rows(self) -> list[dict]:
        return [row for row in self.rows if row["problems"]]
