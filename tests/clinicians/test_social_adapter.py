"""Proving a linked account by connecting it through OpenID Connect (django-allauth), against a real
provider on 127.0.0.1: discovery, authorize redirect, code exchange with PKCE, userinfo, id token."""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from clinicians.models import Platform, ProofMethod, ProofStatus, SocialAccount
from clinicians.social_adapter import provider_handle
from tests.clinicians.local_servers import LocalOpenIDProvider
from tests.factories import ClinicianFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
PROVIDER_ID = "localoidc"


@pytest.fixture
def oidc(settings):
    """The local provider, configured as the portal's generic OpenID Connect provider proving X accounts."""
    with LocalOpenIDProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "Local X",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {"server_url": provider.url, "oauth_pkce_enabled": True},
                    }
                ]
            }
        }
        settings.SOCIAL_PROVIDER_PLATFORMS = {PROVIDER_ID: Platform.X}
        yield provider


def connect(client, provider: LocalOpenIDProvider):
    """Press "Connect" on /profile/social/, let the provider redirect back, and follow it home."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) + "?process=connect")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}", follow=True)


def test_it_offers_only_providers_with_credentials(client, settings):
    clinician = ClinicianFactory()
    client.force_login(clinician.user)
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert b"Connect " not in client.get(reverse("clinicians:social_account_list")).content


def test_it_proves_the_account_through_the_providers_real_code_exchange(client, oidc):
    clinician = ClinicianFactory()
    client.force_login(clinician.user)
    assert b"Connect Local X" in client.get(reverse("clinicians:social_account_list")).content

    page = connect(client, oidc)

    assert page.redirect_chain[-1][0] == reverse("clinicians:social_account_list")
    account = SocialAccount.objects.get(clinician=clinician)
    assert (account.platform, account.handle, account.provider_account_id) == (Platform.X, "drjane", "1001")
    assert (account.proof_status, account.proof_method, account.provider) == (
        ProofStatus.PROVEN,
        ProofMethod.OAUTH,
        PROVIDER_ID,
    )
    assert account.proven_at is not None
    assert b"Proven" in page.content
    # The real exchange happened: client authentication and the PKCE verifier reached the token endpoint.
    assert oidc.token_requests and oidc.token_requests[0].get("code_verifier")


def test_a_self_reported_handle_becomes_proven_instead_of_a_second_row(client, oidc):
    clinician = ClinicianFactory()
    SocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drjane")
    client.force_login(clinician.user)
    connect(client, oidc)
    account = SocialAccount.objects.get(clinician=clinician)
    assert account.proof_status == ProofStatus.PROVEN


def test_a_handle_proven_by_another_clinician_is_refused(client, oidc):
    first, second = ClinicianFactory(), ClinicianFactory()
    client.force_login(first.user)
    connect(client, oidc)
    client.logout()

    client.force_login(second.user)
    page = connect(client, oidc)

    assert b"already proven by another clinician" in page.content
    assert not SocialAccount.objects.filter(clinician=second).exists()
    assert SocialAccount.objects.get(clinician=first).proof_status == ProofStatus.PROVEN


def test_a_social_account_never_signs_anyone_in(client, oidc):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_allauths_own_connect_pages_render_in_the_portal_layout(client, oidc):
    clinician = ClinicianFactory()
    client.force_login(clinician.user)
    confirm = client.get(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) + "?process=connect")
    assert confirm.status_code == 200 and b"Local X" in confirm.content
    assert client.get(reverse("socialaccount_connections")).status_code == 200


@pytest.mark.parametrize(
    ("provider", "uid", "extra_data", "handle"),
    [
        # X API v2 /2/users/me "data" object, as allauth's twitter_oauth2 stores it.
        ("twitter_oauth2", "2244994945", {"id": "2244994945", "name": "Jane", "username": "DrJane"}, "DrJane"),
        # Reddit /api/v1/me: the account name is the uid and the handle.
        ("reddit", "drjane", {"name": "drjane", "id": "t2_abc"}, "drjane"),
        # OpenID Connect: userinfo inside allauth's extra_data.
        ("oidc", "1001", {"userinfo": {"sub": "1001", "preferred_username": "drjane"}}, "drjane"),
        # Google and LinkedIn give a person's name, not a handle: the account id stands in.
        ("google", "1178", {"sub": "1178", "name": "Jane Example"}, "1178"),
    ],
)
def test_the_handle_comes_from_each_providers_profile_shape(provider, uid, extra_data, handle):
    assert provider_handle(provider=provider, uid=uid, extra_data=extra_data) == handle
