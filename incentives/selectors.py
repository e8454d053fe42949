"""Reads of the incentives app: the points statement, leaderboards, rewards and redemptions.

Each selector returns only what the given clinician may see and owns its joins, so pages run a
constant number of queries whatever the number of rows.
"""

# RawSQL carries incentives.scoring.rank_sql: text built only from fixed identifiers and choice values.
# ruff: noqa: S611

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf, Rank
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus, Campaign, Category
from clinicians.models import Clinician, Specialty, VerificationStatus
from incentives import scoring, tables
from incentives.models import Award, Badge, LedgerEntry, LedgerKind, Redemption, Reward, RuleSet, Score, Tier
from incentives.scoring import TIER_ORDER, period_starts, rank_sql, ranks_of_sorted


def statement_entries(*, clinician: Clinician) -> QuerySet[LedgerEntry]:
    """The clinician's ledger, newest first, each entry with the balance after it.

    The running balance is a window over all of the clinician's entries, so their activities and
    rule sets are fetched afterwards for the page's entries only (prefetch), not joined to every
    entry before the window (24 ms a page for a clinician with 1,900 entries; now 3 ms).
    """
    return (
        LedgerEntry.objects.filter(clinician=clinician)
        .prefetch_related("activity", "activity__campaign", "activity__metric_revisions", "rule_set")
        .annotate(
            running_balance=Window(Sum("amount"), order_by=[F("created_at").asc(), F("id").asc()]),
        )
        .order_by("-created_at", "-id")
    )


def statement_metric_sources(*, entries) -> list:
    """Each entry of a statement page with ``figures``: what carried the activity's figures and their
    sources (imported or self-reported) when the entry was written (Activity.metric_sources_at)."""
    for entry in entries:
        entry.figures = entry.activity.metric_sources_at(entry.created_at) if entry.activity else None
    return entries


def _live_ranks(scores: QuerySet[Score]) -> QuerySet[Score]:
    """Scores with ``live_rank_overall`` and ``live_rank_specialty``: the rank rule (``rank_sql``)
    evaluated now, so a rank never shows stale when another clinician overtakes or falls behind."""
    clinician = f'"{tables.CLINICIAN}"'  # joined by select_related
    points = f'"{tables.SCORE}"."leaderboard_lifetime"'
    return scores.select_related("clinician").annotate(
        live_rank_overall=RawSQL(rank_sql(points=points, clinician=clinician), []),
        live_rank_specialty=RawSQL(rank_sql(points=points, clinician=clinician, within_specialty=True), []),
    )


def score_current(*, clinician: Clinician) -> Score | None:
    """The clinician's Score row with its ranks as of now (not as of the last recompute), or None."""
    score = _live_ranks(Score.objects.filter(clinician=clinician)).first()
    if score is not None:
        score.rank_overall, score.rank_specialty = score.live_rank_overall, score.live_rank_specialty
    return score


def score_of(*, clinician: Clinician) -> Score:
    """The clinician's Score row (live ranks), or an unsaved zero row before their first refresh."""
    return score_current(clinician=clinician) or Score(clinician=clinician)


def rule_set_latest() -> RuleSet:
    """The rule set that prices now (the highest version; unsaved defaults before the first one)."""
    return RuleSet.objects.order_by("-version").first() or RuleSet()


@dataclass(frozen=True)
class TierProgress:
    """Where a clinician stands on the rule set's tier ladder (the dashboard and the statement)."""

    tier: str
    tier_label: str
    next_tier: str  # "" at the top tier
    next_tier_label: str
    next_threshold: int  # 0 at the top tier
    points_to_next: int
    percent: int  # of the way from the current tier's threshold to the next one; 100 at the top


