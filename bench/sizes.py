"""Database size per activity: the activity table, the ledger and what the pricing keeps per
activity, with each index's size and how often the planner used it since the statistics reset.

The justification of each index is stated next to the index in its model's ``Meta`` (and in README
"Database size per activity"); the benchmark reports the bytes, so an index whose cost grows
without a reader shows up in the table.
"""

from django.db import connection

from campaigns.models import Activity
from incentives.models import ActivityTotal, LedgerEntry, LedgerLink

# Everything stored once per activity (or per ledger entry, about one per activity).
PER_ACTIVITY_MODELS = (Activity, LedgerEntry, ActivityTotal, LedgerLink)


def database_size_measure() -> dict:
    """Bytes of each table (heap + TOAST) and each of its indexes, and the total per activity."""
    tables, indexes = {}, {}
    with connection.cursor() as cursor:
        for model in PER_ACTIVITY_MODELS:
            table = model._meta.db_table
            cursor.execute(
                "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass),"
                " (SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)",
                [table, table, table],
            )
            heap, index_bytes, rows = cursor.fetchone()
            tables[table] = {"table_bytes": heap, "index_bytes": index_bytes, "rows_estimate": max(rows, 0)}
            cursor.execute(
                "SELECT s.indexrelname, pg_relation_size(s.indexrelid), s.idx_scan"
                " FROM pg_stat_user_indexes s WHERE s.relid = %s::regclass ORDER BY 2 DESC",
                [table],
            )
            for name, size, scans in cursor.fetchall():
                indexes[name] = {"table": table, "bytes": size, "scans": scans}
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(Activity._meta.db_table)}")  # noqa: S608
        activities = cursor.fetchone()[0]
    total = sum(t["table_bytes"] + t["index_bytes"] for t in tables.values())
    return {
        "activities": activities,
        "total_bytes": total,
        "bytes_per_activity": round(total / activities, 1) if activities else None,
        "tables": tables,
        "indexes": indexes,
    }
