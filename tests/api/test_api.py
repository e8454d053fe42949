"""The REST API: access rules of every endpoint, the error shape, the privacy guard's 422, pagination."""

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from api.models import Scope
from api.services import token_digest, token_revoke
from campaigns.models import Activity, ActivityStatus, Participation
from reports.models import Report, ReportFormat, ReportKind, ReportStatus
from tests.api.factories import STAFF_SCOPES, bearer, token_expire, token_for
from tests.factories import ActivityFactory, CampaignFactory, ProvenSocialAccountFactory

pytestmark = pytest.mark.django_db


def _yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def call(client, method: str, path: str, secret: str | None = None, body: dict | None = None):
    headers = bearer(secret) if secret else {}
    if body is not None:
        return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)
    return getattr(client, method)(path, **headers)


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def owned(clinician_user, campaign):
    """alice's activity, and her participation in the campaign."""
    Participation.objects.create(campaign=campaign, clinician=clinician_user.clinician)
    return ActivityFactory(clinician=clinician_user.clinician, status=ActivityStatus.SUBMITTED)


def _report(staff_user) -> Report:
    report = Report.objects.create(
        kind=ReportKind.ADVOCACY_SUMMARY,
        format=ReportFormat.CSV,
        parameters={"start": "2026-10-01", "end": "2026-10-31"},
        status=ReportStatus.SUCCEEDED,
        progress=100,
        requested_by=staff_user,
    )
    report.file.save("summary.csv", ContentFile(b"a,b\n1,2\n"))
    return report


# (method, path template, scope, body): every clinician endpoint; {a} is alice's activity, {c} the campaign.
CLINICIAN_ENDPOINTS = [
    ("get", "/api/v1/me/", Scope.ACTIVITIES_READ, None),
    ("get", "/api/v1/me/accounts", Scope.ACTIVITIES_READ, None),
    ("get", "/api/v1/activities/", Scope.ACTIVITIES_READ, None),
    ("get", "/api/v1/activities/{a}", Scope.ACTIVITIES_READ, None),
    ("post", "/api/v1/activities/", Scope.ACTIVITIES_WRITE, {"url": "x", "posted_at": "2026-11-18", "category": "x"}),
    ("post", "/api/v1/activities/{a}/withdraw", Scope.ACTIVITIES_WRITE, None),
    ("patch", "/api/v1/activities/{a}/metrics", Scope.ACTIVITIES_WRITE, {"likes": 5}),
    ("get", "/api/v1/campaigns/", Scope.ACTIVITIES_READ, None),
    ("get", "/api/v1/campaigns/{c}", Scope.ACTIVITIES_READ, None),
    ("post", "/api/v1/campaigns/{c}/join", Scope.CAMPAIGNS_WRITE, None),
    ("post", "/api/v1/campaigns/{c}/leave", Scope.CAMPAIGNS_WRITE, None),
    ("get", "/api/v1/points/balance", Scope.POINTS_READ, None),
    ("get", "/api/v1/points/statement", Scope.POINTS_READ, None),
    ("get", "/api/v1/points/leaderboard", Scope.POINTS_READ, None),
]
STAFF_ENDPOINTS = [
    ("post", "/api/v1/reports", Scope.REPORTS_WRITE, {"kind": "advocacy_summary", "format": "pdf"}),
    ("get", "/api/v1/reports/{r}", Scope.REPORTS_READ, None),
    ("get", "/api/v1/reports/{r}/download", Scope.REPORTS_READ, None),
    ("get", "/api/v1/statistics?start=2026-10-01&end=2026-10-31", Scope.REPORTS_READ, None),
]
OWNED = {"/api/v1/activities/{a}", "/api/v1/activities/{a}/withdraw", "/api/v1/activities/{a}/metrics"}


def _ids(endpoints):
    return [f"{method} {path}" for method, path, _, _ in endpoints]