def tier_progress(*, score: Score | None, rule_set: RuleSet) -> TierProgress:
    """The tier the score holds (written by ``scoring.tier_sql``, the one tier rule) and the way to the
    next tier under ``rule_set``'s thresholds."""
    labels = dict(Tier.choices)
    lifetime = score.lifetime if score else 0
    current = Tier(score.tier if score else Tier.NONE)
    index = TIER_ORDER.index(current)
    if index == len(TIER_ORDER) - 1:
        return TierProgress(current, labels[current], "", "", 0, 0, 100)
    thresholds = rule_set.tier_thresholds
    following = TIER_ORDER[index + 1]
    floor = thresholds[current] if current else 0
    span = thresholds[following] - floor
    percent = max(0, min(100, int(100 * (lifetime - floor) / span))) if span > 0 else 0
    return TierProgress(
        tier=current,
        tier_label=labels[current],
        next_tier=following,
        next_tier_label=labels[following],
        next_threshold=thresholds[following],
        points_to_next=max(0, thresholds[following] - lifetime),
        percent=percent,
    )


def awards_of(*, clinician: Clinician) -> QuerySet[Award]:
    return Award.objects.filter(clinician=clinician).select_related("badge")


PERIODS = {
    "all": ("All time", "leaderboard_lifetime"),
    "30d": ("Last 30 days", "leaderboard_last_30_days"),
    "month": ("This month", "leaderboard_this_month"),
    "quarter": ("This quarter", "leaderboard_this_quarter"),
    "year": ("This year", "leaderboard_this_year"),
}
PERIOD_STARTS = {"30d": "last_30_days", "month": "this_month", "quarter": "this_quarter", "year": "this_year"}


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    clinician_id: int
    name: str
    specialty: str
    points: int
    is_viewer: bool


@dataclass(frozen=True)
class Leaderboard:
    rows: list[LeaderboardRow]
    viewer_row: LeaderboardRow | None
    viewer_in_rows: bool


def _row(values: dict, *, viewer: Clinician | None, specialty_labels: dict) -> LeaderboardRow:
    viewer_id = viewer.pk if viewer else None
    named = values["opt_in"] or values["clinician_id"] == viewer_id
    return LeaderboardRow(
        rank=values["rank"],
        clinician_id=values["clinician_id"],
        name=(values["display_name"] or "Clinician") if named else "Anonymous clinician",
        specialty=specialty_labels.get(values["specialty"], ""),
        points=values["points"],
        is_viewer=values["clinician_id"] == viewer_id,
    )


def leaderboard(
    *,
    viewer: Clinician | None,
    period: str = "all",
    specialty: str = "",
    campaign: Campaign | None = None,
    now: dt.datetime | None = None,
) -> Leaderboard:
    """Verified clinicians with points, ranked (ties share a rank); excluded categories never count.

    Without a campaign the figures come from the Score table; with one, from that campaign's ledger
    entries (by the posts' time within the period). A constant number of queries: the top rows,
    then the viewer's points and how many clinicians have more (their rank). Staff read the board
    without being a viewer (``viewer=None``): no row is theirs, and anonymous rows stay anonymous.
    """
    specialty_labels = dict(Specialty.choices)
    verified = Q(clinician__verification_status=VerificationStatus.VERIFIED)
    if specialty:
        verified &= Q(clinician__specialty=specialty)
    names = {
        # The verified name once there is one: a later display-name change waits for review.
        "display_name": Coalesce(NullIf(F("clinician__verified_name"), Value("")), F("clinician__display_name")),
        "opt_in": F("clinician__leaderboard_opt_in"),
        "specialty": F("clinician__specialty"),
    }
    # Ranks follow the one rank rule (incentives.scoring.rank_sql; ties share a rank, "1, 1, 3"). The
    # top rows come first from score_leaderboard_idx (no ranking of every clinician: 75 ms at 50k with
    # RANK() over all) and take their ranks from each other; the viewer's is counted.
    if campaign is None:
        field = PERIODS[period][1]
        rank = rank_sql(
            points=f'"{tables.SCORE}"."{field}"',
            clinician=f'"{tables.CLINICIAN}"',  # joined by the verified filter
            within_specialty=bool(specialty),
            column=field,
        )
        totals = Score.objects.filter(verified, **{f"{field}__gt": 0}).values("clinician_id").annotate(points=F(field))
    else:
        entries = LedgerEntry.objects.filter(
            verified, activity__campaign=campaign, kind__in=[LedgerKind.AWARD, LedgerKind.REVERSAL]
        ).exclude(activity__category__in=rule_set_latest().leaderboard_excluded_categories)
        if period != "all":
            start = period_starts(now or timezone.now())[PERIOD_STARTS[period]]
            entries = entries.filter(activity__posted_at__gte=start)
        # A campaign's points come from its ledger entries, not from Score: the same rule, as RANK()
        # over the campaign's clinicians for the top rows and as a count of those ahead for the viewer.
        totals = entries.values("clinician_id").annotate(points=Sum("amount")).filter(points__gt=0)
    ranked = totals if campaign is None else totals.annotate(rank=Window(Rank(), order_by=F("points").desc()))
    top = list(ranked.annotate(**names).order_by("-points", "clinician_id")[: settings.INCENTIVES_LEADERBOARD_SIZE])
    if campaign is None:
        # Everybody with more points than a top row is above it in the top rows, so their ranks
        # follow from the rows themselves (``ranks_of_sorted``), with no count per row (1 s at 1M).
        for values, row_rank in zip(top, ranks_of_sorted([values["points"] for values in top]), strict=True):
            values["rank"] = row_rank
    rows = [_row(values, viewer=viewer, specialty_labels=specialty_labels) for values in top]
    viewer_in_rows = any(row.is_viewer for row in rows)
    viewer_row = None
    # Always the same two queries (not only when the viewer is outside the top), so the page's
    # query count does not depend on where the viewer ranks.
    own_totals = totals if campaign is not None else totals.annotate(rank=RawSQL(rank, []))
    own = list(own_totals.filter(clinician_id=viewer.pk if viewer else None).annotate(**names))
    if own:
        values = own[0]
        if campaign is not None:
            values["rank"] = 1 + totals.filter(points__gt=values["points"]).count()
        viewer_row = _row(values, viewer=viewer, specialty_labels=specialty_labels)
    return Leaderboard(rows=rows, viewer_row=viewer_row, viewer_in_rows=viewer_in_rows)


