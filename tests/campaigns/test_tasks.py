"""The release task on a real Celery worker: verification enqueues it on commit, the worker runs it."""

import pytest
from django.db import transaction

from campaigns.models import ActivityStatus
from clinicians.models import Clinician
from clinicians.signals import verification_status_changed
from tests.conftest import wait_for
from tests.factories import ActivityFactory, ClinicianFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_releases_a_newly_verified_clinicians_posts(live_worker):
    clinician = ClinicianFactory(verification_status="pending")
    waiting = ActivityFactory(clinician=clinician, status=ActivityStatus.SUBMITTED)
    with transaction.atomic():
        Clinician.objects.filter(pk=clinician.pk).update(verification_status="verified")
        verification_status_changed.send(
            sender=Clinician, clinician_id=clinician.pk, old_status="pending", new_status="verified"
        )
    wait_for(
        lambda: type(waiting).objects.filter(pk=waiting.pk, status=ActivityStatus.ACCEPTED).exists(),
        timeout=60,
        message="activity released by the worker",
    )
    assert any("campaigns.tasks.activities_release" in line for line in live_worker.log)
