"""The portal pages of the api app: personal access tokens, the web app manifest, service worker,
share target and bookmarklet."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from api.models import AccessToken
from api.services import token_digest
from tests.api.factories import bearer, token_for

pytestmark = pytest.mark.django_db


def test_it_shows_a_new_token_once_and_stores_only_its_digest(client, clinician_user):
    client.force_login(clinician_user)
    response = client.post(
        "/profile/tokens/", {"name": "phone", "scopes": ["activities:read", "activities:write"], "days": 30}
    )
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token">(ap_[^<]+)</code>', response.content.decode()).group(1)
    token = AccessToken.objects.get()
    assert token.digest == token_digest(secret) and secret not in str(token.__dict__)
    assert token.scopes == ["activities:read", "activities:write"]
    assert secret not in client.get("/profile/tokens/").content.decode()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_it_offers_report_scopes_only_to_staff(client, clinician_user, staff_user):
    client.force_login(clinician_user)
    page = client.get("/profile/tokens/").content.decode()
    assert "reports:read" not in page
    response = client.post("/profile/tokens/", {"name": "crm", "scopes": ["reports:read"], "days": 30})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()
    client.force_login(staff_user)
    assert "reports:read" in client.get("/profile/tokens/").content.decode()


def test_it_revokes_only_the_users_own_token(client, clinician_user, other_clinician_user):
    client.force_login(clinician_user)
    client.post("/profile/tokens/", {"name": "phone", "scopes": ["activities:read"], "days": 30})
    token = AccessToken.objects.get()
    client.force_login(other_clinician_user)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(clinician_user)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_requires_login_for_the_token_page(client):
    assert client.get("/profile/tokens/").status_code == 302


def test_it_serves_an_installable_manifest_with_a_share_target(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["share_target"] == {
        "action": "/activities/new/",
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert found and Path(found).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_it_serves_a_service_worker_that_caches_only_the_offline_page(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert 'const OFFLINE_URL = "/offline/"' in body
    assert body.count("cache.add(") == 1 and "cache.put" not in body
    assert client.get("/offline/").status_code == 200


@pytest.mark.parametrize(
    ("params", "url", "excerpt"),
    [
        (
            {"url": "https://x.com/dralice/status/123", "text": "Vaccines work"},
            "https://x.com/dralice/status/123",
            "Vaccines work",
        ),
        # Most apps put the link inside the shared text.
        (
            {"text": "Read this https://www.linkedin.com/posts/dralice_abc-activity-1 #vaccines"},
            "https://www.linkedin.com/posts/dralice_abc-activity-1",
            "Read this #vaccines",
        ),
        (
            {"title": "TikTok", "text": "https://www.tiktok.com/@dralice/video/7"},
            "https://www.tiktok.com/@dralice/video/7",
            "",
        ),
    ],
)
def test_it_prefills_the_log_form_from_a_share(client, clinician_user, params, url, excerpt):
    client.force_login(clinician_user)
    response = client.get("/activities/new/", params)
    form = response.context["form"]
    assert form.initial.get("url") == url
    assert form.initial.get("excerpt", "") == excerpt


def test_it_offers_a_bookmarklet_that_opens_the_prefilled_form(client, clinician_user):
    client.force_login(clinician_user)
    response = client.get("/log-anywhere/")
    page = response.content.decode()
    href = re.search(r'id="bookmarklet" href="([^"]+)"', page).group(1)
    assert href.startswith("javascript:")
    assert "http://testserver/activities/new/?url=" in href.replace("&#x27;", "'")
    # The one javascript: URL: the page's own policy still forbids inline script.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert page.count("javascript:") == 1


def test_an_administrator_revokes_a_leaked_token_in_admin(client, admin_user, clinician_user):
    secret = token_for(clinician_user)
    token = AccessToken.objects.get()
    client.force_login(admin_user)
    changelist = client.get("/admin/api/accesstoken/")
    assert changelist.status_code == 200
    assert secret not in changelist.content.decode()
    client.post("/admin/api/accesstoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401