def campaigns_for_leaderboard() -> QuerySet[Campaign]:
    return Campaign.objects.published().only("slug", "title").order_by("-starts_on", "title")


def rewards_available(*, now: dt.datetime | None = None) -> QuerySet[Reward]:
    now = now or timezone.now()
    return Reward.objects.filter(is_active=True).filter(
        Q(available_from__isnull=True) | Q(available_from__lte=now),
        Q(available_until__isnull=True) | Q(available_until__gte=now),
    )


def redemptions_of(*, clinician: Clinician) -> QuerySet[Redemption]:
    return Redemption.objects.filter(clinician=clinician).select_related("reward")


def activities_awaiting_pricing(*, now: dt.datetime) -> list[int]:
    """Activities changed between AWARD_SWEEP_LOOKBACK_HOURS and AWARD_STALE_AFTER_SECONDS ago
    whose change no award priced (no pricing stamp, or one older than the change), oldest first,
    at most AWARD_SWEEP_BATCH. Older ones are left to the nightly full recompute."""
    changed_after = now - dt.timedelta(hours=settings.AWARD_SWEEP_LOOKBACK_HOURS)
    changed_before = now - dt.timedelta(seconds=settings.AWARD_STALE_AFTER_SECONDS)
    never_priced = Q(incentives_total__isnull=True) | Q(incentives_total__priced_change_at__isnull=True)
    return list(
        Activity.objects.filter(updated_at__gte=changed_after, updated_at__lt=changed_before)
        .filter(never_priced | Q(incentives_total__priced_change_at__lt=F("updated_at")))
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[: settings.AWARD_SWEEP_BATCH]
    )


TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class PointsLine:
    """One line of what a post earned, in words: "Evidence bonus: ..." and "+5"."""

    label: str
    points: str


@dataclass(frozen=True)
class PointsExplanation:
    total: int
    lines: list[PointsLine]
    note: str


def _engagement_bonus(*, impressions: int, rule_set: RuleSet) -> int:
    # As incentives.pricing._engagement_sql: one step per power of ten reached, from 10 to 10^9.
    decades = sum(1 for power in range(1, 10) if impressions >= 10**power)
    return min(int(rule_set.engagement_bonus_cap), int(rule_set.engagement_bonus_per_decade) * decades)


