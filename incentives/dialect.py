"""Every difference between PostgreSQL and SQLite that the raw SQL of incentives.pricing and
incentives.scoring depends on, in one place. Everything else in those modules is portable SQL.

- time arithmetic (epoch seconds of a timestamp);
- row locks (``FOR UPDATE OF``; SQLite serialises writers with its IMMEDIATE transactions);
- the pricing advisory lock and the recompute's session settings (PostgreSQL only);
- data-modifying ``WITH`` clauses (PostgreSQL), which let several writes answer in one round trip.
"""

from django.conf import settings
from django.db import connection

_EPOCH_SECONDS = {
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)",
    "sqlite": "CAST(strftime('%%s', {column}) AS INTEGER)",
}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def epoch_seconds_sql(column: str) -> str:
    """SQL for the whole seconds since the epoch of a timestamp column, on this database."""
    return _EPOCH_SECONDS[connection.vendor].format(column=column)


def from_epoch_sql(seconds: str) -> str:
    """SQL for the timestamp ``seconds`` (an SQL expression) after the epoch, comparable with stored
    timestamps (SQLite stores UTC text; the text without a fraction sorts first in its second)."""
    if is_postgresql():
        return f"to_timestamp({seconds})"
    return f"datetime({seconds}, 'unixepoch')"


def for_update_of_sql(alias: str) -> str:
    """`` FOR UPDATE OF alias`` where row locks exist (PostgreSQL), else nothing."""
    return f" FOR UPDATE OF {alias}" if is_postgresql() else ""


def writable_cte() -> bool:
    """Whether INSERT/UPDATE ... RETURNING may appear in a WITH clause (PostgreSQL)."""
    return is_postgresql()


def advisory_lock(key: int, *, exclusive: bool) -> None:
    """Take a transaction-level advisory lock (PostgreSQL; a no-op on SQLite, whose write
    transactions are already serialised). The shared side waits at most
    INCENTIVES_PRICING_LOCK_TIMEOUT_MS, in the same round trip."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        if exclusive:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        else:
            # One round trip: the select list is evaluated left to right, so the timeout is set first.
            timeout = f"{int(settings.INCENTIVES_PRICING_LOCK_TIMEOUT_MS)}ms"
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock_shared(%s)", [timeout, key]
            )


def recompute_session_settings() -> None:
    """Settings for the statements of the full recompute, which run once over every row."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.INCENTIVES_RECOMPUTE_WORK_MEM])
        # Compiling these statements costs more than it saves.
        cursor.execute("SELECT set_config('jit', 'off', true)")
        # The planner cannot estimate the pricing CTEs' sizes and would sort every activity twice
        # for merge joins against the few capped weeks; hash joins take 35% less time.
        cursor.execute("SELECT set_config('enable_mergejoin', 'off', true)")


def analyse_temporary(table: str) -> None:
    """Temporary tables get no statistics from autovacuum; the statements that follow need them."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}", [])
