"""The versioned REST API, /api/v1/: thin endpoints over the apps' forms, services and selectors.

Each endpoint checks the token's scope, parses input with the same form the page uses (so the
messages are the form's), calls one service or selector, and shapes the answer. Access rules are the
pages': a clinician sees only their own records (others' are 404), report endpoints need the
reports permission at every use.
"""

import base64
import binascii
import contextlib
import datetime as dt
from typing import Annotated

from auditlog.context import auditlog_value
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from api import services as tokens
from api.errors import ApiError, ErrorOut, PrivacyErrorOut, form_errors, invalid, validation_errors
from api.models import STAFF_SCOPES, AccessToken, Scope
from api.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPage,
    BalanceOut,
    CampaignOut,
    LeaderboardOut,
    LeaderboardRowOut,
    LinkedAccountOut,
    MetricsIn,
    ParticipationOut,
    ProfileOut,
    ReportIn,
    ReportOut,
    StatementPage,
    StatisticsOut,
)
from campaigns import participation
from campaigns import selectors as campaign_selectors
from campaigns import services as campaign_services
from campaigns.forms import ActivityEditForm, ActivityFilterForm, ActivityForm
from campaigns.models import Activity, Campaign
from campaigns.privacy_guard import privacy_fingerprint
from clinicians import selectors as clinician_selectors
from clinicians.models import Clinician
from core.private_files import private_file_response
from incentives import selectors as incentive_selectors
from incentives.forms import LeaderboardFilterForm
from reports import selectors as report_selectors
from reports import services as report_services
from reports.forms import ReportRequestForm
from reports.models import Report, ReportStatus
from reports.selectors import ScopeError

