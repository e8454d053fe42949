"""How every report file writes a value, so that exports join cleanly (one rule, one place).

- Timestamps: ISO 8601 in UTC with its offset and whole seconds, `2026-10-02T14:05:09+00:00`
  (`timestamp_text` in Python, `TimestampText` in SQL for the rows PostgreSQL COPYs: the same text).
- Days: ISO 8601, `2026-10-02`.
- Clinicians: the public id (`Clinician.public_id`, the UUID the portal shows on the public
  verification page and the API returns), lower-case with dashes, in a column named "Clinician ID".
- Choices: the label people read ("Misinformation correction"), with the stored code in its own
  "... code" column where a file is meant to be joined with the API's codes.

XLSX keeps dates and timestamps as real date cells (UTC, without an offset, which Excel cannot
hold: the header says "(UTC)"); CSV and PDF write the text above.
"""

import datetime as dt
import uuid

from django.db.models import CharField, Func

CLINICIAN_ID_HEADER = "Clinician ID"


def timestamp_text(value: dt.datetime) -> str:
    """An aware datetime as the report text: UTC, whole seconds, explicit offset."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def text_value(value):
    """A value as CSV or PDF text: timestamps, days and ids in their one format; others unchanged."""
    if isinstance(value, dt.datetime):
        return timestamp_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def spreadsheet_value(value):
    """A value as an XLSX cell: timestamps become naive UTC datetimes (Excel holds no offset)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class TimestampText(Func):
    """SQL for `timestamp_text`: what the CSV renderer writes for a timestamp, computed by PostgreSQL
    (COPY path) or SQLite, truncated to whole seconds like the Python side."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="strftime('%%Y-%%m-%%dT%%H:%%M:%%S+00:00', %(expressions)s)", **extra_context
        )
