"""Browser journey: a verified clinician connects their X account through an OpenID Connect provider
running on 127.0.0.1, logs a post from it (accepted), then logs an Instagram post (held, with the
message saying what would prove it); a Bluesky post's reach is imported by the worker from a local
AppView and the points statement shows the imported figures and their source."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns import reach_import
from campaigns.models import Activity, ActivityProof, ActivityStatus, MetricReading
from clinicians.models import Platform, ProofStatus, SocialAccount
from tests.browser.conftest import axe_violations, screenshot
from tests.campaigns.reach_servers import PlatformAPI, platform_fixture
from tests.clinicians.local_servers import LocalOpenIDProvider
from tests.factories import DEFAULT_PASSWORD, ProvenSocialAccountFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def oidc(settings):
    with LocalOpenIDProvider() as provider:
        provider.user = {"sub": "4242", "preferred_username": "drrivera", "name": "Jane Rivera"}
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "localx",
                        "name": "X (local)",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {"server_url": provider.url, "oauth_pkce_enabled": True},
                    }
                ]
            }
        }
        settings.SOCIAL_PROVIDER_PLATFORMS = {"localx": Platform.X}
        yield provider


def _log_post(page, url: str) -> None:
    page.goto("/activities/new/")
    page.get_by_label("Link to the post").fill(url)
    posted = timezone.localtime() - dt.timedelta(hours=3)
    page.get_by_label("Posted at").fill(posted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Category").select_option("public_education")
    page.get_by_role("button", name="Log post").click()


def test_a_clinician_connects_an_account_and_only_its_posts_count_at_once(page, oidc):
    clinician = VerifiedClinicianFactory(user__email="rivera@example.org", display_name="Jane Rivera")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rivera@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()

    page.goto("/profile/social/")
    page.get_by_role("button", name="Connect X (local)").click()
    page.wait_for_url("**/profile/social/")
    expect(page.get_by_text("Your X (Twitter) account drrivera is proven.")).to_be_visible()
    screenshot(page, "social-accounts-proven")
    assert axe_violations(page) == []
    account = SocialAccount.objects.get(clinician=clinician)
    assert (account.proof_status, account.provider_account_id) == (ProofStatus.PROVEN, "4242")

    _log_post(page, "https://x.com/DrRivera/status/1790000000123")
    expect(page.get_by_text("Activity logged: accepted.")).to_be_visible()

    _log_post(page, "https://www.instagram.com/p/Cxyz123/")
    expect(page.get_by_text("You have not linked an Instagram account").first).to_be_visible()
    screenshot(page, "activity-held-for-proof")
    assert axe_violations(page) == []

    by_url = {activity.url: activity for activity in Activity.objects.filter(clinician=clinician)}
    accepted = by_url["https://x.com/DrRivera/status/1790000000123"]
    held = by_url["https://instagram.com/p/Cxyz123"]
    assert (accepted.status, accepted.proof) == (ActivityStatus.ACCEPTED, ActivityProof.PROVEN)
    assert (held.status, held.proof) == (ActivityStatus.FLAGGED, ActivityProof.UNPROVEN)


def test_the_worker_imports_a_bluesky_posts_reach_and_the_statement_shows_its_source(page, settings):
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    clinician = VerifiedClinicianFactory(user__email="rivera@example.org", display_name="Jane Rivera")
    ProvenSocialAccountFactory(
        clinician=clinician, platform=Platform.BLUESKY, handle="drrivera.bsky.social", provider_account_id=did
    )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rivera@example.org")
    page.get_by_label("Password:", exact=True).fill(DEFAULT_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    _log_post(page, "https://bsky.app/profile/drrivera.bsky.social/post/3kq7fzqz2xk2a")
    expect(page.get_by_text("Activity logged: accepted.")).to_be_visible()
    activity = Activity.objects.get(clinician=clinician)

    with PlatformAPI() as appview:
        settings.REACH_BLUESKY_APPVIEW_URL = appview.url
        settings.PROOF_ALLOW_PRIVATE_HOSTS = True
        appview.answer(
            "/xrpc/app.bsky.feed.getPosts",
            platform_fixture(
                "bluesky_app.bsky.feed.getPosts.json",
                did=did,
                rkey="3kq7fzqz2xk2a",
                likes=64,
                reposts=9,
                replies=5,
                quotes=2,
            ),
        )
        # The post was logged three hours after posting: its 1 h reading is due now.
        assert reach_import.metric_readings_schedule() == 1
    reading = MetricReading.objects.get(activity=activity)
    assert (reading.status, reading.likes, reading.shares) == ("done", 64, 11)

    page.goto("/points/")
    # The award was priced on the typed figures; the figures now are the imported ones.
    expect(page.locator(".metric-source").first).to_contain_text("Priced on: 0 impressions, self-reported")
    now = page.locator(".metric-source").nth(1)
    expect(now).to_contain_text("64 likes, 11 shares, 5 comments, imported from Bluesky AppView API")
    screenshot(page, "points-statement-imported-reach")
