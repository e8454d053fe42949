"""The transactional outbox: a Celery task promised inside a transaction is a row, published later.

`outbox_enqueue` writes the row in the caller's transaction. After commit a fast path publishes it
at once (the common case costs one INSERT and one UPDATE); a broker error there is logged and left
to the relay, never raised to the user. The `outbox_relay` command runs `outbox_relay_batch` in a
loop: it claims due rows (`SELECT ... FOR UPDATE SKIP LOCKED` where the database has it, so several
relays never publish the same row at once), publishes them with `apply_async`, marks them sent and
puts failures back with exponential backoff and jitter. `outbox_purge` deletes old sent rows.

Delivery is at least once: a relay that dies between publishing and marking a row sent publishes
it again, so every consumer is idempotent (pricing writes differences, builds claim the report,
releases find nothing the second time).

Core knows no app: tasks are named by their Celery name and looked up in the Celery registry.
"""

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import kombu.pools
from celery import current_app
from celery.exceptions import NotRegistered
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from core.models import OutboxMessage
from core.request_id import current_request_id

logger = logging.getLogger(__name__)


def outbox_enqueue(*, task, args: Sequence = (), kwargs: dict | None = None, queue: str = "") -> OutboxMessage:
    """Promise `task(*args, **kwargs)` in the caller's transaction; publish it once that commits.

    `task` is a Celery task or its name; arguments must be JSON (primary keys, strings). An empty
    queue means the task's own queue or route.
    """
    name = task if isinstance(task, str) else task.name
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task=name,
        args=list(args),
        kwargs=kwargs or {},
        queue=queue,
        request_id=current_request_id(),
        created_at=now,
        # The relay leaves the row to the fast path for a moment, so a healthy broker sees one
        # publish per message, not two.
        next_attempt_at=now + timedelta(seconds=settings.OUTBOX_FAST_PATH_GRACE_SECONDS),
    )
    transaction.on_commit(partial(_publish_after_commit, message))
    return message


def _publish_after_commit(message: OutboxMessage) -> None:
    """The fast path: publish now; on any error log it and leave the row to the relay."""
    try:
        _publish(message)
    except Exception as error:  # noqa: BLE001 - whatever fails here, the committed row is the fallback
        logger.warning(
            "outbox: could not publish %s #%s now; the relay will retry: %r", message.task, message.pk, error
        )
        try:
            _failure_record(message=message, error=error)
        except DatabaseError:
            logger.exception("outbox: could not record the failure of #%s", message.pk)
        return
    try:
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1
        )
    except DatabaseError:
        # Published but not marked: the relay publishes it again later, which consumers tolerate.
        logger.exception("outbox: published #%s but could not mark it sent", message.pk)


def _task(name: str):
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _producers():
    """A producer pool whose connections fail at once when the broker is down.

    Celery's own pool retries the connection for about six seconds before giving up even with
    retry=False (kombu's failover defaults); the outbox is the retry, so a request must not wait.
    kombu keys pools by the connection's options, so this pool is separate from Celery's.
    """
    connection = current_app.connection_for_write(transport_options={"max_retries": 0})
    return kombu.pools.producers[connection]


def _publish(message: OutboxMessage) -> None:
    options = {"queue": message.queue} if message.queue else {}
    if message.request_id:
        options["headers"] = {"request_id": message.request_id}
    task = _task(message.task)
    if task.app.conf.task_always_eager:
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)
        return
    with _producers().acquire(block=True, timeout=10) as producer:
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=False, producer=producer, **options)


def _broker_down(error: BaseException) -> bool:
    """Does this error mean "the broker is unreachable" (as opposed to a bad message)?"""
    if isinstance(error, NotRegistered):
        return False  # a KeyError, which kombu's Redis transport counts among its connection errors
    transport_errors = tuple(current_app.connection_for_write().connection_errors)
    return isinstance(error, (KombuOperationalError, OSError, *transport_errors))


def backoff_seconds(*, attempts: int, base: float, cap: float) -> float:
    """Exponential backoff with equal jitter: base * 2**(attempts-1) capped, the upper half random,
    so retries of many messages after one outage spread out instead of arriving together."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not security


def outbox_backoff_seconds(attempts: int) -> float:
    return backoff_seconds(
        attempts=attempts, base=settings.OUTBOX_RETRY_BASE_SECONDS, cap=settings.OUTBOX_RETRY_MAX_SECONDS
    )


def _failure_record(*, message: OutboxMessage, error: BaseException) -> None:
    attempts = message.attempts + 1
    message.attempts = attempts
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        attempts=attempts,
        next_attempt_at=timezone.now() + timedelta(seconds=outbox_backoff_seconds(attempts)),
        last_error=repr(error)[:2000],
    )


@dataclass(frozen=True)
class RelayBatch:
    sent: int
    failed: int
    broker_down: bool


def outbox_relay_batch(*, limit: int = 100, now: datetime | None = None) -> RelayBatch:
    """Claim up to `limit` due messages, publish them, mark them sent or back off each failure.

    A broker error ends the batch (the rest stay due and are tried on the next round); any other
    error (an unknown task, say) backs off that message alone.
    """
    sent_ids: list[int] = []
    failed = 0
    broker_down = False
    now = now or timezone.now()
    # An idle poll (the usual case) opens no transaction: on SQLite a transaction takes the write
    # lock (BEGIN IMMEDIATE), which the web and worker processes would then wait for every second.
    if not OutboxMessage.objects.due(now=now).exists():
        return RelayBatch(sent=0, failed=0, broker_down=False)
    with transaction.atomic():
        due = OutboxMessage.objects.due(now=now)
        if connection.features.has_select_for_update_skip_locked:
            # Race: two relays (or a relay and a slow fast path) polling at once. A row locked by
            # one relay is skipped by the other, so a healthy pair never publishes a row twice.
            due = due.select_for_update(skip_locked=True)
        for message in due[:limit]:
            try:
                _publish(message)
            except Exception as error:  # noqa: BLE001 - every failure is recorded on its row and retried
                failed += 1
                _failure_record(message=message, error=error)
                if _broker_down(error):
                    broker_down = True
                    logger.warning("outbox relay: broker unreachable (%r); will retry", error)
                    break
                logger.error("outbox relay: %s #%s failed: %r", message.task, message.pk, error)
                continue
            sent_ids.append(message.pk)
        if sent_ids:
            OutboxMessage.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    return RelayBatch(sent=len(sent_ids), failed=failed, broker_down=broker_down)


def outbox_purge(*, now: datetime | None = None) -> int:
    """Delete messages sent longer ago than the retention (OUTBOX_RETENTION_HOURS)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.OUTBOX_RETENTION_HOURS)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
