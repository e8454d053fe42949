"""The floors: what PostgreSQL itself needs on the same tables, timed in the same run.

Recompute floor: one `SELECT clinician_id, SUM(points) ... GROUP BY` with `RANK() OVER` (overall and
per specialty), pricing accepted activities of verified clinicians with the current rule set's base
points, evidence bonus, capped engagement bonus and campaign multiplier.
Export floor: `COPY (<the SELECT the raw activity export runs>) TO STDOUT WITH (FORMAT csv)` into a
byte-counting sink. The SELECT is the export's own queryset for the same period, so the ratio counts
only what the export adds: writing the file, progress, the process around it.
"""

import datetime as dt
import json
import statistics
import time
from dataclasses import dataclass

from django.db import connection

from campaigns.models import Category
from incentives.models import RuleSet
from reports.renderers import queryset_sql
from reports.selectors import ReportScope, activity_export_queryset

# Used when no rule set exists yet: mission categories highest, practice marketing lowest.
DEFAULT_CATEGORY_POINTS = {
    Category.MISINFORMATION_CORRECTION: 12,
    Category.PUBLIC_EDUCATION: 10,
    Category.PUBLIC_HEALTH_ADVOCACY: 8,
    Category.RESEARCH_DISSEMINATION: 6,
    Category.PROFESSIONAL_NETWORKING: 3,
    Category.RECRUITMENT: 3,
    Category.PROFESSIONAL_DEVELOPMENT: 2,
    Category.PRACTICE_MARKETING: 1,
}

RECOMPUTE_FLOOR_SQL = """
WITH priced AS (
    SELECT a.clinician_id,
           (COALESCE((%(points)s::jsonb ->> a.category)::int, 0)
            + CASE WHEN a.category = 'misinformation_correction' AND a.citation_count > 0
                   THEN %(evidence)s ELSE 0 END
            + LEAST(%(cap)s, FLOOR(LOG(GREATEST(a.impressions, 1)) * %(per_decade)s))
           ) * COALESCE(cp.multiplier, 1) AS points
    FROM campaigns_activity a
    JOIN clinicians_clinician c ON c.id = a.clinician_id
    LEFT JOIN campaigns_campaign cp ON cp.id = a.campaign_id
    WHERE a.status = 'accepted' AND c.verification_status = 'verified'
), totals AS (
    SELECT clinician_id, SUM(points) AS total FROM priced GROUP BY clinician_id
)
SELECT t.clinician_id, t.total,
       RANK() OVER (ORDER BY t.total DESC) AS rank_overall,
       RANK() OVER (PARTITION BY c.specialty ORDER BY t.total DESC) AS rank_specialty
FROM totals t JOIN clinicians_clinician c ON c.id = t.clinician_id
"""


@dataclass
class Timed:
    seconds: float
    rows: int


class _ByteSink:
    """A file-like target for COPY that only counts what it receives.

    libpq hands COPY data over one row per write, so writes count rows, line breaks inside values too.
    """

    def __init__(self) -> None:
        self.size = 0
        self.rows = 0

    def write(self, data) -> int:
        self.size += len(data)
        self.rows += 1
        return len(data)


def _median(runs: list[Timed]) -> Timed:
    seconds = statistics.median(run.seconds for run in runs)
    return Timed(seconds=seconds, rows=runs[0].rows)


def _rule_parameters() -> dict:
    rules = RuleSet.objects.order_by("-version").first()
    if rules is None:
        return {
            "points": json.dumps({str(k): v for k, v in DEFAULT_CATEGORY_POINTS.items()}),
            "evidence": 5,
            "cap": 10,
            "per_decade": 2,
        }
    return {
        "points": json.dumps(rules.category_points),
        "evidence": rules.evidence_bonus,
        "cap": rules.engagement_bonus_cap,
        "per_decade": rules.engagement_bonus_per_decade,
    }


def recompute_floor(*, repeat: int = 3) -> Timed:
    """Median time of the bare pricing + GROUP BY + RANK() query, all rows fetched."""
    parameters = _rule_parameters()
    runs = []
    for _ in range(repeat):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(RECOMPUTE_FLOOR_SQL, parameters)
            rows = cursor.fetchall()
            runs.append(Timed(seconds=time.perf_counter() - started, rows=len(rows)))
    return _median(runs)


def export_period_for(rows: int) -> tuple[dt.date, dt.date]:
    """A period of whole UTC days, ending tomorrow, that holds about `rows` of the newest activities."""
    end = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT posted_at FROM campaigns_activity ORDER BY posted_at DESC OFFSET %s LIMIT 1", [max(rows - 1, 0)]
        )
        found = cursor.fetchone()
        if found is None:
            cursor.execute("SELECT MIN(posted_at) FROM campaigns_activity")
            found = cursor.fetchone()
    start = found[0].astimezone(dt.UTC).date() if found and found[0] else end - dt.timedelta(days=365)
    return start, end


def export_floor(*, start: dt.date, end: dt.date, repeat: int = 3) -> Timed:
    """Median time of COPY (the export's SELECT for the whole days start..end) TO STDOUT, into a sink."""
    query = queryset_sql(activity_export_queryset(scope=ReportScope(start=start, end=end)))
    runs = []
    for _ in range(repeat):
        with connection.cursor() as cursor:
            sink = _ByteSink()
            started = time.perf_counter()
            cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", sink)
            runs.append(Timed(seconds=time.perf_counter() - started, rows=sink.rows))
    return _median(runs)