@pytest.mark.parametrize(("method", "path", "scope", "body"), CLINICIAN_ENDPOINTS, ids=_ids(CLINICIAN_ENDPOINTS))
def test_it_applies_the_pages_access_rules_to_clinician_endpoints(
    client, clinician_user, other_clinician_user, staff_user, owned, campaign, method, path, scope, body
):
    url = path.format(a=owned.pk, c=campaign.slug)
    # Anonymous, and a token that is not one: 401 in the documented shape.
    for secret in (None, "ap_not-a-token"):
        response = call(client, method, url, secret, body)
        assert response.status_code == 401
        assert set(response.json()) == {"errors", "detail"}
    # The owner with the scope: not refused (a 400 from the deliberately bad create body is the form speaking).
    owner = token_for(clinician_user, [scope])
    assert call(client, method, url, owner, body).status_code in (200, 201, 400)
    # The owner's token without the scope.
    others = [s for s in Scope.values if s != scope and s not in STAFF_SCOPES]
    response = call(client, method, url, token_for(clinician_user, others), body)
    assert response.status_code == 403
    assert scope in response.json()["detail"]
    # Another clinician never sees alice's activity (404, as on the pages).
    if path in OWNED:
        assert call(client, method, url, token_for(other_clinician_user, [scope]), body).status_code == 404
    # Staff have no clinician record: 404 like the pages.
    staff_token = token_for(staff_user, [scope])
    assert call(client, method, url, staff_token, body).status_code == 404
    # Revoked and expired tokens stop working.
    revoked = token_for(clinician_user, [scope])
    token_revoke(user=clinician_user, token_id=clinician_user.access_tokens.get(digest=token_digest(revoked)).pk)
    assert call(client, method, url, revoked, body).status_code == 401
    expired = token_for(clinician_user, [scope])
    token_expire(expired)
    assert call(client, method, url, expired, body).status_code == 401


@pytest.mark.parametrize(("method", "path", "scope", "body"), STAFF_ENDPOINTS, ids=_ids(STAFF_ENDPOINTS))
def test_it_keeps_staff_endpoints_for_staff_at_every_use(
    client, clinician_user, staff_user, method, path, scope, body, django_capture_on_commit_callbacks
):
    url = path.format(r=_report(staff_user).pk)
    assert call(client, method, url, None, body).status_code == 401
    staff_token = token_for(staff_user, [scope])
    response = call(client, method, url, staff_token, body)
    assert response.status_code in (200, 202), response.content
    # A clinician cannot even create a staff token; one made while staff stops working when the role goes.
    with pytest.raises(Exception, match="Only staff"):
        token_for(clinician_user, [scope])
    assert call(client, method, url, token_for(staff_user, [Scope.ACTIVITIES_READ]), body).status_code == 403
    staff_user.groups.clear()
    del staff_user._perm_cache, staff_user._group_perm_cache
    assert call(client, method, url, staff_token, body).status_code == 403
    token_revoke(user=staff_user, token_id=staff_user.access_tokens.get(digest=token_digest(staff_token)).pk)
    assert call(client, method, url, staff_token, body).status_code == 401


