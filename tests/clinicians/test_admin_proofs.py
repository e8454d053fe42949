"""Admin for account proofs: status and method on the linked-account changelist, filters, and the
"proven by staff" action that records who and why."""

import pytest
from django.urls import reverse

from campaigns.models import ActivityProof
from clinicians.models import Platform, ProofMethod, ProofStatus
from tests.factories import ActivityFactory, ProvenSocialAccountFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:clinicians_socialaccount_changelist")


def test_the_changelist_shows_and_filters_proof_status_and_method(client, admin_user):
    ProvenSocialAccountFactory(handle="provenjane")
    SocialAccountFactory(handle="claimedbob")
    client.force_login(admin_user)
    page = client.get(CHANGELIST, {"proof_status__exact": ProofStatus.PROVEN}).content.decode()
    assert "provenjane" in page and "claimedbob" not in page
    assert "Signed in with the platform" in page


def test_proven_by_staff_asks_why_and_records_who(client, admin_user):
    account = SocialAccountFactory(platform=Platform.THREADS, handle="drjane")
    client.force_login(admin_user)
    form = client.post(CHANGELIST, {"action": "prove_by_staff", "_selected_action": [account.pk]})
    assert b"What you checked" in form.content
    account.refresh_from_db()
    assert account.proof_status == ProofStatus.SELF_REPORTED

    client.post(
        CHANGELIST,
        {
            "action": "prove_by_staff",
            "_selected_action": [account.pk],
            "apply": "1",
            "reason": "Video call; she showed the logged-in Threads app.",
        },
    )
    account.refresh_from_db()
    assert (account.proof_status, account.proof_method, account.proven_by) == (
        ProofStatus.PROVEN,
        ProofMethod.STAFF,
        admin_user,
    )
    assert account.proof_note.startswith("Video call")


def test_the_activity_changelist_filters_by_proof(client, admin_user):
    ActivityFactory(url="https://x.com/a/status/1", proof=ActivityProof.GRANDFATHERED)
    ActivityFactory(url="https://evil.example.com/post/1", proof=ActivityProof.UNPROVEN)
    client.force_login(admin_user)
    page = client.get(reverse("admin:campaigns_activity_changelist"), {"proof__exact": "unproven"}).content.decode()
    assert "evil.example.com" in page and "x.com/a/status/1" not in page
