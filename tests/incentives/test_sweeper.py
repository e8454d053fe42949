"""The award sweeper: an activity whose change no award priced (its worker died, its message was
lost) is re-queued after a few minutes and priced; priced ones are left alone."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Activity
from incentives.models import ActivityTotal, LedgerEntry
from incentives.selectors import activities_awaiting_pricing
from incentives.services import activity_award, awards_requeue_unpriced
from tests.factories import ActivityFactory, VerifiedClinicianFactory

pytestmark = pytest.mark.django_db


def _changed(activity, *, seconds_ago: int) -> None:
    Activity.objects.filter(pk=activity.pk).update(updated_at=timezone.now() - dt.timedelta(seconds=seconds_ago))


def test_it_requeues_an_accepted_activity_that_no_award_priced(settings, django_capture_on_commit_callbacks):
    activity = ActivityFactory(clinician=VerifiedClinicianFactory())
    _changed(activity, seconds_ago=settings.AWARD_STALE_AFTER_SECONDS + 5)
    assert not LedgerEntry.objects.filter(activity=activity).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes after commit
        assert awards_requeue_unpriced() == [activity.pk]  # eager in tests: the award runs

    assert LedgerEntry.objects.filter(activity=activity).count() == 1
    assert activities_awaiting_pricing(now=timezone.now()) == []


def test_it_requeues_a_metric_change_made_after_the_last_pricing(settings):
    activity = ActivityFactory(clinician=VerifiedClinicianFactory())
    activity_award(activity_id=activity.pk)
    stamp = ActivityTotal.objects.get(activity=activity).priced_change_at
    Activity.objects.filter(pk=activity.pk).update(impressions=50_000, updated_at=stamp + dt.timedelta(seconds=1))
    later = stamp + dt.timedelta(seconds=settings.AWARD_STALE_AFTER_SECONDS + 10)
    assert activities_awaiting_pricing(now=later) == [activity.pk]


def test_it_leaves_priced_recent_and_old_activities_alone(settings):
    priced = ActivityFactory(clinician=VerifiedClinicianFactory())
    activity_award(activity_id=priced.pk)
    recent = ActivityFactory(clinician=VerifiedClinicianFactory())  # its award may still be queued
    old = ActivityFactory(clinician=VerifiedClinicianFactory())
    _changed(old, seconds_ago=settings.AWARD_SWEEP_LOOKBACK_HOURS * 3600 + 60)  # the recompute's
    now = timezone.now() + dt.timedelta(seconds=60)
    assert recent.pk not in activities_awaiting_pricing(now=now - dt.timedelta(seconds=60))
    stale_now = priced.updated_at + dt.timedelta(seconds=settings.AWARD_STALE_AFTER_SECONDS + 1)
    assert priced.pk not in activities_awaiting_pricing(now=stale_now)
    assert old.pk not in activities_awaiting_pricing(now=now)
