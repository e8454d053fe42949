"""Prometheus metrics: what /metrics exposes besides django-prometheus's request counters and
latency histograms (its middleware, advocacy_portal.settings).

- Celery tasks, counted and timed in the worker that runs them (signal handlers below):
  `portal_celery_tasks_total{task,state}` and `portal_celery_task_duration_seconds{task}`.
- Read at scrape time from the broker and the database (PortalStateCollector): the length of each
  queue (`portal_celery_queue_length{queue}`) and the outbox backlog
  (`portal_outbox_unsent_messages`, `portal_outbox_oldest_unsent_seconds`).

Web and worker processes on one host share their figures through prometheus_client's multiprocess
mode when PROMETHEUS_MULTIPROC_DIR names a directory they all write (deploy/systemd units), so one
scrape of /metrics sees every process's tasks and requests.
"""

import logging
import os
import time

from celery import current_app
from celery.signals import task_postrun, task_prerun, task_retry
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

QUEUES = ("default", "scores", "reports")
TASKS = Counter("portal_celery_tasks", "Celery tasks finished, by task and final state", ["task", "state"])
TASK_SECONDS = Histogram(
    "portal_celery_task_duration_seconds",
    "Celery task run time",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800),
)
_started: dict[str, float] = {}


@task_prerun.connect(dispatch_uid="core.metrics.prerun")
def _task_started(task_id: str = "", **kwargs) -> None:
    _started[task_id] = time.monotonic()


@task_postrun.connect(dispatch_uid="core.metrics.postrun")
def _task_finished(task_id: str = "", task=None, state: str | None = None, **kwargs) -> None:
    name = getattr(task, "name", "unknown")
    TASKS.labels(task=name, state=state or "UNKNOWN").inc()
    if (started := _started.pop(task_id, None)) is not None:
        TASK_SECONDS.labels(task=name).observe(time.monotonic() - started)


@task_retry.connect(dispatch_uid="core.metrics.retry")
def _task_retried(sender=None, **kwargs) -> None:
    TASKS.labels(task=getattr(sender, "name", "unknown"), state="RETRY_SCHEDULED").inc()


class PortalStateCollector:
    """Queue lengths and the outbox backlog, read when Prometheus scrapes (never stale)."""

    def collect(self):
        from core.models import OutboxMessage

        queues = GaugeMetricFamily("portal_celery_queue_length", "Messages waiting in a Celery queue", labels=["queue"])
        for queue, length in self._queue_lengths().items():
            queues.add_metric([queue], length)
        yield queues
        unsent = OutboxMessage.objects.unsent()
        oldest = unsent.order_by("created_at").values_list("created_at", flat=True).first()
        yield GaugeMetricFamily(
            "portal_outbox_unsent_messages", "Outbox messages not yet published", value=unsent.count()
        )
        yield GaugeMetricFamily(
            "portal_outbox_oldest_unsent_seconds",
            "Age of the oldest unpublished outbox message (0 when none)",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0.0,
        )

    @staticmethod
    def _queue_lengths() -> dict[str, int]:
        if not current_app.conf.broker_url.startswith(("redis://", "rediss://")):
            return {}
        try:
            with current_app.connection_for_read() as connection:
                redis = connection.default_channel.client  # a Redis queue is a list named after it
                return {queue: int(redis.llen(queue)) for queue in QUEUES}
        except Exception:  # a broker outage must not break the scrape; /healthz reports it
            logger.warning("metrics: could not read the queue lengths", exc_info=True)
            return {}


def metrics_exposition() -> bytes:
    """The text exposition of every metric: every process's (multiprocess mode) or this one's,
    then the state read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    state = CollectorRegistry()
    state.register(PortalStateCollector())
    return generate_latest(processes) + generate_latest(state)
