"""Reads for reports: the report history, and every figure and row a report contains.

Row selectors return iterators over `values_list` querysets with `.iterator(chunk_size=...)`, so on
PostgreSQL they stream through a server-side cursor and never hold the rows in memory. Aggregate
selectors return small lists (one row per category, platform, week, specialty...).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Left, NullIf, TruncMonth, TruncWeek
from django.db.models.lookups import In
from django.utils import timezone

from campaigns.models import Activity, ActivityStatus, Campaign, Category, GoalKind, TrackedLink
from campaigns.selectors import goal_percent
from clinicians.models import (
    Clinician,
    Credential,
    CredentialDecision,
    CredentialKind,
    CredentialStatus,
    Platform,
    Profession,
    Specialty,
    VerificationStatus,
)
from core.spreadsheet import FORMULA_TRIGGERS
from incentives.models import LedgerEntry, Redemption, RedemptionStatus
from incentives.scoring import ledger_earned_in_period
from learning.models import Attempt, AttemptAnswer, Completion
from reports.formats import CLINICIAN_ID_HEADER, TimestampText
from reports.models import Report, ReportStatus


class ScopeError(ValueError):
    """The report parameters do not describe a scope we can build (unknown campaign, bad dates)."""


EARLIEST_REPORT_DAY = dt.date(2000, 1, 1)


def period_problem(start: dt.date, end: dt.date) -> str:
    """Why a period cannot be reported on, or "" when it can. One rule for the form, the command
    and the worker: no post predates 2000, and nothing can be reported more than a year ahead
    (dates near 9999-12-31 would also overflow when the period's end is turned into a bound)."""
    latest = today_utc() + dt.timedelta(days=366)
    if start < EARLIEST_REPORT_DAY or end > latest:
        return f"Choose a period between {EARLIEST_REPORT_DAY:%-d %B %Y} and {latest:%-d %B %Y}."
    if end < start:
        return "The period ends before it starts."
    return ""


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: an inclusive period of UTC days and optional filters."""

    start: dt.date
    end: dt.date
    campaign: Campaign | None = None
    specialty: str = ""
    state: str = ""

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        """Exclusive upper bound: midnight after the last day."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)

    def describe(self) -> str:
        parts = [f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"]
        if self.campaign:
            parts.append(f"campaign {self.campaign.title}")
        if self.specialty:
            parts.append(f"specialty {Specialty(self.specialty).label}")
        if self.state:
            parts.append(f"state {self.state}")
        return ", ".join(parts)


def report_scope(*, parameters: dict) -> ReportScope:
    """Turn stored report parameters into a scope; raise ScopeError when they cannot be used."""
    try:
        start = dt.date.fromisoformat(parameters["start"])
        end = dt.date.fromisoformat(parameters["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ScopeError("The period needs a start and an end date (YYYY-MM-DD).") from exc
    if problem := period_problem(start, end):
        raise ScopeError(problem)
    campaign = None
    if parameters.get("campaign"):
        campaign = Campaign.objects.filter(slug=parameters["campaign"]).first()
        if campaign is None:
            raise ScopeError(f"No campaign with the slug {parameters['campaign']!r}.")
    specialty = parameters.get("specialty") or ""
    if specialty and specialty not in Specialty.values:
        raise ScopeError(f"Unknown specialty {specialty!r}.")
    return ReportScope(
        start=start, end=end, campaign=campaign, specialty=specialty, state=(parameters.get("state") or "").upper()
    )


# --- Report history ---------------------------------------------------------------------------------


def report_history(*, limit: int = 50) -> QuerySet[Report]:
    """The latest reports of every staff member, for the report centre (one query)."""
    return Report.objects.select_related("requested_by").order_by("-created_at", "-id")[:limit]


def report_get(*, report_id: int) -> Report:
    """A report by id (staff share the report centre, so no per-user filter); Report.DoesNotExist if absent."""
    return Report.objects.select_related("requested_by").get(pk=report_id)


def reports_past_expiry(*, now: dt.datetime) -> QuerySet[Report]:
    return Report.objects.filter(status=ReportStatus.SUCCEEDED, expires_at__lt=now)


def campaign_choices() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-starts_on", "title")


# --- Shared filters ---------------------------------------------------------------------------------


def _activities_in_scope(scope: ReportScope) -> QuerySet[Activity]:
    qs = Activity.objects.filter(posted_at__gte=scope.start_at, posted_at__lt=scope.end_at)
    if scope.campaign:
        qs = qs.filter(campaign=scope.campaign)
    if scope.specialty:
        qs = qs.filter(clinician__specialty=scope.specialty)
    if scope.state:
        qs = qs.filter(clinician__state=scope.state)
    return qs


def _clinicians_in_scope(scope: ReportScope) -> QuerySet[Clinician]:
    qs = Clinician.objects.all()
    if scope.campaign:
        qs = qs.filter(participations__campaign=scope.campaign)
    if scope.specialty:
        qs = qs.filter(specialty=scope.specialty)
    if scope.state:
        qs = qs.filter(state=scope.state)
    return qs


# --- Raw activity export ----------------------------------------------------------------------------

ACTIVITY_EXPORT_HEADERS = [
    "Activity ID",
    "Posted at (UTC)",
    CLINICIAN_ID_HEADER,
    "Clinician",
    "Specialty",
    "State",
    "Platform",
    "Category",
    "Campaign",
    "Status",
    "URL",
    "Impressions",
    "Likes",
    "Shares",
    "Comments",
    "Link clicks (reported)",
    "Citations",
    "Points",
    "Specialty code",
    "Platform code",
    "Category code",
    "Status code",
]


def activity_export_count(*, scope: ReportScope) -> int:
    return _activities_in_scope(scope).count()


def _export_text(column: str) -> Case:
    """A free-text column as every export format writes it, computed in SQL so that COPY writes it too.

    A value starting with a formula trigger gets a leading single quote (what core.spreadsheet.cell_safe does in Python;
    cell_safe leaves the quoted value alone). An empty value becomes NULL: COPY writes '' as `""` but
    NULL as nothing, which is what csv.writer writes for both.
    """
    return Case(
        When(In(Left(column, 1), sorted(FORMULA_TRIGGERS)), then=Concat(Value("'"), F(column))),
        default=NullIf(column, Value("")),
        output_field=CharField(),
    )


def _label(column: str, choices: type[TextChoices]) -> Case:
    """A choice column's label, computed in SQL (so COPY writes it too); NULL when empty or unknown."""
    return Case(
        *[When(**{column: value}, then=Value(label)) for value, label in choices.choices],
        default=Value(None),
        output_field=CharField(),
    )


def activity_export_queryset(*, scope: ReportScope, as_text: bool = True) -> QuerySet:
    """The export's SELECT: one row per activity, labels and free text as the file holds them.

    With `as_text` (the SELECT the CSV renderer COPYs on PostgreSQL, and the benchmark's floor times)
    the timestamp and the clinician id are text too (reports.formats); without it they stay a datetime
    and a UUID, for the XLSX cells and the Python CSV path (which writes the same text).
    Points come from the trigger-maintained ActivityTotal (the sum of the activity's award and reversal
    entries, the only ledger kinds that name an activity); no total yet means 0.
    """
    posted, clinician_id = "posted_at", "clinician__public_id"
    annotations = {}
    if as_text:
        posted, clinician_id = "posted", "clinician_public_id"
        annotations = {
            "posted": TimestampText("posted_at"),
            "clinician_public_id": Cast("clinician__public_id", CharField()),
        }
    return (
        _activities_in_scope(scope)
        .order_by("id")
        .annotate(
            points=Coalesce("incentives_total__total", Value(0)),
            clinician_name=_export_text("clinician__display_name"),
            specialty_label=_label("clinician__specialty", Specialty),
            clinician_state=_export_text("clinician__state"),
            platform_label=_label("platform", Platform),
            category_label=_label("category", Category),
            campaign_title=_export_text("campaign__title"),
            status_label=_label("status", ActivityStatus),
            post_url=_export_text("url"),
            specialty_code=NullIf("clinician__specialty", Value("")),
            **annotations,
        )
        .values_list(
            "id",
            posted,
            clinician_id,
            "clinician_name",
            "specialty_label",
            "clinician_state",
            "platform_label",
            "category_label",
            "campaign_title",
            "status_label",
            "post_url",
            "impressions",
            "likes",
            "shares",
            "comments",
            "clicks",
            "citation_count",
            "points",
            "specialty_code",
            "platform",
            "category",
            "status",
        )
    )


def activity_export_rows(*, scope: ReportScope) -> Iterator[tuple]:
    """Typed rows (a server-side cursor on PostgreSQL): renderers write the datetime and UUID."""
    return activity_export_queryset(scope=scope, as_text=False).iterator(chunk_size=settings.REPORT_CHUNK_SIZE)


# --- Points roster ----------------------------------------------------------------------------------

POINTS_ROSTER_HEADERS = [
    CLINICIAN_ID_HEADER,
    "Clinician",
    "Email",
    "Profession",
    "Specialty",
    "State",
    "Verification status",
    "Points in period",
    "Lifetime points",
    "Balance",
    "Redemptions in period",
    "Points redeemed in period",
    "Tracked-link clicks (all time)",
    "Profession code",
    "Specialty code",
    "Verification status code",
]


def points_roster_count(*, scope: ReportScope) -> int:
    return _clinicians_in_scope(scope).count()


def points_roster_rows(*, scope: ReportScope) -> Iterator[tuple]:
    period_points = (
        ledger_earned_in_period(
            LedgerEntry.objects.filter(clinician=OuterRef("pk")), start=scope.start_at, end=scope.end_at
        )
        .order_by()
        .values("clinician")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    redemptions = (
        Redemption.objects.filter(clinician=OuterRef("pk"), created_at__gte=scope.start_at, created_at__lt=scope.end_at)
        .exclude(status=RedemptionStatus.CANCELLED)
        .order_by()
        .values("clinician")
    )
    qs = (
        _clinicians_in_scope(scope)
        .order_by("id")
        .annotate(
            period_points=Coalesce(Subquery(period_points, output_field=IntegerField()), Value(0)),
            redemption_count=Coalesce(
                Subquery(redemptions.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0)
            ),
            redeemed=Coalesce(
                Subquery(redemptions.annotate(total=Sum("cost")).values("total")[:1], output_field=IntegerField()),
                Value(0),
            ),
            lifetime_points=Coalesce("score__lifetime", Value(0)),
            balance_points=Coalesce("score__balance", Value(0)),
            link_clicks=Coalesce(
                Subquery(_tracked_clicks(scope, clinician=OuterRef("pk")), output_field=IntegerField()), Value(0)
            ),
        )
        .values_list(
            "public_id",
            "display_name",
            "user__email",
            "profession",
            "specialty",
            "state",
            "verification_status",
            "period_points",
            "lifetime_points",
            "balance_points",
            "redemption_count",
            "redeemed",
            "link_clicks",
        )
    )
    for row in qs.iterator(chunk_size=settings.REPORT_CHUNK_SIZE):
        public_id, name, email, profession, specialty, state, status, *figures = row
        yield (
            public_id,
            name,
            email,
            _choice_label(Profession, profession),
            _choice_label(Specialty, specialty),
            state,
            _choice_label(VerificationStatus, status),
            *figures,
            profession,
            specialty,
            status,
        )


def _choice_label(choices: type[TextChoices], value: str) -> str:
    """The label of a stored choice; the value itself if it is not (or no longer) a choice."""
    return dict(choices.choices).get(value, value) if value else ""


def _tracked_clicks(scope: ReportScope, **filters) -> QuerySet:
    """Clicks on tracked links (`/l/<code>`) as a one-value subquery, within the scope's campaign.

    A click is counted on its link without a date (nothing about the click is kept), so the figure
    covers every click since the link was made, whatever the report's period.
    """
    links = _tracked_links_in_scope(scope).filter(**filters)
    key = next(iter(filters))
    return links.order_by().values(key).annotate(total=Sum("clicks")).values("total")[:1]


# --- Verification -----------------------------------------------------------------------------------

QUEUE_STATUSES = [CredentialStatus.SUBMITTED, CredentialStatus.NEEDS_REVIEW]


def _credentials_in_scope(scope: ReportScope) -> QuerySet[Credential]:
    qs = Credential.objects.all()
    if scope.specialty:
        qs = qs.filter(clinician__specialty=scope.specialty)
    if scope.state:
        qs = qs.filter(clinician__state=scope.state)
    return qs


def verification_queue(*, scope: ReportScope, now: dt.datetime) -> list[tuple]:
    """Per queue status: how many credentials wait and how old the oldest is (days)."""
    rows = (
        _credentials_in_scope(scope)
        .filter(status__in=QUEUE_STATUSES)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), oldest=Min("created_at"))
        .order_by("status")
    )
    return [(CredentialStatus(r["status"]).label, r["n"], r["oldest"], (now - r["oldest"]).days) for r in rows]


def verification_decisions(*, scope: ReportScope) -> list[tuple]:
    rows = (
        CredentialDecision.objects.filter(created_at__gte=scope.start_at, created_at__lt=scope.end_at)
        .filter(credential__in=_credentials_in_scope(scope))
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .order_by("status")
    )
    return [(CredentialStatus(r["status"]).label, r["n"]) for r in rows]


def credentials_expiring_count(*, scope: ReportScope, today: dt.date) -> int:
    return _credentials_expiring(scope, today).count()


def _credentials_expiring(scope: ReportScope, today: dt.date) -> QuerySet[Credential]:
    horizon = today + dt.timedelta(days=settings.REPORT_EXPIRING_WITHIN_DAYS)
    return _credentials_in_scope(scope).filter(
        status=CredentialStatus.VERIFIED, expires_on__gte=today, expires_on__lte=horizon
    )


def credentials_expiring_rows(*, scope: ReportScope, today: dt.date) -> Iterator[tuple]:
    qs = (
        _credentials_expiring(scope, today)
        .order_by("expires_on", "id")
        .values_list(
            "clinician__public_id", "clinician__display_name", "clinician__user__email", "kind", "issuer", "expires_on"
        )
    )
    for public_id, name, email, kind, issuer, expires_on in qs.iterator(chunk_size=settings.REPORT_CHUNK_SIZE):
        yield (
            public_id,
            name,
            email,
            _choice_label(CredentialKind, kind),
            issuer,
            expires_on,
            (expires_on - today).days,
            kind,
        )


# --- Advocacy summary -------------------------------------------------------------------------------


def summary_overview(*, scope: ReportScope) -> list[tuple]:
    accepted = _activities_in_scope(scope).filter(status=ActivityStatus.ACCEPTED)
    totals = accepted.aggregate(
        activities=Count("id"),
        reach=Coalesce(Sum("impressions"), 0),
        active=Count("clinician", distinct=True),
        corrections=Count("id", filter=Q(category=Category.MISINFORMATION_CORRECTION)),
        cited=Count("id", filter=Q(category=Category.MISINFORMATION_CORRECTION, citation_count__gt=0)),
    )
    verified = _clinicians_in_scope(scope).filter(verification_status=VerificationStatus.VERIFIED).count()
    # Each activity's award and reversal entries, summed by the ledger's triggers into ActivityTotal.
    points = _activities_in_scope(scope).aggregate(total=Coalesce(Sum("incentives_total__total"), 0))["total"]
    clicks = _tracked_links_in_scope(scope).aggregate(total=Coalesce(Sum("clicks"), 0))["total"]
    return [
        ("Verified clinicians", verified),
        ("Active clinicians (an accepted post in the period)", totals["active"]),
        ("Accepted activities", totals["activities"]),
        ("Estimated reach (impressions)", totals["reach"]),
        ("Misinformation corrections", totals["corrections"]),
        ("Corrections citing evidence", totals["cited"]),
        ("Points awarded for these activities", points),
        (TRACKED_CLICKS_MEASURE, clicks),
    ]


TRACKED_CLICKS_MEASURE = "Tracked-link clicks (all time: clicks are not dated)"


def _tracked_links_in_scope(scope: ReportScope) -> QuerySet[TrackedLink]:
    links = TrackedLink.objects.all()
    if scope.campaign:
        links = links.filter(campaign=scope.campaign)
    if scope.specialty:
        links = links.filter(clinician__specialty=scope.specialty)
    if scope.state:
        links = links.filter(clinician__state=scope.state)
    return links


def _accepted_grouped(scope: ReportScope, field: str) -> list[dict]:
    return list(
        _activities_in_scope(scope)
        .filter(status=ActivityStatus.ACCEPTED)
        .order_by()
        .values(field)
        .annotate(n=Count("id"), reach=Coalesce(Sum("impressions"), 0), people=Count("clinician", distinct=True))
        .order_by("-n", field)
    )


def summary_by_category(*, scope: ReportScope) -> list[tuple]:
    return [(Category(r["category"]).label, r["n"], r["reach"]) for r in _accepted_grouped(scope, "category")]


def summary_by_platform(*, scope: ReportScope) -> list[tuple]:
    return [(Platform(r["platform"]).label, r["n"], r["reach"]) for r in _accepted_grouped(scope, "platform")]


def summary_by_specialty(*, scope: ReportScope) -> list[tuple]:
    return [
        (
            Specialty(r["clinician__specialty"]).label if r["clinician__specialty"] else "Not given",
            r["people"],
            r["n"],
            r["reach"],
        )
        for r in _accepted_grouped(scope, "clinician__specialty")
    ]


def summary_by_state(*, scope: ReportScope) -> list[tuple]:
    return [
        (r["clinician__state"] or "Not given", r["people"], r["n"], r["reach"])
        for r in _accepted_grouped(scope, "clinician__state")
    ]


def summary_campaign_outcomes(*, scope: ReportScope) -> list[tuple]:
    """Campaigns running in the period: accepted posts and reach in the period against the goal."""
    campaigns = Campaign.objects.filter(starts_on__lte=scope.end, ends_on__gte=scope.start)
    if scope.campaign:
        campaigns = campaigns.filter(pk=scope.campaign.pk)
    in_period = Q(
        activities__status=ActivityStatus.ACCEPTED,
        activities__posted_at__gte=scope.start_at,
        activities__posted_at__lt=scope.end_at,
    )
    if scope.specialty:
        in_period &= Q(activities__clinician__specialty=scope.specialty)
    if scope.state:
        in_period &= Q(activities__clinician__state=scope.state)
    rows = campaigns.annotate(
        posts=Count("activities", filter=in_period),
        reach=Coalesce(Sum("activities__impressions", filter=in_period), 0),
        link_clicks=Coalesce(
            Subquery(_tracked_clicks(scope, campaign=OuterRef("pk")), output_field=IntegerField()), Value(0)
        ),
    ).order_by("-starts_on", "title")
    result = []
    for campaign in rows:
        achieved = campaign.posts if campaign.goal_kind == GoalKind.POSTS else campaign.reach
        percent = goal_percent(achieved=achieved, target=campaign.goal_target)
        result.append(
            (
                campaign.title,
                campaign.starts_on,
                campaign.ends_on,
                GoalKind(campaign.goal_kind).label,
                campaign.goal_target,
                achieved,
                percent,
                campaign.posts,
                campaign.reach,
                campaign.link_clicks,
            )
        )
    return result


def campaign_tracked_links(*, scope: ReportScope) -> list[tuple]:
    """Per evidence link of the scope's campaign: how many clinicians have a tracked link to it and
    how often those links were clicked (all time). Links are counted, clinicians never named."""
    rows = (
        _tracked_links_in_scope(scope)
        .order_by()
        .values("toolkit_item__url")
        .annotate(links=Count("id"), clicks=Coalesce(Sum("clicks"), 0))
        .order_by("-clicks", "toolkit_item__url")
    )
    return [(row["toolkit_item__url"], row["links"], row["clicks"]) for row in rows]


def summary_top_contributors(*, scope: ReportScope, limit: int = 10) -> list[tuple]:
    """Clinicians who opted in to leaderboards, by points earned for accepted activities in the scope.

    One grouping of the scope's accepted activities (the posted_at index finds them), with each
    activity's points from its ledger total (``ActivityTotal``). Clinicians who did not opt in are
    never named; they are counted in the other sections only.
    """
    rows = (
        _activities_in_scope(scope)
        .filter(
            status=ActivityStatus.ACCEPTED,
            clinician__leaderboard_opt_in=True,
            clinician__verification_status=VerificationStatus.VERIFIED,
        )
        .order_by()
        .values(
            "clinician_id",
            "clinician__public_id",
            "clinician__display_name",
            "clinician__specialty",
            "clinician__state",
        )
        .annotate(
            posts=Count("id"),
            reach=Coalesce(Sum("impressions"), 0),
            points=Coalesce(Sum("incentives_total__total"), 0),
        )
        .order_by("-points", "-posts", "clinician__display_name", "clinician_id")[:limit]
    )
    rows = list(rows)
    clicks = dict(
        _tracked_links_in_scope(scope)
        .filter(clinician__in=[row["clinician_id"] for row in rows])
        .order_by()
        .values("clinician")
        .annotate(total=Sum("clicks"))
        .values_list("clinician", "total")
    )
    return [
        (
            rank,
            row["clinician__public_id"],
            row["clinician__display_name"],
            Specialty(row["clinician__specialty"]).label if row["clinician__specialty"] else "",
            row["clinician__state"],
            row["posts"],
            row["reach"],
            row["points"],
            clicks.get(row["clinician_id"], 0),
        )
        for rank, row in enumerate(rows, start=1)
    ]


def summary_weekly_trend(*, scope: ReportScope) -> list[tuple]:
    rows = (
        _activities_in_scope(scope)
        .filter(status=ActivityStatus.ACCEPTED)
        .annotate(week=TruncWeek("posted_at", tzinfo=dt.UTC))
        .order_by()
        .values("week")
        .annotate(n=Count("id"), reach=Coalesce(Sum("impressions"), 0), people=Count("clinician", distinct=True))
        .order_by("week")
    )
    return [(_as_date(r["week"]), r["n"], r["reach"], r["people"]) for r in rows]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def today_utc() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


# --- Learning report ------------------------------------------------------------------------------

LEARNING_COMPLETION_HEADERS = ["Module", "Version", "Specialty", "Month", "Completions"]
LEARNING_PASS_RATE_HEADERS = ["Module", "Attempts", "Passed", "Pass rate (%)"]
LEARNING_MISSED_HEADERS = ["Module", "Question", "Answers", "Missed", "Missed (%)"]


def _learning_clinicians(scope: ReportScope) -> dict:
    return {"clinician__specialty": scope.specialty} if scope.specialty else {}


def learning_completions(*, scope: ReportScope) -> list[tuple]:
    """Completions in the period by module, version, specialty and month (UTC)."""
    rows = (
        Completion.objects.filter(
            completed_at__gte=scope.start_at, completed_at__lt=scope.end_at, **_learning_clinicians(scope)
        )
        .annotate(month=TruncMonth("completed_at", tzinfo=dt.UTC))
        .values("module__title", "module_version", "clinician__specialty", "month")
        .annotate(total=Count("id"))
        .order_by("module__title", "module_version", "clinician__specialty", "month")
    )
    return [
        (
            row["module__title"],
            row["module_version"],
            Specialty(row["clinician__specialty"]).label if row["clinician__specialty"] else "Not given",
            f"{row['month']:%Y-%m}",
            row["total"],
        )
        for row in rows
    ]


def learning_pass_rates(*, scope: ReportScope) -> list[tuple]:
    """Quiz attempts in the period per module, and the share that passed."""
    rows = (
        Attempt.objects.filter(
            created_at__gte=scope.start_at, created_at__lt=scope.end_at, **_learning_clinicians(scope)
        )
        .values("module__title")
        .annotate(attempts=Count("id"), passed=Count("id", filter=Q(passed=True)))
        .order_by("module__title")
    )
    return [
        (row["module__title"], row["attempts"], row["passed"], round(100 * row["passed"] / row["attempts"], 1))
        for row in rows
    ]


def learning_missed_questions(*, scope: ReportScope, limit: int = 20) -> list[tuple]:
    """The questions answered wrongly most often in the period (by count, then share)."""
    filters = {f"attempt__{key}": value for key, value in _learning_clinicians(scope).items()}
    rows = (
        AttemptAnswer.objects.filter(
            attempt__created_at__gte=scope.start_at, attempt__created_at__lt=scope.end_at, **filters
        )
        .values("question__module__title", "question__text")
        .annotate(answers=Count("id"), missed=Count("id", filter=Q(is_correct=False)))
        .filter(missed__gt=0)
        .order_by("-missed", "question__module__title", "question__text")[:limit]
    )
    return [
        (
            row["question__module__title"],
            row["question__text"],
            row["answers"],
            row["missed"],
            round(100 * row["missed"] / row["answers"], 1),
        )
        for row in rows
    ]
