"""Pages: profile onboarding, credential pages and evidence download (access on every URL), uploads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinicians.models import Clinician, Credential, CredentialStatus
from clinicians.services import credential_submit
from tests.clinicians.conftest import stored_files
from tests.clinicians.factories import EXE_BYTES, PDF_BYTES, LicenceFactory
from tests.factories import ClinicianFactory, UserFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_credential(clinician_user):
    return credential_submit(
        clinician=clinician_user.clinician,
        kind="medical_licence",
        identifier="036-777",
        issuer="Illinois",
        expires_on=timezone.localdate() + dt.timedelta(days=300),
        evidence=SimpleUploadedFile("licence.pdf", PDF_BYTES),
        evidence_content_type="application/pdf",
    )


def credential_urls(credential) -> list[str]:
    return [
        reverse("clinicians:credential_detail", args=[credential.pk]),
        reverse("clinicians:credential_evidence", args=[credential.pk]),
    ]


def test_anonymous_visitors_are_sent_to_login_from_every_clinician_page(client, own_credential):
    urls = [
        reverse("clinicians:profile_edit"),
        reverse("clinicians:credential_list"),
        reverse("clinicians:credential_create"),
        reverse("clinicians:social_account_list"),
        *credential_urls(own_credential),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_the_owner_sees_the_credential_and_downloads_the_evidence(client, clinician_user, own_credential):
    client.force_login(clinician_user)
    detail = client.get(reverse("clinicians:credential_detail", args=[own_credential.pk]))
    assert detail.status_code == 200
    assert b"036-777" in detail.content
    response = client.get(reverse("clinicians:credential_evidence", args=[own_credential.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_clinician_gets_404_on_every_credential_url(client, other_clinician_user, own_credential):
    client.force_login(other_clinician_user)
    for url in credential_urls(own_credential):
        assert client.get(url).status_code == 404, url


def test_staff_may_see_and_download_any_credential(client, admin_user, own_credential):
    client.force_login(admin_user)
    for url in credential_urls(own_credential):
        assert client.get(url).status_code == 200, url


def test_a_staff_account_without_permissions_gets_404_on_every_credential_url(client, bare_staff_user, own_credential):
    """Staff status is not a permission: with no permission and no group, another clinician's
    credential and its evidence document stay out of reach (ids are sequential)."""
    client.force_login(bare_staff_user)
    for url in credential_urls(own_credential):
        assert client.get(url).status_code == 404, url


def test_a_verifier_sees_the_credential_and_downloads_the_evidence(client, verifier_user, own_credential):
    client.force_login(verifier_user)
    for url in credential_urls(own_credential):
        assert client.get(url).status_code == 200, url


def test_viewing_credentials_does_not_grant_their_evidence_documents(client, bare_staff_user, own_credential):
    from django.contrib.auth.models import Permission

    bare_staff_user.user_permissions.add(
        Permission.objects.get(codename="view_credential", content_type__app_label="clinicians")
    )
    client.force_login(bare_staff_user)
    detail, evidence = credential_urls(own_credential)
    assert client.get(detail).status_code == 200
    assert client.get(evidence).status_code == 404


def test_report_staff_without_admin_rights_get_404(client, staff_user, own_credential):
    client.force_login(staff_user)
    for url in credential_urls(own_credential):
        assert client.get(url).status_code == 404, url


def test_evidence_is_not_reachable_by_a_static_or_media_url(client, clinician_user, own_credential, settings):
    client.force_login(clinician_user)
    name = own_credential.evidence.name
    for url in [f"/{name}", f"/media/{name}", f"/{settings.STATIC_URL}{name}", f"/private/{name}"]:
        assert client.get(url).status_code == 404, url


def test_accounts_without_a_clinician_profile_get_404_on_clinician_pages(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("clinicians:credential_list")).status_code == 404
    assert client.get(reverse("clinicians:profile_edit")).status_code == 404


def test_it_submits_an_npi_and_shows_it(client, clinician_user, settings, closed_port_url):
    settings.NPPES_BASE_URL = closed_port_url
    client.force_login(clinician_user)
    response = client.post(reverse("clinicians:credential_create"), {"kind": "npi", "identifier": "1558598797"})
    credential = Credential.objects.get(clinician__user=clinician_user)
    assert response["Location"] == reverse("clinicians:credential_detail", args=[credential.pk])
    listing = client.get(reverse("clinicians:credential_list"))
    assert b"1558598797" in listing.content and b"Pending review" in listing.content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "npi", "identifier": "1234567898"}, "identifier", "check digit"),
        ({"kind": "npi", "identifier": "123456789"}, "identifier", "exactly 10 digits"),
        ({"kind": "npi", "identifier": "12345ABCDE"}, "identifier", "digits only"),
        (
            {"kind": "medical_licence", "identifier": "X1", "issuer": "Ohio", "expires_on": "2020-01-01"},
            "expires_on",
            "already expired",
        ),
        ({"kind": "medical_licence", "identifier": "X1", "expires_on": "2099-01-01"}, "issuer", "Name the state"),
    ],
)
def test_bad_credentials_are_refused_with_a_message(client, clinician_user, private_files, data, field, message):
    client.force_login(clinician_user)
    response = client.post(reverse("clinicians:credential_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'aria-describedby="id_{field}_errors' in response.content.decode()
    assert not Credential.objects.exists()
    assert stored_files(private_files) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", b"", "file is empty"),
        ("licence.pdf", EXE_BYTES, "Only PDF, PNG or JPEG"),
        ("setup.exe.pdf", EXE_BYTES + b"\x00" * 4096, "Only PDF, PNG or JPEG"),
        ("licence.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024), "the limit is 10 MB"),
        ("..%2F..%2Fetc%2Flicence.pdf", PDF_BYTES, "path parts"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_written(client, clinician_user, private_files, name, content, message):
    client.force_login(clinician_user)
    data = {
        "kind": "medical_licence",
        "identifier": "036-555",
        "issuer": "Illinois",
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "evidence": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }
    response = client.post(reverse("clinicians:credential_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["evidence"])
    assert not Credential.objects.exists()
    assert stored_files(private_files) == []


def test_onboarding_guides_an_incomplete_profile_to_the_profile_page(client):
    clinician = ClinicianFactory(profile_completed_at=None, display_name="")
    client.force_login(clinician.user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("clinicians:profile_edit")
    assert client.get(reverse("clinicians:credential_list"))["Location"] == reverse("clinicians:profile_edit")
    for path in ["/profile/", "/accounts/email/", "/healthz"]:
        assert client.get(path).status_code in (200, 503), path
    assert client.get(reverse("dashboard"), headers={"HX-Request": "true"}).status_code == 200


def test_onboarding_leaves_complete_profiles_and_staff_alone(client, clinician_user, admin_user):
    client.force_login(clinician_user)
    assert client.get(reverse("dashboard")).status_code == 200
    client.force_login(admin_user)
    assert client.get(reverse("dashboard")).status_code == 200


def test_completing_the_profile_ends_onboarding(client):
    clinician = ClinicianFactory(profile_completed_at=None, display_name="")
    client.force_login(clinician.user)
    page = client.get(reverse("clinicians:profile_edit"))
    assert b"Complete your profile" in page.content
    data = {
        "display_name": "Dr Jane Example",
        "profession": "md",
        "specialty": "internal",
        "organisation": "Springfield General",
        "country": "US",
        "state": "IL",
        "bio": "Internist.",
        "public_profile": "on",
    }
    response = client.post(reverse("clinicians:profile_edit"), data)
    assert response["Location"] == reverse("clinicians:credential_create")
    clinician.refresh_from_db()
    assert clinician.profile_completed_at is not None
    assert clinician.public_profile and not clinician.leaderboard_opt_in
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"state": ""}, "state", "Choose your US state"),
        ({"specialty": "other"}, "specialty_other", "Name your specialty"),
        ({"bio": "x" * 1001}, "bio", "at most 1000 characters"),
        ({"display_name": ""}, "display_name", "required"),
    ],
)
def test_the_profile_form_answers_bad_input(client, change, field, message):
    clinician = ClinicianFactory(profile_completed_at=None, display_name="")
    client.force_login(clinician.user)
    data = {"display_name": "Dr Jane", "profession": "md", "specialty": "internal", "country": "US", "state": "IL"}
    response = client.post(reverse("clinicians:profile_edit"), {**data, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Clinician.objects.get(pk=clinician.pk).profile_completed_at is None


def test_a_non_us_clinician_needs_no_state(client):
    clinician = ClinicianFactory(profile_completed_at=None)
    client.force_login(clinician.user)
    data = {"display_name": "Dr Ana", "profession": "md", "specialty": "internal", "country": "CA", "state": "IL"}
    client.post(reverse("clinicians:profile_edit"), data)
    clinician.refresh_from_db()
    assert clinician.country == "CA" and clinician.state == ""


def test_the_public_page_shows_an_opted_in_verified_clinician_and_nothing_else(client):
    clinician = VerifiedClinicianFactory(public_profile=True, display_name="Dr Jane Example", bio="Private bio")
    response = client.get(reverse("clinicians:public_verification", args=[clinician.public_id]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dr Jane Example" in content and "Internal medicine" in content
    assert clinician.user.email not in content and "Private bio" not in content and "Springfield" not in content


@pytest.mark.parametrize(
    "kwargs",
    [
        {"public_profile": False, "verification_status": "verified"},
        {"public_profile": True, "verification_status": "pending"},
    ],
)
def test_the_public_page_is_404_for_others(client, kwargs):
    clinician = ClinicianFactory(**kwargs)
    assert client.get(reverse("clinicians:public_verification", args=[clinician.public_id])).status_code == 404


def test_the_credential_list_runs_a_constant_number_of_queries(client, clinician_user, django_assert_num_queries):
    client.force_login(clinician_user)
    url = reverse("clinicians:credential_list")
    LicenceFactory(clinician=clinician_user.clinician)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    LicenceFactory.create_batch(10, clinician=clinician_user.clinician, status=CredentialStatus.VERIFIED)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_staff_user_factory_is_not_a_clinician():
    assert not hasattr(UserFactory(), "clinician")
