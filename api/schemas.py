"""Request and response bodies of the API (pydantic, through django-ninja)."""

import datetime as dt

from ninja import Field, Schema


class ProfileOut(Schema):
    public_id: str
    display_name: str
    verified_name: str
    profession: str
    specialty: str
    organisation: str
    country: str
    state: str
    verification_status: str
    verified_at: dt.datetime | None
    leaderboard_opt_in: bool
    public_profile: bool


class LinkedAccountOut(Schema):
    id: int
    platform: str
    handle: str
    profile_url: str
    proof_status: str
    proven_at: dt.datetime | None


class ActivityOut(Schema):
    id: int
    platform: str
    url: str
    posted_at: dt.datetime
    category: str
    campaign: str | None
    excerpt: str
    citations: list[str]
    impressions: int
    likes: int
    shares: int
    comments: int
    clicks: int
    disclosure: str
    status: str
    guard_flags: list[str]
    review_reason: str
    created_at: dt.datetime


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class ActivityIn(Schema):
    """A post to log. posted_at is `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` in the
    portal's time zone (the form's formats). campaign is the id of a campaign you joined.
    privacy_confirmed is the fingerprint from a 422 answer: send it to save text the privacy guard
    stopped on, for a moderator's review (the form's "save anyway"). url, posted_at and category are
    required: they default to empty only so that a missing one gets the form's own message (400)."""

    url: str = ""
    posted_at: str = ""
    category: str = ""
    campaign: int | None = Field(None, ge=1, le=2**31 - 1)
    excerpt: str = ""
    citations: str = ""
    impressions: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    clicks: int | None = None
    disclosure: str = "none"
    disclosure_text: str = ""
    privacy_confirmed: str = ""


class MetricsIn(Schema):
    """New figures (missing ones keep their value) and, optionally, the post's corrected text."""

    impressions: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    clicks: int | None = None
    excerpt: str | None = None
    privacy_confirmed: str = ""


class CampaignOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    starts_on: dt.date
    ends_on: dt.date
    joined: bool
    is_open: bool


class ParticipationOut(Schema):
    campaign: str
    joined: bool


class BalanceOut(Schema):
    lifetime: int
    balance: int
    tier: str
    next_tier: str | None
    next_threshold: int | None


class LedgerEntryOut(Schema):
    id: int
    amount: int
    kind: str
    memo: str
    activity_id: int | None
    balance_after: int
    created_at: dt.datetime


class StatementPage(Schema):
    items: list[LedgerEntryOut]
    next_cursor: str | None


class LeaderboardRowOut(Schema):
    rank: int
    name: str
    specialty: str
    points: int
    is_viewer: bool


class LeaderboardOut(Schema):
    period: str
    rows: list[LeaderboardRowOut]
    viewer: LeaderboardRowOut | None


class ReportIn(Schema):
    """The staff report form's fields: kind, format, period (a preset or `custom` with start/end)."""

    kind: str = ""
    format: str = ""
    period: str = "last_month"
    start: str = ""
    end: str = ""
    campaign: str = ""
    specialty: str = ""
    state: str = ""


class ReportOut(Schema):
    id: int
    kind: str
    format: str
    parameters: dict
    status: str
    progress: int
    stage: str
    row_count: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    download_url: str | None


class FigureOut(Schema):
    label: str
    value: int


class GroupOut(Schema):
    label: str
    activities: int
    reach: int


class StatisticsOut(Schema):
    start: dt.date
    end: dt.date
    overview: list[FigureOut]
    by_category: list[GroupOut]
    by_platform: list[GroupOut]
