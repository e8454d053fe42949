"""Campaigns with their toolkits, clinicians' participation, and logged activities."""

from django.db import models
from django.utils import timezone

from clinicians.models import Platform


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
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.position}"


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


class ActivityProof(models.TextChoices):
    """What shows the post is the clinician's own; only the first three may earn points."""

    PROVEN = "proven", "From a proven account"
    GRANDFATHERED = "grandfathered", "Grandfathered (accepted before proofs existed)"
    MODERATOR = "moderator", "Approved by a moderator"
    UNPROVEN = "unproven", "Not proven: held for review"


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

    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="activities")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    url = models.URLField(max_length=1000, unique=True, help_text="Normalised URL of the post.")
    submitted_url = models.URLField(max_length=1000, blank=True)
    posted_at = models.DateTimeField()
    category = models.CharField(max_length=32, choices=Category.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    excerpt = models.TextField(blank=True, max_length=5000)
    citations = models.JSONField(default=list, blank=True, help_text="DOIs, PMIDs or URLs.")
    citation_count = models.PositiveSmallIntegerField(default=0)
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
    proof_account = models.ForeignKey(
        "clinicians.SocialAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text="The proven linked account the post was matched to.",
    )
    proof_summary = models.CharField(
        max_length=500, blank=True, help_text="The account proof as it stood when the post was accepted (kept)."
    )
    decided_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(disclosure="disclosed") | ~models.Q(disclosure_text=""),
                name="activity_disclosure_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def reach(self) -> int:
        return self.impressions


class ActivityMetricsRevision(models.Model):
    """The metrics an activity had before each edit, so earlier figures are never lost."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="metric_revisions")
    impressions = models.PositiveIntegerField()
    likes = models.PositiveIntegerField()
    shares = models.PositiveIntegerField()
    comments = models.PositiveIntegerField()
    clicks = models.PositiveIntegerField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Metrics of {self.activity_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


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
