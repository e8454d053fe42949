"""Deleted accounts earn nothing more: deletion withdraws waiting posts and ends verification, while
the kept ledger stays exactly as it was (also through a full recompute)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from advocacy_portal.services import account_delete
from campaigns import services as campaign_services
from campaigns.models import Activity, ActivityStatus, Category
from campaigns.services import ActivityInput
from clinicians.models import Clinician, VerificationStatus
from incentives.models import LedgerEntry
from incentives.services import scores_recompute
from tests.factories import ProvenSocialAccountFactory, UserFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def _post(clinician, url: str) -> Activity:
    data = ActivityInput(url=url, posted_at=timezone.now() - dt.timedelta(days=1), category=Category.PUBLIC_EDUCATION)
    return campaign_services.activity_record(clinician=clinician, data=data)


def _ledger_total(clinician) -> int:
    return LedgerEntry.objects.filter(clinician=clinician).aggregate(total=Sum("amount"))["total"] or 0


def test_deletion_withdraws_waiting_posts_ends_verification_and_keeps_the_ledger(django_capture_on_commit_callbacks):
    clinician = VerifiedClinicianFactory(public_profile=True)
    ProvenSocialAccountFactory(clinician=clinician, handle="drjane")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _post(clinician, "https://x.com/drjane/status/1")
        held = _post(clinician, "https://evil.example.com/post/1")
    earned = _ledger_total(clinician)
    assert earned > 0 and held.status == ActivityStatus.FLAGGED

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=clinician.user)

    clinician = Clinician.objects.get(pk=clinician.pk)
    assert clinician.verification_status == VerificationStatus.LAPSED
    assert Activity.objects.get(pk=held.pk).status == ActivityStatus.WITHDRAWN
    assert Activity.objects.get(pk=accepted.pk).status == ActivityStatus.ACCEPTED
    assert _ledger_total(clinician) == earned
    with pytest.raises(ValidationError):
        campaign_services.activity_accept(activity=held, actor=UserFactory(is_staff=True))
    scores_recompute()
    assert _ledger_total(clinician) == earned
