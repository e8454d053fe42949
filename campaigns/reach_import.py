"""Imported reach: scheduling and storing readings of proven posts' figures, and re-pricing from them.

About 1 hour, 1 day and 7 days after an accepted post from a proven account was posted, the beat
task ``metric_readings_schedule`` creates a due ``MetricReading`` (the unique (activity, checkpoint)
pair is the claim, so nothing is scheduled twice) and promises the worker's fetch through the
outbox. The worker (``metric_reading_fetch``) reads the figures (campaigns.reach_readers), stores them
on the reading, and, when it is the post's latest reading, replaces the activity's figures through
``activity_metrics_update`` marked as imported: ``activity_updated`` fires and the award re-prices.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.models import Activity, ActivityProof, ActivityStatus, MetricReading, ReadingCheckpoint, ReadingStatus
from campaigns.reach_readers import ReachNotReadable, ReachUnavailable, post_figures_fetch, readable_platforms
from campaigns.services import METRIC_MAX, MetricsImport, activity_metrics_update
from core.services import outbox_enqueue

CHECKPOINT_DELAYS: dict[str, dt.timedelta] = {
    ReadingCheckpoint.HOUR: dt.timedelta(hours=1),
    ReadingCheckpoint.DAY: dt.timedelta(days=1),
    ReadingCheckpoint.WEEK: dt.timedelta(days=7),
}


# Posts shown to be the clinician's own: matched to a proven account, or confirmed by a moderator
# (YouTube and Reddit links do not show who posted them). Grandfathered posts are not read.
OWNED_PROOFS = (ActivityProof.PROVEN, ActivityProof.MODERATOR)


class ReadingRetryLater(Exception):
    """The platform could not answer; the task retries after ``countdown`` seconds."""

    def __init__(self, message: str, *, countdown: float):
        super().__init__(message)
        self.countdown = countdown


def reading_backoff_seconds(*, attempts: int, retry_after: float | None) -> float:
    """Wait before the next try: the platform's Retry-After when it sent one, else exponential."""
    if retry_after is not None:
        return min(max(retry_after, 1.0), settings.REACH_BACKOFF_MAX_SECONDS)
    return min(settings.REACH_BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.REACH_BACKOFF_MAX_SECONDS)


def metric_readings_schedule(*, now: dt.datetime | None = None) -> int:
    """Create the readings that fell due and promise their fetch; returns how many were created.

    Only accepted posts shown to be the clinician's own (OWNED_PROOFS), on a platform the worker
    can read; a checkpoint missed by more than REACH_READING_WINDOW_HOURS is skipped.
    """
    from campaigns.tasks import metric_reading_fetch

    now = now or timezone.now()
    window = dt.timedelta(hours=settings.REACH_READING_WINDOW_HOURS)
    created = 0
    for checkpoint, delay in CHECKPOINT_DELAYS.items():
        due = (
            Activity.objects.accepted()
            .filter(
                proof__in=OWNED_PROOFS,
                platform__in=readable_platforms(),
                posted_at__lte=now - delay,
                posted_at__gt=now - delay - window,
            )
            .exclude(metric_readings__checkpoint=checkpoint)
            .values_list("pk", "platform", "posted_at")
        )
        for activity_id, platform, posted_at in due:
            with transaction.atomic():
                reading, made = MetricReading.objects.get_or_create(
                    activity_id=activity_id,
                    checkpoint=checkpoint,
                    defaults={"due_at": posted_at + delay, "platform": platform, "created_at": now},
                )
                if made:
                    outbox_enqueue(task=metric_reading_fetch, args=[reading.pk])
                    created += 1
    return created


def _fail(reading_id: int, error: str) -> None:
    MetricReading.objects.filter(pk=reading_id, status=ReadingStatus.DUE).update(
        status=ReadingStatus.FAILED, error=error[:300]
    )


def metric_reading_import(*, reading_id: int) -> str:
    """Fetch one due reading, store it and re-price the activity from it; returns the outcome.

    Safe to run twice: a reading that is no longer due is left alone. A platform that cannot answer
    now (429, 5xx, timeout, rate limit) raises ReadingRetryLater with the wait, until
    REACH_MAX_ATTEMPTS tries, after which the reading is marked failed.
    """
    reading = MetricReading.objects.select_related("activity__proof_account").filter(pk=reading_id).first()
    if reading is None or reading.status != ReadingStatus.DUE:
        return "not due"
    activity = reading.activity
    if activity.status != ActivityStatus.ACCEPTED or activity.proof not in OWNED_PROOFS:
        _fail(reading.pk, f"the activity is {activity.status} ({activity.proof}); not read")
        return "skipped"
    account_id = activity.proof_account.provider_account_id if activity.proof_account else ""
    try:
        figures = post_figures_fetch(platform=activity.platform, url=activity.url, account_id=account_id)
    except ReachNotReadable as error:
        _fail(reading.pk, str(error))
        return "failed"
    except ReachUnavailable as error:
        attempts = reading.attempts + 1
        MetricReading.objects.filter(pk=reading.pk, status=ReadingStatus.DUE).update(
            attempts=attempts, error=str(error)[:300]
        )
        if attempts >= settings.REACH_MAX_ATTEMPTS:
            _fail(reading.pk, f"gave up after {attempts} tries: {error}")
            return "failed"
        raise ReadingRetryLater(
            str(error), countdown=reading_backoff_seconds(attempts=attempts, retry_after=error.retry_after)
        ) from error
    return _reading_store(reading_id=reading.pk, figures=figures)


@transaction.atomic
def _reading_store(*, reading_id: int, figures) -> str:
    reading = MetricReading.objects.select_for_update().get(pk=reading_id)
    if reading.status != ReadingStatus.DUE:
        return "not due"
    now = timezone.now()
    reading.status = ReadingStatus.DONE
    reading.fetched_at = now
    reading.source_api = figures.source_api
    reading.attempts += 1
    reading.error = ""
    for name, value in figures.metrics().items():
        setattr(reading, name, value)
    reading.save()
    later_done = MetricReading.objects.filter(
        activity_id=reading.activity_id, status=ReadingStatus.DONE, due_at__gt=reading.due_at
    ).exists()
    if later_done:
        # A late retry of an earlier checkpoint: kept as evidence, but the newer figures stand.
        return "stored"
    metrics = {name: min(value, METRIC_MAX) for name, value in figures.metrics().items()}
    try:
        activity_metrics_update(
            activity=reading.activity,
            metrics=metrics,
            imported=MetricsImport(source_api=figures.source_api, fetched_at=now),
        )
    except ValidationError:
        # Withdrawn or rejected while the platform was being read: the reading stays as evidence only.
        return "stored"
    return "imported"
