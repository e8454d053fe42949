"""Code proofs: the worker reads the public profile (Bluesky AppView, a Mastodon instance, a website)
from real HTTP servers on 127.0.0.1 answering with the documented shapes in platform_fixtures/."""

import pytest
from django.urls import reverse

from clinicians import services, tasks
from clinicians.models import Platform, ProofMethod, ProofStatus, SocialAccount
from tests.clinicians.local_servers import LocalSite, platform_fixture
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    with LocalSite() as server:
        settings.PROOF_BLUESKY_APPVIEW_URL = server.url
        settings.PROOF_MASTODON_URL_TEMPLATE = server.url
        settings.PROOF_ALLOW_PRIVATE_HOSTS = True
        yield server


def _link(platform: str, handle: str, profile_url: str = "", clinician=None) -> SocialAccount:
    return services.social_account_link(
        clinician=clinician or ClinicianFactory(), platform=platform, handle=handle, profile_url=profile_url
    )


def test_it_proves_a_bluesky_account_from_its_bio_and_lapses_when_the_code_is_removed(
    site, django_capture_on_commit_callbacks
):
    account = _link(Platform.BLUESKY, "drjane.bsky.social")
    site.json("/xrpc/app.bsky.actor.getProfile", platform_fixture("bluesky_getProfile.json", code=account.proof_code))

    assert tasks.social_account_proof_check(account.pk) == "Proven"
    account.refresh_from_db()
    assert (account.proof_status, account.proof_method) == (ProofStatus.PROVEN, ProofMethod.PROFILE_CODE)
    assert account.provider_account_id == "did:plc:z72i7hdynmk6r22z27h6tvur"
    assert site.requests[-1] == "/xrpc/app.bsky.actor.getProfile?actor=drjane.bsky.social"

    site.json("/xrpc/app.bsky.actor.getProfile", platform_fixture("bluesky_getProfile.json", code="(removed)"))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.social_account_proofs_recheck() == 1
    account.refresh_from_db()
    assert account.proof_status == ProofStatus.LAPSED
    assert account.proof_code in account.proof_note


def test_it_proves_a_mastodon_account_from_a_rel_me_profile_field(site):
    account = _link(Platform.MASTODON, "drjane@med.example")
    site.json("/api/v1/accounts/lookup", platform_fixture("mastodon_accounts_lookup.json", code=account.proof_code))

    tasks.social_account_proof_check(account.pk)

    account.refresh_from_db()
    assert account.proof_status == ProofStatus.PROVEN
    assert account.provider_account_id == "109302143568423312"
    assert site.requests[-1] == "/api/v1/accounts/lookup?acct=drjane"


def test_it_proves_a_website_by_a_meta_tag_or_the_well_known_file(site):
    by_meta = _link(Platform.OTHER, f"{site.url}/blog", profile_url=f"{site.url}/blog")
    site.html("/blog", f'<html><head><meta name="advocacy-portal-proof" content="{by_meta.proof_code}"></head></html>')
    tasks.social_account_proof_check(by_meta.pk)
    by_meta.refresh_from_db()
    assert by_meta.proof_status == ProofStatus.PROVEN

    other = ClinicianFactory()
    by_file = _link(Platform.OTHER, f"{site.url}/podcast", profile_url=f"{site.url}/podcast", clinician=other)
    site.html("/podcast", "<html><body>My podcast</body></html>")
    site.html("/.well-known/advocacy-portal-proof.txt", by_file.proof_code + "\n")
    tasks.social_account_proof_check(by_file.pk)
    by_file.refresh_from_db()
    assert by_file.proof_status == ProofStatus.PROVEN


def test_an_unreachable_profile_never_takes_a_proof_away(site):
    account = _link(Platform.BLUESKY, "drjane.bsky.social")
    site.json("/xrpc/app.bsky.actor.getProfile", platform_fixture("bluesky_getProfile.json", code=account.proof_code))
    tasks.social_account_proof_check(account.pk)
    site.json("/xrpc/app.bsky.actor.getProfile", {"error": "InternalServerError"}, status=503)

    assert tasks.social_account_proof_check(account.pk) == "unreachable"
    account.refresh_from_db()
    assert account.proof_status == ProofStatus.PROVEN
    assert "503" in account.proof_note


def test_private_addresses_are_not_fetched_unless_allowed(site, settings):
    settings.PROOF_ALLOW_PRIVATE_HOSTS = False
    account = _link(Platform.OTHER, f"{site.url}/blog", profile_url=f"{site.url}/blog")
    site.html("/blog", account.proof_code)
    assert tasks.social_account_proof_check(account.pk) == "unreachable"
    assert site.requests == []
    account.refresh_from_db()
    assert account.proof_status == ProofStatus.SELF_REPORTED


def test_a_handle_proven_by_another_clinician_is_refused(site):
    first = _link(Platform.BLUESKY, "drjane.bsky.social")
    site.json("/xrpc/app.bsky.actor.getProfile", platform_fixture("bluesky_getProfile.json", code=first.proof_code))
    tasks.social_account_proof_check(first.pk)

    with pytest.raises(Exception, match="already proven by another clinician"):
        _link(Platform.BLUESKY, "drjane.bsky.social")


def test_the_page_shows_the_code_and_checks_on_request(client, site, django_capture_on_commit_callbacks):
    clinician = ClinicianFactory()
    client.force_login(clinician.user)
    account = _link(Platform.BLUESKY, "drjane.bsky.social", clinician=clinician)
    page = client.get(reverse("clinicians:social_account_list")).content.decode()
    assert account.proof_code in page and "Self-reported" in page
    site.json("/xrpc/app.bsky.actor.getProfile", platform_fixture("bluesky_getProfile.json", code=account.proof_code))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clinicians:social_account_proof_check", args=[account.pk]))

    account.refresh_from_db()
    assert account.proof_status == ProofStatus.PROVEN
