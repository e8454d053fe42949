"""Browser journey: a verified clinician connects their X account through an OpenID Connect provider
running on 127.0.0.1, logs a post from it (accepted), then logs an Instagram post (held, with the
message saying what would prove it)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Activity, ActivityProof, ActivityStatus
from clinicians.models import Platform, ProofStatus, SocialAccount
from tests.browser.conftest import axe_violations, screenshot
from tests.clinicians.local_servers import LocalOpenIDProvider
from tests.factories import DEFAULT_PASSWORD, VerifiedClinicianFactory

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
