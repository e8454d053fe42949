"""Identity on public pages: once verified, the verification page and leaderboards show the name that
was verified; a later display-name change waits for staff review."""

import pytest
from django.urls import reverse

from clinicians import services
from clinicians.models import Credential, CredentialStatus
from incentives.services import scores_recompute
from tests.factories import ActivityFactory, ClinicianFactory, CredentialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified():
    """A clinician verified through the real service while their display name was "Dr Jane Example"."""
    clinician = ClinicianFactory(display_name="Dr Jane Example", public_profile=True, leaderboard_opt_in=True)
    credential = CredentialFactory(clinician=clinician, status=CredentialStatus.SUBMITTED)
    services.credential_verify(credential=credential, actor=UserFactory(is_staff=True), reason="Checked the licence.")
    assert Credential.objects.get(pk=credential.pk).status == CredentialStatus.VERIFIED
    clinician.refresh_from_db()
    assert clinician.verified_name == "Dr Jane Example"
    return clinician


def test_a_new_display_name_does_not_reach_public_pages_until_approved(client, verified):
    ActivityFactory(clinician=verified, impressions=0)
    scores_recompute()
    services.clinician_profile_update(clinician=verified, data={"display_name": "Dr Famous Celebrity"})
    verified.refresh_from_db()
    assert verified.name_change_pending

    page = client.get(reverse("clinicians:public_verification", args=[verified.public_id])).content.decode()
    assert "Dr Jane Example" in page and "Dr Famous Celebrity" not in page
    client.force_login(ClinicianFactory(verification_status="verified").user)
    board = client.get(reverse("incentives:leaderboard")).content.decode()
    assert "Dr Jane Example" in board and "Dr Famous Celebrity" not in board

    services.clinician_name_approve(clinician=verified, actor=UserFactory(is_staff=True))
    page = client.get(reverse("clinicians:public_verification", args=[verified.public_id])).content.decode()
    assert "Dr Famous Celebrity" in page


def test_saving_the_profile_without_changing_the_name_sends_nothing_to_review(verified):
    services.clinician_profile_update(clinician=verified, data={"display_name": "Dr Jane Example", "bio": "New"})
    verified.refresh_from_db()
    assert not verified.name_change_pending


def test_the_admin_lists_pending_names_and_approves_them(client, admin_user, verified):
    services.clinician_profile_update(clinician=verified, data={"display_name": "Dr J. Example"})
    client.force_login(admin_user)
    changelist = reverse("admin:clinicians_clinician_changelist")
    page = client.get(changelist, {"name_change_pending__exact": "1"}).content.decode()
    assert "Dr J. Example" in page
    client.post(changelist, {"action": "approve_display_name", "_selected_action": [verified.pk]})
    verified.refresh_from_db()
    assert (verified.verified_name, verified.name_change_pending) == ("Dr J. Example", False)
