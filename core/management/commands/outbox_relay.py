"""`manage.py outbox_relay`: the long-running process that publishes the transactional outbox.

It publishes what the after-commit fast path could not (broker down, web process killed between
commit and publish), backs failures off, and purges old sent rows. Run one or more (they share the
work through SKIP LOCKED on PostgreSQL); the Procfile starts one with `make run`.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections

from core.services import outbox_purge, outbox_relay_batch

logger = logging.getLogger("core.outbox")

PURGE_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Publish due outbox messages to the Celery broker, retry failures, purge old sent rows."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Publish what is due now and exit.")
        parser.add_argument("--interval", type=float, default=settings.OUTBOX_RELAY_INTERVAL_SECONDS)
        parser.add_argument("--batch-size", type=int, default=settings.OUTBOX_RELAY_BATCH_SIZE)

    def handle(self, *, once: bool, interval: float, batch_size: int, **options) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        if once:
            batch = outbox_relay_batch(limit=batch_size)
            self.stdout.write(f"sent {batch.sent}, failed {batch.failed}")
            return
        logger.info("outbox relay started (every %.1f s, %d per round)", interval, batch_size)
        last_purge = 0.0
        while not self.stopping:
            try:
                batch = outbox_relay_batch(limit=batch_size)
                if batch.sent:
                    logger.info("outbox relay: sent %d", batch.sent)
                if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                    purged = outbox_purge()
                    last_purge = time.monotonic()
                    if purged:
                        logger.info("outbox relay: purged %d sent messages", purged)
            except DatabaseError as error:
                # The database is restarting or unreachable: drop the broken connection and retry.
                logger.warning("outbox relay: database error (%r); retrying", error)
                connections.close_all()
                batch = None
            if batch is not None and batch.sent == batch_size and not batch.broker_down:
                continue  # a backlog: keep going without sleeping
            self._sleep(interval)
        logger.info("outbox relay stopped")

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
