"""Redis (the cache and session store) down: pages keep working from the database, /healthz says
what is down with a 503, never a 500. A real Redis URL where nothing listens."""

import pytest
from django.urls import reverse

from advocacy_portal.settings import redis_cache
from tests.factories import DEFAULT_PASSWORD, CampaignFactory, VerifiedClinicianFactory
from tests.faults.outbox_processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The portal's Redis cache and cached sessions, pointed at a port where nothing listens."""
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{free_port()}/0")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_the_login_page_and_logging_in_work(client, redis_down):
    clinician = VerifiedClinicianFactory()
    assert client.get(reverse("account_login")).status_code == 200
    response = client.post(reverse("account_login"), {"login": clinician.user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_logged_in_pages_and_campaign_totals_work(client, redis_down):
    clinician = VerifiedClinicianFactory()
    campaign = CampaignFactory(slug="flu-season")
    client.force_login(clinician.user)
    for url in (
        reverse("dashboard"),
        reverse("campaigns:activity_list"),
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", args=[campaign.slug]),
        reverse("incentives:leaderboard"),
        "/notifications/",
    ):
        assert client.get(url).status_code == 200, url


def test_healthz_answers_503_naming_the_cache_even_with_a_session_cookie(client, redis_down):
    client.force_login(VerifiedClinicianFactory().user)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "cache" in response.json()["down"]


def test_healthz_never_reads_the_session_so_even_an_intolerant_cache_gives_503_not_500(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-probe-must-not-load"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
