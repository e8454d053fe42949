"""Doximity and ORCID identities (clinicians.services.identity_link through the allauth adapter):
connected through a real OpenID Connect exchange with a provider on 127.0.0.1, the ORCID works read
by the worker from a local server in the ORCID API v3.0 shape, and research posts citing the
clinician's own DOI labelled as such."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Category
from campaigns.services import ActivityInput
from clinicians.models import IdentityKind, LinkedIdentity, Platform
from tests.campaigns.reach_servers import PlatformAPI, platform_fixture
from tests.clinicians.local_servers import FIXTURES, LocalOpenIDProvider
from tests.factories import ClinicianFactory, ProvenSocialAccountFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"


def _provider_settings(settings, provider: LocalOpenIDProvider, provider_id: str, kind: str) -> None:
    """The local provider stands in for Doximity or ORCID (both sign in with OAuth 2 / OpenID Connect)."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": provider_id,
                    "name": f"Local {kind}",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.url, "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    settings.SOCIAL_PROVIDER_PLATFORMS = {}
    settings.SOCIAL_IDENTITY_PROVIDERS = {provider_id: kind}


def _connect(client, provider: LocalOpenIDProvider, provider_id: str):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": provider_id}) + "?process=connect")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}", follow=True)


@pytest.fixture
def orcid_api(settings):
    with PlatformAPI() as api:
        settings.ORCID_PUBLIC_API_URL = api.url
        settings.ORCID_FETCH_TIMEOUT_SECONDS = 2
        api.answer(
            f"/v3.0/{ORCID}/works",
            platform_fixture(str(FIXTURES / "orcid_v3.0_works.json"), orcid=ORCID),
        )
        yield api


def _research_post(clinician, url: str, citations: list[str]):
    data = ActivityInput(
        url=url,
        posted_at=timezone.now() - dt.timedelta(hours=2),
        category=Category.RESEARCH_DISSEMINATION,
        excerpt="Our trial of the new vaccine, now published.",
        citations=citations,
    )
    return campaign_services.activity_record(clinician=clinician, data=data)


def test_it_links_orcid_reads_the_works_and_labels_posts_citing_their_own_doi(
    client, settings, orcid_api, django_capture_on_commit_callbacks
):
    clinician = VerifiedClinicianFactory()
    ProvenSocialAccountFactory(clinician=clinician, platform=Platform.X, handle="drjane")
    with django_capture_on_commit_callbacks(execute=True):
        before = _research_post(clinician, "https://x.com/drjane/status/1", ["https://doi.org/10.1000/CHAPTER.7"])
    assert before.cites_own_publication is False  # no ORCID linked yet

    with LocalOpenIDProvider() as provider:
        provider.user = {"sub": ORCID, "name": "Jane Example"}
        _provider_settings(settings, provider, "localorcid", IdentityKind.ORCID)
        client.force_login(clinician.user)
        with django_capture_on_commit_callbacks(execute=True):
            page = _connect(client, provider, "localorcid")

    assert f"ORCID iD (publications) account {ORCID} is linked".encode() in page.content
    identity = LinkedIdentity.objects.get(clinician=clinician, kind=IdentityKind.ORCID)
    # Only the works' own DOIs: the book a chapter is part of is not the clinician's publication.
    assert identity.publication_dois == ["10.1000/chapter.7", "10.1056/nejmoa2034577"]
    assert orcid_api.requests == [(f"/v3.0/{ORCID}/works", {})]
    before.refresh_from_db()
    assert before.cites_own_publication is True  # re-labelled once the works were read

    with django_capture_on_commit_callbacks(execute=True):
        own = _research_post(clinician, "https://x.com/drjane/status/2", ["doi:10.1056/nejmoa2034577"])
        other = _research_post(clinician, "https://x.com/drjane/status/3", ["10.1000/someone.else"])
    assert (own.cites_own_publication, other.cites_own_publication) == (True, False)
    client.force_login(clinician.user)
    detail = client.get(reverse("campaigns:activity_detail", args=[own.pk])).content.decode()
    assert "Cites your own publication (ORCID)" in detail
    assert (
        "Cites your own publication"
        not in client.get(reverse("campaigns:activity_detail", args=[other.pk])).content.decode()
    )


def test_an_orcid_linked_by_another_clinician_is_refused(client, settings, orcid_api):
    LinkedIdentity.objects.create(clinician=ClinicianFactory(), kind=IdentityKind.ORCID, account_id=ORCID)
    clinician = ClinicianFactory()
    with LocalOpenIDProvider() as provider:
        provider.user = {"sub": ORCID, "name": "Jane Example"}
        _provider_settings(settings, provider, "localorcid", IdentityKind.ORCID)
        client.force_login(clinician.user)
        page = _connect(client, provider, "localorcid")
    assert b"already linked to another clinician" in page.content
    assert not LinkedIdentity.objects.filter(clinician=clinician).exists()


def test_doximity_links_a_physician_and_prefills_the_npi_on_the_credential_form(client, settings):
    clinician = ClinicianFactory()
    with LocalOpenIDProvider() as provider:
        provider.user = {"sub": "dox-4821", "firstname": "Jane", "lastname": "Example", "npi": "1234567893"}
        _provider_settings(settings, provider, "localdoximity", IdentityKind.DOXIMITY)
        client.force_login(clinician.user)
        page = _connect(client, provider, "localdoximity")
    assert b"Doximity (verified physician) account dox-4821 is linked" in page.content
    identity = LinkedIdentity.objects.get(clinician=clinician)
    assert (identity.kind, identity.name, identity.npi) == (IdentityKind.DOXIMITY, "Jane Example", "1234567893")
    form = client.get(reverse("clinicians:credential_create")).content.decode()
    assert 'value="1234567893"' in form


def test_without_a_doximity_npi_the_credential_form_starts_empty(client):
    clinician = ClinicianFactory()
    LinkedIdentity.objects.create(clinician=clinician, kind=IdentityKind.DOXIMITY, account_id="dox-1")
    client.force_login(clinician.user)
    assert 'name="identifier" value=' not in client.get(reverse("clinicians:credential_create")).content.decode()