def activity_points_explain(*, activity: Activity) -> PointsExplanation:
    """What the post earned and the rule lines that made it, read from its ledger entries and the
    rule set that last priced it: base points, evidence bonus, reach bonus, campaign multiplier and
    the daily or weekly limit (the amounts follow incentives.pricing; the total is the ledger's)."""
    entries = list(activity.ledger_entries.select_related("rule_set").order_by("created_at", "id"))
    total = sum(entry.amount for entry in entries)
    if not entries:
        waiting = activity.status == ActivityStatus.ACCEPTED
        note = (
            "Points are being worked out: they appear here within a few minutes."
            if waiting
            else f"No points while the post is {activity.get_status_display().lower()}."
        )
        return PointsExplanation(total=0, lines=[], note=note)
    latest = entries[-1]
    if total == 0 and latest.memo.startswith("Reversed"):
        return PointsExplanation(total=0, lines=[], note=f"{latest.memo.removeprefix('Reversed: ').capitalize()}.")
    rule_set = latest.rule_set or RuleSet.objects.order_by("-version").first()
    if rule_set is None:
        return PointsExplanation(total=total, lines=[], note="")
    category_label = activity.get_category_display().lower()
    base = int(rule_set.category_points.get(activity.category, 0))
    lines = [PointsLine(f"Base points for a {category_label} post", f"+{base}")]
    raw = base
    if activity.category == Category.MISINFORMATION_CORRECTION and activity.citation_count > 0:
        bonus = int(rule_set.evidence_bonus)
        count = activity.citation_count
        lines.append(
            PointsLine(f"Evidence bonus: your correction cites {count} source{'s' if count != 1 else ''}", f"+{bonus}")
        )
        raw += bonus
    reach = _engagement_bonus(impressions=activity.impressions or 0, rule_set=rule_set)
    if reach:
        lines.append(
            PointsLine(
                f"Reach bonus for {activity.impressions:,} impressions ({rule_set.engagement_bonus_per_decade} for "
                f"every tenfold reach, up to {rule_set.engagement_bonus_cap})",
                f"+{reach}",
            )
        )
        raw += reach
    multiplier = activity.campaign.multiplier if activity.campaign_id else 1
    uncapped = (raw * round(multiplier * 100) + 50) // 100
    if multiplier != 1:
        factor = f"{TIMES}{multiplier.normalize()}"
        lines.append(
            PointsLine(
                f"Campaign “{activity.campaign.title}” counts {factor}: {raw} becomes {uncapped}",
                factor,
            )
        )
    if total < uncapped:
        lines.append(
            PointsLine(
                f"Limit reached: at most {rule_set.daily_cap} points a day and {rule_set.weekly_category_cap} a week "
                f"for {category_label} posts, so {uncapped - total} did not count",
                f"-{uncapped - total}",
            )
        )
    return PointsExplanation(total=total, lines=lines, note="")


# --- Weekly digest ------------------------------------------------------------------------------

# Badges whose progress is a count the digest can state ("2 of 3 platforms"): code, target, what.
DIGEST_COUNTED_BADGES = (
    (scoring.BADGE_THREE_PLATFORMS, 3, "platforms"),
    (scoring.BADGE_TEN_CITED, 10, "cited corrections"),
)


def weekly_digest_week_of(*, time_zone: str, now: dt.datetime) -> dt.date | None:
    """The Monday whose digest is due now in ``time_zone``, or None: due from WEEKLY_DIGEST_LOCAL_HOUR
    on the clinician's local Monday until that Monday ends (a missed hourly run catches up later
    that day). Local wall time, so a digest stays at 08:00 across daylight-saving changes."""
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    if local.weekday() == 0 and local.hour >= settings.WEEKLY_DIGEST_LOCAL_HOUR:
        return local.date()
    return None


