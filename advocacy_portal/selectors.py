"""Reads for the dashboards: one clinician's picture and the association's picture.

Each selector issues a constant number of queries whatever the data size (aggregates in SQL, no
per-row look-ups), so the dashboard stays fast for a busy clinician and a large association.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activity, Campaign, Category, GoalKind, Participation
from campaigns.selectors import campaign_progress, campaigns_with_totals, goal_percent
from clinicians.models import Clinician, Credential, CredentialStatus, Platform, SocialAccount, VerificationStatus
from incentives.models import Award, LedgerEntry, Score
from incentives.selectors import TierProgress, rule_set_latest, score_current, tier_progress
from reports.models import Report

CHART_WEEKS = 26
ACTIVE_DAYS = 30
LATEST_LEDGER_ENTRIES = 5
LATEST_REPORTS = 5
STAFF_CAMPAIGNS = 6
QUEUE_STATUSES = (CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW)


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    url_name: str


@dataclass
class CampaignProgress:
    campaign: Campaign
    achieved: int
    target: int
    percent: int
    unit: str
    my_posts: int = 0


@dataclass
class ClinicianDashboard:
    clinician: Clinician
    score: Score | None
    tier: TierProgress
    checklist: list[ChecklistItem]
    awards: list[Award]
    weekly_points: list[tuple[dt.date, int]]
    by_category: list[tuple[str, int]]
    by_platform: list[tuple[str, int]]
    campaigns: list[CampaignProgress]
    latest_entries: list[LedgerEntry]

    @property
    def checklist_done(self) -> bool:
        return all(item.done for item in self.checklist)

    @property
    def next_action(self) -> "NextAction":
        """The one thing to do next, which the dashboard leads with: get verified, finish setting
        up, share for a running campaign, or join one."""
        if self.clinician.verification_status in (VerificationStatus.UNVERIFIED, VerificationStatus.LAPSED):
            return NextAction(
                "Get verified to earn points",
                "Submit your NPI or a licence; the association checks it and tells you by email.",
                reverse("clinicians:credential_create"),
                "Submit a credential",
            )
        today = timezone.localdate()
        running = [item.campaign for item in self.campaigns if item.campaign.ends_on >= today]
        if running:
            campaign = min(running, key=lambda campaign: campaign.ends_on)
            return NextAction(
                f"Share a post for “{campaign.title}”",
                f"Open its toolkit, share a suggested post in one click, then log it. It runs until "
                f"{campaign.ends_on:%-d %B}.",
                reverse("campaigns:campaign_detail", args=[campaign.slug]) + "#toolkit-heading",
                "Open the toolkit",
            )
        return NextAction(
            "Join a campaign",
            "Campaigns give you ready-to-share posts and count your posts toward a shared goal.",
            reverse("campaigns:campaign_list"),
            "Browse campaigns",
        )


@dataclass(frozen=True)
class NextAction:
    title: str
    text: str
    url: str
    button: str


@dataclass
class StaffDashboard:
    verified_clinicians: int
    active_clinicians: int
    weekly_activities: list[tuple[dt.date, int]]
    by_category: list[tuple[str, int]]
    by_platform: list[tuple[str, int]]
    campaigns: list[CampaignProgress]
    queue_size: int
    queue_oldest_at: dt.datetime | None
    latest_reports: list[Report] = field(default_factory=list)
    # When the period aggregates (counts, weekly series, mixes) were computed: they are cached.
    aggregates_at: dt.datetime | None = None


def week_starts(*, weeks: int = CHART_WEEKS, today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of the last `weeks` ISO weeks, oldest first, ending with the current week."""
    today = today or timezone.now().date()
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=offset) for offset in range(weeks - 1, -1, -1)]


