"""On PostgreSQL with real threads and a real worker: duplicate and concurrent deliveries of award
events leave the ledger as if each ran once; a committed accepted signal reaches the Score."""

import threading

import pytest
from celery.exceptions import Retry
from django.db import close_old_connections, connection, transaction

from campaigns.models import Activity
from campaigns.signals import activity_status_changed
from incentives.models import LedgerEntry, Score
from incentives.services import activity_award
from incentives.tasks import award_activity
from tests.conftest import require_services, wait_for
from tests.factories import ActivityFactory, VerifiedClinicianFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _concurrently(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        close_old_connections()
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_same_event_delivered_twice_concurrently_is_written_once():
    require_services()
    activity = ActivityFactory()
    results = _concurrently(*[lambda: activity_award(activity_id=activity.pk)] * 4)
    assert sorted(results) == [0, 0, 0, 1]
    assert list(LedgerEntry.objects.filter(activity=activity).values_list("amount", flat=True)) == [26]
    award_activity.apply(args=[activity.pk])
    assert LedgerEntry.objects.count() == 1


def test_two_events_for_one_activity_and_its_week_agree_with_running_once():
    require_services()
    clinician = VerifiedClinicianFactory()
    first = ActivityFactory(clinician=clinician)
    second = ActivityFactory(clinician=clinician)
    Activity.objects.filter(pk=first.pk).update(impressions=10**6)
    _concurrently(
        lambda: activity_award(activity_id=first.pk),
        lambda: activity_award(activity_id=first.pk),
        lambda: activity_award(activity_id=second.pk),
    )
    totals = {
        a.pk: sum(LedgerEntry.objects.filter(activity=a).values_list("amount", flat=True)) for a in (first, second)
    }
    assert totals == {first.pk: 30, second.pk: 26}
    assert LedgerEntry.objects.count() == 2
    assert Score.objects.get(clinician=clinician).lifetime == 56


def test_a_real_worker_prices_a_committed_acceptance(live_worker):
    require_services()
    activity = ActivityFactory()
    with transaction.atomic():
        activity_status_changed.send(
            sender=Activity, activity_id=activity.pk, old_status="submitted", new_status="accepted"
        )
    score = wait_for(
        lambda: Score.objects.filter(clinician=activity.clinician, lifetime=26).first(),
        timeout=60,
        message="the worker to price the activity",
    )
    assert score.balance == 26


def test_an_award_that_hits_a_transient_database_error_is_retried_and_completes(settings):
    """A lock wait that times out (OperationalError: LockNotAvailable) is transient: the task asks
    Celery for a retry with backoff instead of failing, and the retry prices the activity."""
    require_services()
    settings.INCENTIVES_PRICING_LOCK_TIMEOUT_MS = 200
    activity = ActivityFactory(clinician=VerifiedClinicianFactory())
    locked, release = threading.Event(), threading.Event()

    def hold_the_clinician_row():
        close_old_connections()
        try:
            with transaction.atomic():
                list(type(activity.clinician).objects.select_for_update().filter(pk=activity.clinician_id))
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_clinician_row)
    holder.start()
    assert locked.wait(timeout=30)
    try:
        with pytest.raises(Retry) as retry:
            award_activity.apply(args=[activity.pk])
    finally:
        release.set()
        holder.join(timeout=30)
    assert "lock timeout" in str(retry.value.exc)
    assert not LedgerEntry.objects.filter(activity=activity).exists()

    award_activity.apply(args=[activity.pk], retries=1)  # the retry Celery sends after the backoff

    assert LedgerEntry.objects.filter(activity=activity).count() == 1