def test_it_logs_a_post_and_answers_with_the_forms_messages(client, clinician_user, campaign):
    account = ProvenSocialAccountFactory(clinician=clinician_user.clinician, handle="dralice")
    secret = token_for(clinician_user)
    response = call(client, "post", "/api/v1/activities/", secret, {"url": "ftp://nope", "posted_at": "yesterday"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["posted_at"] == ["Enter the date as YYYY-MM-DD or YYYY-MM-DD HH:MM."]
    assert errors["category"] == ["This field is required."]
    # The link is the service's rule (issue 21: one place), checked once the form's own fields are valid.
    response = call(
        client,
        "post",
        "/api/v1/activities/",
        secret,
        {"url": "ftp://nope", "posted_at": _yesterday(), "category": "public_education"},
    )
    assert response.status_code == 400 and response.json()["errors"]["url"]
    body = {
        "url": f"https://x.com/{account.handle}/status/123456789",
        "posted_at": _yesterday(),
        "category": "public_education",
    }
    response = call(client, "post", "/api/v1/activities/", secret, body)
    assert response.status_code == 201, response.content
    assert response.json()["url"] == f"https://x.com/{account.handle}/status/123456789"
    # The same post again: the service's duplicate message, keyed to url.
    response = call(client, "post", "/api/v1/activities/", secret, body)
    assert response.status_code == 400
    assert response.json()["errors"]["url"]


def test_it_stops_on_patient_details_with_422_and_saves_anyway_when_confirmed(client, clinician_user):
    account = ProvenSocialAccountFactory(clinician=clinician_user.clinician, handle="dralice")
    secret = token_for(clinician_user)
    body = {
        "url": f"https://x.com/{account.handle}/status/987654321",
        "posted_at": _yesterday(),
        "category": "public_education",
        "excerpt": "Saw Mrs. Jane Doe in room 12 today, DOB 03/04/1950.",
    }
    response = call(client, "post", "/api/v1/activities/", secret, body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["errors"]["excerpt"]
    hit = answer["privacy"]["hits"][0]
    assert body["excerpt"][hit["start"] : hit["end"]] == hit["text"]
    assert answer["privacy"]["kinds"]
    assert not Activity.objects.exists()
    response = call(client, "post", "/api/v1/activities/", secret, {**body, "privacy_confirmed": "wrong"})
    assert response.status_code == 422
    confirmed = {**body, "privacy_confirmed": answer["privacy"]["fingerprint"]}
    response = call(client, "post", "/api/v1/activities/", secret, confirmed)
    assert response.status_code == 201
    assert response.json()["status"] == ActivityStatus.FLAGGED


def test_it_pages_activities_by_cursor_with_the_pages_filters(client, clinician_user):
    clinician = clinician_user.clinician
    ActivityFactory.create_batch(5, clinician=clinician, category="public_education")
    ActivityFactory(clinician=clinician, category="misinformation_correction")
    ActivityFactory()  # someone else's
    secret = token_for(clinician_user)
    seen, cursor = [], ""
    while True:
        page = call(client, "get", f"/api/v1/activities/?limit=2&cursor={cursor}", secret).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == sorted(Activity.objects.filter(clinician=clinician).values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 6
    filtered = call(client, "get", "/api/v1/activities/?category=misinformation_correction", secret).json()
    assert len(filtered["items"]) == 1
    bad = call(client, "get", "/api/v1/activities/?status=nonsense", secret)
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert call(client, "get", "/api/v1/activities/?cursor=%%%", secret).status_code == 400


def test_it_joins_and_leaves_campaigns_through_the_services(client, clinician_user, campaign):
    secret = token_for(clinician_user)
    assert call(client, "post", f"/api/v1/campaigns/{campaign.slug}/join", secret).json()["joined"] is True
    assert Participation.objects.get(clinician=clinician_user.clinician).left_at is None
    assert call(client, "get", f"/api/v1/campaigns/{campaign.slug}", secret).json()["joined"] is True
    assert call(client, "post", f"/api/v1/campaigns/{campaign.slug}/leave", secret).json()["joined"] is False
    assert Participation.objects.get(clinician=clinician_user.clinician).left_at is not None


def test_it_rate_limits_each_token_with_retry_after(client, clinician_user, settings):
    settings.API_TOKEN_RATE_LIMIT = 3
    secret, other = token_for(clinician_user), token_for(clinician_user)
    for _ in range(3):
        assert call(client, "get", "/api/v1/me/", secret).status_code == 200
    response = call(client, "get", "/api/v1/me/", secret)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.API_TOKEN_RATE_WINDOW
    assert call(client, "get", "/api/v1/me/", other).status_code == 200


def test_it_logs_every_token_use_with_token_and_user(client, clinician_user, caplog):
    secret = token_for(clinician_user)
    token = clinician_user.access_tokens.get()
    with caplog.at_level("INFO", logger="api.tokens"):
        call(client, "get", "/api/v1/me/", secret)
    assert (
        f"api.token_use token_id={token.pk} user_id={clinician_user.pk} method=GET path=/api/v1/me/ status=200"
        in caplog.text
    )
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_serves_the_schema_and_docs_without_inline_script(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/activities/" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_it_records_api_changes_in_the_audit_trail_under_the_tokens_user(client, clinician_user, owned):
    from auditlog.models import LogEntry

    secret = token_for(clinician_user)
    assert call(client, "post", f"/api/v1/activities/{owned.pk}/withdraw", secret).status_code == 200
    entry = LogEntry.objects.get_for_object(owned).latest("timestamp")
    assert entry.actor == clinician_user
    assert entry.changes_dict["status"] == [ActivityStatus.SUBMITTED, ActivityStatus.WITHDRAWN]