def weekly_digests_due(*, now: dt.datetime) -> list[tuple[int, dt.date]]:
    """(clinician id, week's Monday) of every active clinician whose digest is due now and not yet
    sent. One query per distinct time zone that is due (at most a handful in any hour)."""
    due: list[tuple[int, dt.date]] = []
    zones = Clinician.objects.order_by().values_list("time_zone", flat=True).distinct()
    for zone in zones:
        week_of = weekly_digest_week_of(time_zone=zone, now=now)
        if week_of is None:
            continue
        ids = (
            Clinician.objects.filter(time_zone=zone, user__is_active=True)
            .exclude(weekly_digests__week_of=week_of)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        due.extend((pk, week_of) for pk in ids)
    return due


@dataclass(frozen=True)
class BadgeNear:
    name: str
    icon: str
    have: int
    target: int
    what: str


@dataclass(frozen=True)
class WeeklyDigest:
    """What one clinician's Monday email says about the week before it."""

    week_of: dt.date
    points_earned: int
    balance: int
    lifetime: int
    rank_overall: int | None
    rank_change: int | None  # places gained (negative: lost); None without last week's rank
    tier: TierProgress
    new_campaigns: list[Campaign]
    ending_campaigns: list[Campaign]
    joined_campaign_ids: frozenset[int]
    badges_near: list[BadgeNear]

    @property
    def places_moved(self) -> int:
        return abs(self.rank_change or 0)


def weekly_digest_compose(*, clinician: Clinician, week_of: dt.date, now: dt.datetime) -> WeeklyDigest:
    """The digest of the seven days before ``now``: points credited, rank now and its change since
    the previous digest, campaigns that opened or close within a week (clinician's local dates),
    the next tier and the countable badges within reach. A fixed number of queries."""
    today = now.astimezone(zoneinfo.ZoneInfo(clinician.time_zone)).date()
    week_ago = now - dt.timedelta(days=7)
    earned = (
        LedgerEntry.objects.filter(
            clinician=clinician,
            created_at__gte=week_ago,
            created_at__lt=now,
            kind__in=[LedgerKind.AWARD, LedgerKind.REVERSAL, LedgerKind.ADJUSTMENT],
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    score = score_current(clinician=clinician)
    previous = clinician.weekly_digests.filter(week_of__lt=week_of).order_by("-week_of").values("rank_overall").first()
    rank = score.rank_overall if score else None
    rank_change = None
    if rank is not None and previous and previous["rank_overall"] is not None:
        rank_change = previous["rank_overall"] - rank
    published = Campaign.objects.published()
    new_campaigns = list(
        published.filter(starts_on__gt=today - dt.timedelta(days=7), starts_on__lte=today).order_by(
            "starts_on", "title"
        )
    )
    ending_campaigns = list(
        published.filter(starts_on__lte=today, ends_on__gte=today, ends_on__lt=today + dt.timedelta(days=7)).order_by(
            "ends_on", "title"
        )
    )
    joined = frozenset(
        clinician.participations.filter(
            left_at__isnull=True, campaign__in=[c.pk for c in new_campaigns + ending_campaigns]
        ).values_list("campaign_id", flat=True)
    )
    return WeeklyDigest(
        week_of=week_of,
        points_earned=earned,
        balance=score.balance if score else 0,
        lifetime=score.lifetime if score else 0,
        rank_overall=rank,
        rank_change=rank_change,
        tier=tier_progress(score=score, rule_set=rule_set_latest()),
        new_campaigns=new_campaigns,
        ending_campaigns=ending_campaigns,
        joined_campaign_ids=joined,
        badges_near=_badges_near(clinician=clinician),
    )


def _badges_near(*, clinician: Clinician) -> list[BadgeNear]:
    """Countable badges the clinician does not hold yet and has started on (at least one counted)."""
    held = set(Award.objects.filter(clinician=clinician).values_list("badge__code", flat=True))
    wanted = [code for code, _, _ in DIGEST_COUNTED_BADGES if code not in held]
    if not wanted:
        return []
    counts = (
        Activity.objects.for_clinician(clinician)
        .accepted()
        .aggregate(
            platforms=Count("platform", distinct=True),
            cited=Count("pk", filter=Q(category=Category.MISINFORMATION_CORRECTION, citation_count__gt=0)),
        )
    )
    have = {scoring.BADGE_THREE_PLATFORMS: counts["platforms"], scoring.BADGE_TEN_CITED: counts["cited"]}
    badges = {badge.code: badge for badge in Badge.objects.filter(code__in=wanted)}
    return [
        BadgeNear(badges[code].name, badges[code].icon, have[code], target, what)
        for code, target, what in DIGEST_COUNTED_BADGES
        if code in badges and 0 < have[code] < target
    ]
