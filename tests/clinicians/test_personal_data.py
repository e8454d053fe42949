"""The clinician's share of "My data": profile, credentials and social accounts, and their erasure."""

import pytest
from django.core.files.base import ContentFile

from clinicians.models import Clinician, Credential, SocialAccount, VerificationStatus
from clinicians.personal_data import clinicians_personal_data, clinicians_personal_data_erase
from clinicians.services import PROFILE_FIELDS
from core.models import OutboxMessage
from tests.factories import CredentialFactory, SocialAccountFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def test_it_exports_the_profile_credentials_and_accounts_without_evidence_contents():
    clinician = VerifiedClinicianFactory(display_name="Dr Ada", bio="Vaccines.")
    credential = CredentialFactory(clinician=clinician, identifier="1234567893")
    credential.evidence_original_name = "licence.pdf"
    credential.evidence.save("licence.pdf", ContentFile(b"secret evidence"), save=True)
    SocialAccountFactory(clinician=clinician, handle="drada")
    SocialAccountFactory(handle="someone-else")

    data = clinicians_personal_data(clinician=clinician)

    [profile] = data["profile"]
    # The export's columns: the display name and public id, the other fields the clinician edits, then
    # the verification state.
    assert list(profile) == [
        "display_name",
        "public_id",
        *PROFILE_FIELDS[1:],
        "verification_status",
        "verified_at",
        "profile_completed_at",
    ]
    assert (profile["display_name"], profile["bio"]) == ("Dr Ada", "Vaccines.")
    assert profile["public_id"] == str(clinician.public_id)
    assert profile["verification_status"] == VerificationStatus.VERIFIED
    [row] = data["credentials"]
    assert (row["identifier"], row["evidence_original_name"]) == ("1234567893", "licence.pdf")
    assert "evidence" not in row
    assert [row["handle"] for row in data["social_accounts"]] == ["drada"]


def test_it_erases_the_profile_and_ends_the_verification_as_a_lapse(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory(public_profile=True, leaderboard_opt_in=True, bio="Vaccines.")
    old_public_id = clinician.public_id
    credential = CredentialFactory(clinician=clinician)
    credential.evidence.save("licence.pdf", ContentFile(b"secret evidence"), save=True)
    storage, evidence_name = credential.evidence.storage, credential.evidence.name
    SocialAccountFactory(clinician=clinician)
    other = SocialAccountFactory()

    with django_capture_on_commit_callbacks(execute=True):
        clinicians_personal_data_erase(clinician=clinician, pseudonym="ab12cd34")

    clinician = Clinician.objects.get(pk=clinician.pk)
    assert clinician.display_name == "Deleted clinician ab12cd34"
    assert clinician.public_id != old_public_id
    assert (clinician.organisation, clinician.state, clinician.bio, clinician.specialty_other) == ("", "", "", "")
    assert not clinician.public_profile and not clinician.leaderboard_opt_in
    # Kept for the association's figures.
    assert (clinician.profession, clinician.specialty, clinician.country) == ("md", "internal", "US")
    assert clinician.verification_status == VerificationStatus.LAPSED and clinician.lapsed_at is not None
    assert OutboxMessage.objects.filter(task__endswith=".reprice_clinician", args=[clinician.pk]).exists()
    assert not Credential.objects.filter(clinician=clinician).exists()
    assert not storage.exists(evidence_name)
    assert list(SocialAccount.objects.all()) == [other]


def test_linked_identities_are_exported_and_deleted_with_the_account():
    from clinicians.models import IdentityKind, LinkedIdentity

    clinician, other = VerifiedClinicianFactory(), VerifiedClinicianFactory()
    LinkedIdentity.objects.create(
        clinician=clinician, kind=IdentityKind.DOXIMITY, account_id="dox-771", name="Ada Lovelace", npi="1234567893"
    )
    LinkedIdentity.objects.create(
        clinician=clinician, kind=IdentityKind.ORCID, account_id="0000-0002-1825-0097", publication_dois=["10.1/ada"]
    )
    kept = LinkedIdentity.objects.create(clinician=other, kind=IdentityKind.ORCID, account_id="0000-0001-5109-3700")

    rows = clinicians_personal_data(clinician=clinician)["linked_identities"]

    assert [(row["kind"], row["account_id"], row["name"], row["npi"]) for row in rows] == [
        ("doximity", "dox-771", "Ada Lovelace", "1234567893"),
        ("orcid", "0000-0002-1825-0097", "", ""),
    ]
    assert rows[1]["publication_dois"] == ["10.1/ada"]

    clinicians_personal_data_erase(clinician=clinician, pseudonym="ab12cd34")

    assert list(LinkedIdentity.objects.all()) == [kept]