def _weekly_series(rows, starts: list[dt.date]) -> list[tuple[dt.date, int]]:
    """Fold per-day totals into zero-filled ISO weeks (days are grouped in SQL, weeks here, so the
    same code runs on SQLite and PostgreSQL)."""
    totals = dict.fromkeys(starts, 0)
    for day, value in rows:
        if isinstance(day, dt.datetime):
            day = day.date()
        monday = day - dt.timedelta(days=day.weekday())
        if monday in totals:
            totals[monday] += value or 0
    return list(totals.items())


def _mixes(queryset) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Activities by category and by platform (label, count; largest first), from one scan grouped by
    both: at most categories x platforms rows, summed here."""
    by_category: Counter[str] = Counter()
    by_platform: Counter[str] = Counter()
    rows = queryset.order_by().values_list("category", "platform").annotate(total=Count("pk"))
    for category, platform, total in rows:
        by_category[category] += total
        by_platform[platform] += total

    def labelled(counts: Counter[str], choices) -> list[tuple[str, int]]:
        labels = dict(choices)
        return [
            (labels.get(value, value), total) for value, total in sorted(counts.items(), key=lambda v: (-v[1], v[0]))
        ]

    return labelled(by_category, Category.choices), labelled(by_platform, Platform.choices)


def _campaign_progress(campaign: Campaign) -> CampaignProgress:
    achieved = campaign_progress(campaign)
    unit = "impressions" if campaign.goal_kind == GoalKind.REACH else "accepted posts"
    target = campaign.goal_target or 0
    percent = goal_percent(achieved=achieved, target=target)
    return CampaignProgress(campaign=campaign, achieved=achieved, target=target, percent=percent, unit=unit)


def clinician_dashboard_get(*, clinician: Clinician) -> ClinicianDashboard:
    """Everything the clinician dashboard shows, in nine queries and one read of the cached campaign
    totals, at any data size."""
    now = timezone.now()
    starts = week_starts(today=now.date())
    window_start = dt.datetime.combine(starts[0], dt.time.min, tzinfo=dt.UTC)

    flags = (
        Clinician.objects.filter(pk=clinician.pk)
        .annotate(
            email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("user_id"), verified=True)),
            has_credential=Exists(Credential.objects.filter(clinician=OuterRef("pk"))),
            has_social=Exists(SocialAccount.objects.filter(clinician=OuterRef("pk"))),
            has_activity=Exists(Activity.objects.filter(clinician=OuterRef("pk"))),
            has_campaign=Exists(Participation.objects.filter(clinician=OuterRef("pk"))),
        )
        .values("email_verified", "has_credential", "has_social", "has_activity", "has_campaign")
        .get()
    )
    checklist = [
        ChecklistItem("Verify your email address", flags["email_verified"], "account_email"),
        ChecklistItem("Complete your profile", clinician.profile_completed_at is not None, "clinicians:profile_edit"),
        ChecklistItem("Submit a credential", flags["has_credential"], "clinicians:credential_create"),
        ChecklistItem("Link a social media account", flags["has_social"], "clinicians:social_account_list"),
        ChecklistItem("Log your first activity", flags["has_activity"], "campaigns:activity_create"),
        ChecklistItem("Join a campaign", flags["has_campaign"], "campaigns:campaign_list"),
    ]

    score = score_current(clinician=clinician)
    awards = list(Award.objects.filter(clinician=clinician).select_related("badge").order_by("-awarded_at"))
    # Points belong to the day of the post that earned them (an award priced today for a post of
    # last month counts in last month's week); entries without a post (rewards, adjustments) to
    # the day they were written.
    weekly_rows = (
        LedgerEntry.objects.filter(clinician=clinician)
        .annotate(belongs_at=Coalesce("activity__posted_at", "created_at"))
        .filter(belongs_at__gte=window_start)
        .annotate(day=TruncDate("belongs_at"))
        .values("day")
        .annotate(total=Sum("amount"))
        .values_list("day", "total")
    )
    accepted = Activity.objects.for_clinician(clinician).accepted()
    joined = campaigns_with_totals(
        Campaign.objects.filter(participations__clinician=clinician, participations__left_at__isnull=True).order_by(
            "-ends_on", "title"
        )
    )
    my_posts = dict(
        accepted.filter(campaign__in=[campaign.pk for campaign in joined])
        .order_by()
        .values("campaign")
        .annotate(posts=Count("pk"))
        .values_list("campaign", "posts")
    )
    by_category, by_platform = _mixes(accepted)
    campaigns = []
    for campaign in joined:
        progress = _campaign_progress(campaign)
        progress.my_posts = my_posts.get(campaign.pk, 0)
        campaigns.append(progress)

    return ClinicianDashboard(
        clinician=clinician,
        score=score,
        tier=tier_progress(score=score, rule_set=rule_set_latest()),
        checklist=checklist,
        awards=awards,
        weekly_points=_weekly_series(weekly_rows, starts),
        by_category=by_category,
        by_platform=by_platform,
        campaigns=campaigns,
        latest_entries=list(
            LedgerEntry.objects.filter(clinician=clinician).select_related("activity")[:LATEST_LEDGER_ENTRIES]
        ),
    )


STAFF_AGGREGATES_KEY = "advocacy_portal:staff-aggregates:v1"


def staff_aggregates_refresh(*, now: dt.datetime | None = None) -> dict:
    """Compute the association's period aggregates (five scans of the last 26 weeks: seconds at 10M
    activities) and keep them in the cache for STAFF_DASHBOARD_CACHE_SECONDS. Beat calls this every
    few minutes, so a page view only reads the cache."""
    now = now or timezone.now()
    starts = week_starts(today=now.date())
    window_start = dt.datetime.combine(starts[0], dt.time.min, tzinfo=dt.UTC)
    verified = Clinician.objects.filter(verification_status=VerificationStatus.VERIFIED).count()
    active = (
        Activity.objects.accepted()
        .filter(posted_at__gte=now - dt.timedelta(days=ACTIVE_DAYS))
        .aggregate(total=Count("clinician", distinct=True))["total"]
    )
    recent = Activity.objects.accepted().filter(posted_at__gte=window_start)
    weekly_rows = (
        recent.annotate(day=TruncDate("posted_at"))
        .values("day")
        .annotate(total=Count("pk"))
        .values_list("day", "total")
    )
    by_category, by_platform = _mixes(recent)
    aggregates = {
        "computed_at": now,
        "verified_clinicians": verified,
        "active_clinicians": active,
        "weekly_activities": _weekly_series(weekly_rows, starts),
        "by_category": by_category,
        "by_platform": by_platform,
    }
    cache.set(STAFF_AGGREGATES_KEY, aggregates, settings.STAFF_DASHBOARD_CACHE_SECONDS)
    return aggregates


def staff_dashboard_get() -> StaffDashboard:
    """The association's picture for staff: the period aggregates from the cache (computed here only
    when the cache lost them), the campaigns, the verification queue and the latest reports live;
    the same queries at any data size."""
    aggregates = cache.get(STAFF_AGGREGATES_KEY) or staff_aggregates_refresh()
    campaigns = [
        _campaign_progress(campaign)
        for campaign in campaigns_with_totals(
            Campaign.objects.filter(is_published=True).order_by("-ends_on", "title")[:STAFF_CAMPAIGNS]
        )
    ]
    queue = Credential.objects.filter(status__in=QUEUE_STATUSES).aggregate(size=Count("pk"), oldest=Min("created_at"))
    return StaffDashboard(
        verified_clinicians=aggregates["verified_clinicians"],
        active_clinicians=aggregates["active_clinicians"],
        weekly_activities=aggregates["weekly_activities"],
        by_category=aggregates["by_category"],
        by_platform=aggregates["by_platform"],
        campaigns=campaigns,
        queue_size=queue["size"],
        queue_oldest_at=queue["oldest"],
        latest_reports=list(Report.objects.select_related("requested_by")[:LATEST_REPORTS]),
        aggregates_at=aggregates["computed_at"],
    )
