"""Which database connection a query uses: the primary, its streaming read replica, or the primary
without the connection pooler.

Three aliases exist when the environment names them (advocacy_portal.settings):

- ``default``: the primary, in production through PgBouncer in transaction pooling mode.
- ``replica`` (DATABASE_REPLICA_URL): a hot standby fed by streaming replication. Only code that
  opts in with :func:`replica_reads` reads it: report builds and staff statistics, which scan much
  and may be a few seconds behind. Everything else, and every write, stays on the primary, so a
  user always reads what they just wrote.
- ``direct`` (DATABASE_DIRECT_URL): the primary without the pooler, for what transaction pooling
  cannot carry across statements (session-level settings, LISTEN, session advisory locks). The
  portal's own locks and settings are transaction-scoped (``pg_advisory_xact_lock``,
  ``set_config(..., true)``, COPY in one statement), so no request or task needs it:
  ``manage.py migrate --database direct`` and the backups use it.

Without DATABASE_REPLICA_URL, :func:`replica_reads` changes nothing (``make run``, ``make test``).
"""

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
DIRECT = "direct"
_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds() -> float | None:
    """Seconds since the replica last replayed a transaction (None when unknown or no replica)."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) WHERE pg_is_in_recovery()")
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else None


def _replica_has_replayed(lsn: str) -> bool:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
        return bool(cursor.fetchone()[0])


def replica_catch_up(*, timeout: float | None = None) -> bool:
    """Wait until the replica has replayed everything the primary had committed when this was
    called (read-your-writes for a job that reads the replica right after a request committed).
    True when it has; False after `timeout` seconds (REPLICA_CATCH_UP_SECONDS) or on any error."""
    timeout = settings.REPLICA_CATCH_UP_SECONDS if timeout is None else timeout
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            lsn = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        while not _replica_has_replayed(lsn):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    except DatabaseError:
        logger.warning("replica: could not compare its position with the primary's", exc_info=True)
        return False
    return True


@contextlib.contextmanager
def replica_reads(*, catch_up: bool = True) -> Iterator[str]:
    """Within the block, reads go to the replica; writes always go to the primary. Yields the alias
    reads use. With catch_up (a job reading what a request just committed, e.g. a report), the
    replica is first given REPLICA_CATCH_UP_SECONDS to replay the primary's position, else the block
    reads the primary (logged). A dashboard passes catch_up=False: figures a moment old are fine."""
    if not replica_configured() or _reading_replica.get():
        yield REPLICA if _reading_replica.get() else PRIMARY
        return
    if catch_up and not replica_catch_up():
        logger.warning("replica: more than %ss behind; reading the primary", settings.REPLICA_CATCH_UP_SECONDS)
        yield PRIMARY
        return
    token = _reading_replica.set(True)
    try:
        yield REPLICA
    finally:
        _reading_replica.reset(token)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside replica_reads() go to the replica, all else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reading_replica.get() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica is a copy of the primary: an object read from either relates to the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        # The replica is read-only; `direct` is the primary itself, without the pooler.
        return db in (PRIMARY, DIRECT)
