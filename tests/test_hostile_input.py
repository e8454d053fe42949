"""Hostile values in every form field, CSV-free POST and GET query parameter of the portal's own
pages (page numbers, filters, dates, choices, ids) are answered with a message, a 400 or a 404,
never a 500. The test client re-raises any exception a view lets escape, so a 500 fails loudly.
(Admin pages and NUL bytes belong to issue 20.)"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Category
from tests.factories import ActivityFactory, CampaignFactory, ParticipationFactory, VerifiedClinicianFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "-1",
    "1.5",
    "²",  # str.isdigit() is true, int() raises
    str(2**63),  # beyond every integer column
    "abc",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "https://x.com:99999/a/status/1",  # URL parsing raises ValueError on the port
]
ACCEPTABLE = {200, 302, 400, 403, 404, 405}


@pytest.fixture
def world(client):
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory()
    ParticipationFactory(clinician=clinician, campaign=campaign)
    activity = ActivityFactory(clinician=clinician)
    return {"clinician": clinician, "campaign": campaign, "activity": activity}


def _yesterday() -> str:
    return (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


CLINICIAN_GETS = [
    ("campaigns:activity_list", ["page", "platform", "category", "campaign", "status", "posted_from", "posted_to"]),
    ("campaigns:activity_create", ["campaign", "url", "text", "title"]),
    ("campaigns:activity_excerpt_check", ["excerpt", "category"]),
    ("campaigns:campaign_list", ["page"]),
    ("incentives:statement", ["page"]),
    ("incentives:leaderboard", ["period", "specialty", "campaign", "page"]),
    ("incentives:reward_list", ["page"]),
    ("core:notification_list", ["page"]),
    ("dashboard", ["page", "period"]),
    ("home", ["page"]),
]


@pytest.mark.parametrize(
    ("name", "parameter"), [(name, parameter) for name, parameters in CLINICIAN_GETS for parameter in parameters]
)
def test_hostile_query_parameters_never_reach_a_500(client, world, name, parameter):
    client.force_login(world["clinician"].user)
    url = reverse(name)
    for value in HOSTILE:
        response = client.get(url, {parameter: value})
        assert response.status_code in ACCEPTABLE, (parameter, value[:40], response.status_code)


def _activity_form() -> dict:
    return {
        "url": "https://www.instagram.com/p/Cabc/",
        "posted_at": _yesterday(),
        "category": Category.PUBLIC_EDUCATION,
        "excerpt": "Wash your hands.",
        "citations": "",
        "impressions": "1",
        "likes": "0",
        "shares": "0",
        "comments": "0",
        "clicks": "0",
        "disclosure": "none",
    }


METRICS = {"impressions": "1", "likes": "0", "shares": "0", "comments": "0", "clicks": "0"}
CLINICIAN_POSTS = [
    ("campaigns:activity_create", None, _activity_form, [*_activity_form(), "campaign", "disclosure_text"]),
    ("campaigns:activity_edit", "activity", lambda: dict(METRICS), list(METRICS)),
    ("campaigns:activity_import", None, dict, ["batch"]),
    ("clinicians:profile_edit", None, dict, ["display_name", "profession", "specialty", "country", "state", "bio"]),
    ("clinicians:social_account_list", None, lambda: {"platform": "x", "handle": "drjane"}, ["platform", "handle"]),
    (
        "clinicians:credential_create",
        None,
        lambda: {"kind": "npi", "identifier": "1234567893", "issuer": "", "expires_on": ""},
        ["kind", "identifier", "issuer", "expires_on"],
    ),
    ("core:notification_settings", None, dict, ["emailed_kinds"]),
    ("account_delete", None, dict, ["confirm"]),
    (
        "api_pages:token_list",
        None,
        lambda: {"name": "phone", "scopes": ["activities:read"], "days": "30"},
        ["name", "scopes", "days"],
    ),
]


@pytest.mark.parametrize(
    ("name", "argument", "base", "field"),
    [(name, argument, base, field) for name, argument, base, fields in CLINICIAN_POSTS for field in fields],
)
def test_hostile_form_fields_never_reach_a_500(client, world, name, argument, base, field):
    client.force_login(world["clinician"].user)
    url = reverse(name, args=[world[argument].pk] if argument else [])
    for value in HOSTILE:
        response = client.post(url, {**base(), field: value})
        assert response.status_code in ACCEPTABLE, (field, value[:40], response.status_code)


REPORT_FORM = {
    "kind": "activity_export",
    "format": "csv",
    "period": "custom",
    "start": "2026-01-01",
    "end": "2026-01-31",
}


@pytest.mark.parametrize("field", [*REPORT_FORM, "campaign", "specialty", "state"])
def test_hostile_report_parameters_never_reach_a_500_or_a_worker(client, staff_user, field):
    client.force_login(staff_user)
    for value in HOSTILE:
        response = client.post(reverse("reports:report_create"), {**REPORT_FORM, field: value})
        assert response.status_code in ACCEPTABLE, (field, value[:40], response.status_code)
    response = client.get(reverse("reports:report_list"), {"page": "²"})
    assert response.status_code in ACCEPTABLE


def test_hostile_ids_in_report_urls_are_404(client, staff_user):
    client.force_login(staff_user)
    report = ReportFactory()
    for path in (f"/reports/{2**63}/progress/", f"/reports/{2**70}/download/", "/reports/00/progress/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/reports/{2**64}/retry/").status_code == 404
    assert client.get(reverse("reports:report_progress", args=[report.pk])).status_code == 200


def test_hostile_ids_in_clinician_urls_are_404(client, world):
    client.force_login(world["clinician"].user)
    for path in (
        f"/activities/{2**63}/",
        f"/activities/{2**70}/edit/",
        f"/credentials/{2**63}/",
        f"/rewards/{2**63}/redeem/",
        f"/profile/social/{2**64}/delete/",
    ):
        response = client.post(path) if path.endswith(("redeem/", "delete/")) else client.get(path)
        assert response.status_code == 404, path