# Ids within the database's integer range (SQLite and PostgreSQL overflow past it) and slugs as the
# campaign model allows them: anything else is a 400 in the API's shape, not a stray 404 or 500.
ROW_ID_MAX = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]
Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,80}$")]
PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 100
ACTIVITY_FIELDS = (
    "id",
    "platform",
    "url",
    "posted_at",
    "category",
    "excerpt",
    "citations",
    *campaign_services.METRIC_FIELDS,
    "disclosure",
    "status",
    "guard_flags",
    "review_reason",
    "created_at",
)
PROFILE_FIELDS = (
    "display_name",
    "verified_name",
    "profession",
    "specialty",
    "organisation",
    "country",
    "state",
    "verification_status",
    "verified_at",
    "leaderboard_opt_in",
    "public_profile",
)
CAMPAIGN_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "starts_on",
    "ends_on",
    "joined",
)
REPORT_FIELDS = (
    "id",
    "kind",
    "format",
    "parameters",
    "status",
    "progress",
    "stage",
    "row_count",
    "error",
    "created_at",
    "finished_at",
)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def _audit_actor_set(user) -> None:
    """Stamp audit entries written during this request with the token's user. AuditContextMiddleware
    opened the request's audit context before authentication, when the user was still anonymous."""
    with contextlib.suppress(LookupError):
        auditlog_value.get()["actor"] = user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ap_...`: an active, unexpired personal access token, within its rate."""

    openapi_description = "A personal access token created on /profile/tokens/."

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        access = tokens.token_authenticate(secret=token)
        if access is None:
            return None
        request.api_token = access
        request.user = access.user
        _audit_actor_set(access.user)
        if wait := tokens.token_rate_take(token=access):
            raise ApiError(429, "Too many requests for this token; try again later.", headers={"Retry-After": wait})
        return access


api = NinjaAPI(
    title="Advocacy Portal API",
    version="1",
    description=(
        "Log posts, read points and, for staff, request reports. Authenticate with a personal access "
        "token (`Authorization: Bearer ...`) created on /profile/tokens/. Every error has the shape "
        '`{"errors": {"field": ["message"]}, "detail": "..."}`; a 422 means the privacy guard stopped '
        "on the post's text: resend with `privacy_confirmed` set to the fingerprint to save it for review."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, detail: str, errors=None, headers=None, privacy=None) -> HttpResponse:
    body = {"errors": errors or {}, "detail": detail}
    if privacy is not None:
        body["privacy"] = privacy
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = str(value)
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.detail, exc.errors, exc.headers, getattr(exc, "privacy", None))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "Send a valid personal access token: Authorization: Bearer <token>.")


@api.exception_handler(NinjaValidationError)
def _malformed(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(location) or "__all__", []).append(item.get("msg", "Invalid value."))
    return _error(request, 400, "The request is not valid.", errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


def _scope(request: HttpRequest, scope: Scope) -> AccessToken:
    """The token, if it carries the scope (and, for staff scopes, its user still may request reports)."""
    token: AccessToken = request.auth
    if scope not in token.scopes:
        raise ApiError(403, f"This token lacks the {scope} scope.")
    if scope in STAFF_SCOPES and not token.user.has_perm(tokens.STAFF_PERMISSION):
        raise ApiError(403, "Only staff who request reports may use this endpoint.")
    return token


def _clinician(request: HttpRequest, scope: Scope) -> Clinician:
    token = _scope(request, scope)
    clinician = clinician_selectors.clinician_of(user=token.user)
    if clinician is None:
        raise ApiError(404, "Only clinicians have this resource.")
    return clinician


def _privacy_stop(hit: campaign_services.PrivacyGuardHit, field: str) -> ApiError:
    error = ApiError(422, str(hit.message), {field: [str(hit.message)]})
    error.privacy = {
        "hits": hit.hits,
        "kinds": sorted({h["kind"] for h in hit.hits}),
        "fingerprint": privacy_fingerprint(hit.hits),
    }
    return error


def _cursor_encode(*parts) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode().rstrip("=")


def _cursor_decode(cursor: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid({"cursor": ["This cursor is not valid; use next_cursor from the previous page."]}) from None


def _activity_out(activity: Activity) -> dict:
    return {
        **{name: getattr(activity, name) for name in ACTIVITY_FIELDS},
        "campaign": activity.campaign.slug if activity.campaign else None,
    }


# --- Clinician: profile and accounts ---------------------------------------------------------------

me = Router(tags=["me"])


@me.get("/", response={200: ProfileOut, **ERRORS}, summary="My profile and verification status")
def profile(request):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    return {
        **{name: getattr(clinician, name) for name in PROFILE_FIELDS},
        "public_id": str(clinician.public_id),
    }


@me.get("/accounts", response={200: list[LinkedAccountOut], **ERRORS}, summary="My linked social accounts")
def accounts(request):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    return list(clinician_selectors.social_account_list_for_clinician(clinician=clinician))


# --- Clinician: activities -------------------------------------------------------------------------

activities = Router(tags=["activities"])


class ActivityFilterIn(Schema):
    platform: str = ""
    category: str = ""
    campaign: int | None = Field(None, ge=1, le=ROW_ID_MAX)
    status: str = ""
    posted_from: str = ""
    posted_to: str = ""
    cursor: str = ""
    limit: int = PAGE_SIZE_DEFAULT


@activities.get("/", response={200: ActivityPage, **ERRORS}, summary="My activities (the page's filters)")
def activity_list(request, filters: Query[ActivityFilterIn]):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    data = filters.dict(exclude={"cursor", "limit"})
    form = ActivityFilterForm(
        {key: value for key, value in data.items() if value not in ("", None)},
        campaigns=campaign_selectors.campaigns_for_filter(clinician=clinician),
    )
    if not form.is_valid():
        raise invalid(form_errors(form))
    if not 1 <= filters.limit <= PAGE_SIZE_MAX:
        raise invalid({"limit": [f"Choose between 1 and {PAGE_SIZE_MAX}."]})
    qs = campaign_selectors.activity_list_for_clinician(clinician=clinician, filters=form.filters())
    if filters.cursor:
        parts = _cursor_decode(filters.cursor)
        try:
            posted_at, pk = dt.datetime.fromisoformat(parts[0]), int(parts[1])
        except (IndexError, ValueError):
            raise invalid({"cursor": ["This cursor is not valid; use next_cursor from the previous page."]}) from None
        qs = qs.filter(posted_at__lt=posted_at) | qs.filter(posted_at=posted_at, pk__lt=pk)
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "items": [_activity_out(a) for a in rows],
        "next_cursor": _cursor_encode(rows[-1].posted_at.isoformat(), rows[-1].pk) if more else None,
    }


@activities.post("/", response={201: ActivityOut, 422: PrivacyErrorOut, **ERRORS}, summary="Log a post")
def activity_create(request, payload: ActivityIn):
    clinician = _clinician(request, Scope.ACTIVITIES_WRITE)
    fields = {k: v for k, v in payload.dict().items() if v is not None and k != "privacy_confirmed"}
    if payload.privacy_confirmed:
        fields.update(save_anyway="on", privacy_confirmed=payload.privacy_confirmed)
    form = ActivityForm(fields, campaigns=campaign_selectors.campaigns_joined_for(clinician=clinician))
    if not form.is_valid():
        raise invalid(form_errors(form))
    try:
        activity = campaign_services.activity_record(
            clinician=clinician, data=form.to_input(), privacy_confirmed=form.privacy_confirmed()
        )
    except campaign_services.PrivacyGuardHit as hit:
        raise _privacy_stop(hit, "excerpt") from None
    except ValidationError as error:
        raise invalid(validation_errors(error)) from None
    return Status(201, _activity_out(activity))


@activities.get("/{activity_id}", response={200: ActivityOut, **ERRORS}, summary="One of my activities")
def activity_detail(request, activity_id: RowId):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    return _activity_out(campaign_selectors.activity_get_for_clinician(clinician=clinician, pk=activity_id))


@activities.post("/{activity_id}/withdraw", response={200: ActivityOut, **ERRORS}, summary="Withdraw a post")
def activity_withdraw(request, activity_id: RowId):
    clinician = _clinician(request, Scope.ACTIVITIES_WRITE)
    activity = campaign_selectors.activity_get_for_clinician(clinician=clinician, pk=activity_id)
    try:
        activity = campaign_services.activity_withdraw(activity=activity)
    except ValidationError as error:
        raise invalid(validation_errors(error)) from None
    return _activity_out(activity)


@activities.patch(
    "/{activity_id}/metrics",
    response={200: ActivityOut, 422: PrivacyErrorOut, **ERRORS},
    summary="Update a post's figures (and corrected text)",
)
def activity_metrics(request, activity_id: RowId, payload: MetricsIn):
    clinician = _clinician(request, Scope.ACTIVITIES_WRITE)
    activity = campaign_selectors.activity_get_for_clinician(clinician=clinician, pk=activity_id)
    fields = {name: getattr(activity, name) for name in campaign_services.METRIC_FIELDS}
    fields.update({k: v for k, v in payload.dict().items() if v is not None and k != "privacy_confirmed"})
    if payload.privacy_confirmed:
        fields.update(save_anyway="on", privacy_confirmed=payload.privacy_confirmed)
    form = ActivityEditForm(fields)
    if not form.is_valid():
        raise invalid(form_errors(form))
    try:
        activity = campaign_services.activity_metrics_update(
            activity=activity,
            metrics=form.metrics(),
            excerpt=form.cleaned_data["excerpt"] if payload.excerpt is not None else None,
            privacy_confirmed=form.privacy_confirmed(),
        )
    except campaign_services.PrivacyGuardHit as hit:
        raise _privacy_stop(hit, "excerpt") from None
    except ValidationError as error:
        raise invalid(validation_errors(error)) from None
    return _activity_out(activity)


# --- Clinician: campaigns --------------------------------------------------------------------------

campaigns = Router(tags=["campaigns"])


def _campaign_out(campaign: Campaign) -> dict:
    return {
        **{name: getattr(campaign, name) for name in CAMPAIGN_FIELDS},
        "is_open": campaign.ends_on >= timezone.localdate(),
    }


@campaigns.get("/", response={200: list[CampaignOut], **ERRORS}, summary="Open and closed campaigns")
def campaign_list(request):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    found = campaign_selectors.campaigns_open(clinician=clinician) + campaign_selectors.campaigns_closed(
        clinician=clinician
    )
    return [_campaign_out(c) for c in found]


@campaigns.get("/{slug}", response={200: CampaignOut, **ERRORS}, summary="One campaign")
def campaign_detail(request, slug: Slug):
    clinician = _clinician(request, Scope.ACTIVITIES_READ)
    return _campaign_out(campaign_selectors.campaign_get(slug=slug, clinician=clinician))


@campaigns.post("/{slug}/join", response={200: ParticipationOut, **ERRORS}, summary="Join a campaign")
def campaign_join(request, slug: Slug):
    clinician = _clinician(request, Scope.CAMPAIGNS_WRITE)
    campaign = campaign_selectors.campaign_get(slug=slug, clinician=clinician)
    try:
        participation.campaign_join(clinician=clinician, campaign=campaign)
    except ValidationError as error:
        raise invalid(validation_errors(error)) from None
    return {"campaign": campaign.slug, "joined": True}


@campaigns.post("/{slug}/leave", response={200: ParticipationOut, **ERRORS}, summary="Leave a campaign")
def campaign_leave(request, slug: Slug):
    clinician = _clinician(request, Scope.CAMPAIGNS_WRITE)
    campaign = campaign_selectors.campaign_get(slug=slug, clinician=clinician)
    participation.campaign_leave(clinician=clinician, campaign=campaign)
    return {"campaign": campaign.slug, "joined": False}


# --- Clinician: points -----------------------------------------------------------------------------

points = Router(tags=["points"])


@points.get("/balance", response={200: BalanceOut, **ERRORS}, summary="My points and tier")
def balance(request):
    clinician = _clinician(request, Scope.POINTS_READ)
    score = incentive_selectors.score_of(clinician=clinician)
    progress = incentive_selectors.tier_progress(score=score, rule_set=incentive_selectors.rule_set_latest())
    return {
        "lifetime": score.lifetime,
        "balance": score.balance,
        "tier": progress.tier,
        "next_tier": progress.next_tier,
        "next_threshold": progress.next_threshold,
    }


@points.get("/statement", response={200: StatementPage, **ERRORS}, summary="My points statement, newest first")
def statement(request, cursor: str = "", limit: int = PAGE_SIZE_DEFAULT):
    clinician = _clinician(request, Scope.POINTS_READ)
    if not 1 <= limit <= PAGE_SIZE_MAX:
        raise invalid({"limit": [f"Choose between 1 and {PAGE_SIZE_MAX}."]})
    # The running balance is a window over all entries, so the cursor is a position, not a filter.
    offset = 0
    if cursor:
        try:
            offset = int(_cursor_decode(cursor)[0])
        except ValueError:
            raise invalid({"cursor": ["This cursor is not valid; use next_cursor from the previous page."]}) from None
        if not 0 <= offset <= ROW_ID_MAX:
            raise invalid({"cursor": ["This cursor is not valid; use next_cursor from the previous page."]})
    rows = list(incentive_selectors.statement_entries(clinician=clinician)[offset : offset + limit + 1])
    more = len(rows) > limit
    return {
        "items": [
            {
                "id": entry.pk,
                "amount": entry.amount,
                "kind": entry.kind,
                "memo": entry.memo,
                "activity_id": entry.activity_id,
                "balance_after": entry.running_balance,
                "created_at": entry.created_at,
            }
            for entry in rows[:limit]
        ],
        "next_cursor": _cursor_encode(offset + limit) if more else None,
    }


@points.get("/leaderboard", response={200: LeaderboardOut, **ERRORS}, summary="The leaderboard")
def leaderboard(request, period: str = "all", specialty: str = "", campaign: str = ""):
    clinician = _clinician(request, Scope.POINTS_READ)
    form = LeaderboardFilterForm(
        {key: value for key, value in {"period": period, "specialty": specialty, "campaign": campaign}.items() if value}
    )
    if not form.is_valid():
        raise invalid(form_errors(form))
    filters = {"period": "all", "specialty": "", "campaign": None, **form.cleaned_data}
    board = incentive_selectors.leaderboard(viewer=clinician, **filters)

    def row(r) -> LeaderboardRowOut:
        return LeaderboardRowOut(
            rank=r.rank, name=r.name, specialty=r.specialty, points=r.points, is_viewer=r.is_viewer
        )

    return {
        "period": filters["period"],
        "rows": [row(r) for r in board.rows],
        "viewer": row(board.viewer_row) if board.viewer_row else None,
    }


# --- Staff: reports and statistics -----------------------------------------------------------------

staff = Router(tags=["staff"])


def _report_out(request, report: Report) -> dict:
    return {
        **{name: getattr(report, name) for name in REPORT_FIELDS},
        "download_url": request.build_absolute_uri(f"/api/v1/reports/{report.pk}/download")
        if report.status == ReportStatus.SUCCEEDED and report.file
        else None,
    }


def _report(report_id: int) -> Report:
    try:
        return report_selectors.report_get(report_id=report_id)
    except Report.DoesNotExist:
        raise ApiError(404, "No such report.") from None


@staff.post("/reports", response={202: ReportOut, **ERRORS}, summary="Request a report")
def report_request(request, payload: ReportIn):
    token = _scope(request, Scope.REPORTS_WRITE)
    form = ReportRequestForm({k: v for k, v in payload.dict().items() if v})
    if not form.is_valid():
        raise invalid(form_errors(form))
    try:
        report = report_services.report_request(
            user=token.user,
            kind=form.cleaned_data["kind"],
            parameters=form.parameters(),
            format=form.cleaned_data["format"],
        )
    except ValidationError as error:
        raise invalid(validation_errors(error)) from None
    return Status(202, _report_out(request, report))


@staff.get("/reports/{report_id}", response={200: ReportOut, **ERRORS}, summary="A report's status and progress")
def report_status(request, report_id: RowId):
    _scope(request, Scope.REPORTS_READ)
    return _report_out(request, _report(report_id))


@staff.get(
    "/reports/{report_id}/download",
    response={200: None, **ERRORS},
    summary="Download a finished report",
    openapi_extra={"responses": {200: {"description": "The report file", "content": {"application/octet-stream": {}}}}},
)
def report_download(request, report_id: RowId):
    _scope(request, Scope.REPORTS_READ)
    report = _report(report_id)
    if report.status != ReportStatus.SUCCEEDED or not report.file:
        raise ApiError(404, "This report has no file (yet).")
    return private_file_response(file=report.file, filename=report_services.report_download_name(report=report))


@staff.get("/statistics", response={200: StatisticsOut, **ERRORS}, summary="Aggregate figures for a period")
def statistics(request, start: str, end: str):
    _scope(request, Scope.REPORTS_READ)
    try:
        scope = report_selectors.report_scope(parameters={"start": start, "end": end})
    except ScopeError as error:
        raise invalid({"start": [str(error)]}) from None
    return {
        "start": scope.start,
        "end": scope.end,
        "overview": [
            {"label": label, "value": value} for label, value in report_selectors.summary_overview(scope=scope)
        ],
        "by_category": [
            {"label": label, "activities": n, "reach": reach}
            for label, n, reach in report_selectors.summary_by_category(scope=scope)
        ],
        "by_platform": [
            {"label": label, "activities": n, "reach": reach}
            for label, n, reach in report_selectors.summary_by_platform(scope=scope)
        ],
    }


api.add_router("/me", me)
api.add_router("/activities", activities)
api.add_router("/campaigns", campaigns)
api.add_router("/points", points)
api.add_router("/", staff)
