"""The one SQL definition of what an activity is worth, shared by the event path, the full recompute
and the rule-set preview, so that all three agree to the point.

Value of an activity (all integers, deterministic from stored rows):

1. Eligible only if the activity is accepted and its clinician is verified, or lapsed and the
   activity was posted no later than ``lapsed_at`` (points earned before a lapse stay).
2. ``raw = base[category] + evidence + engagement`` where ``evidence`` is the rule set's evidence
   bonus for misinformation corrections with at least one citation, and
   ``engagement = min(cap, per_decade * floor(log10(impressions)))`` (0 below 10 impressions; the
   logarithm is taken by comparing with powers of ten, so no floating point is involved). When the
   impressions are self-reported (typed, not imported from the platform's API) only
   ``floor(engagement * self_reported_engagement_share / 100)`` of it counts.
3. ``uncapped = floor((raw * round(multiplier * 100) + 50) / 100)``: the campaign multiplier,
   rounded half up to a whole point (no campaign: multiplier 1).
4. Caps, applied in order of ``(posted_at, id)``: first the weekly cap per clinician, category and
   ISO week (UTC), then the daily cap per clinician and UTC day on what the weekly cap left. Each
   activity gets ``max(0, min(its amount, cap - what earlier activities of the window got))``.
   Only the clinician-weeks where a cap can bind go through these running sums (``hot``: the
   week's amounts sum above the smaller of the two caps, or one is negative; no category-week or
   day of such a week can then exceed its cap). In every other week each activity keeps its
   uncapped amount, which is what the running sums would give. One grouping by clinician-week
   finds them, where checking each cap exactly would take two groupings of every activity.

Days are counted from the Unix epoch (``day = epoch_seconds // 86400``) and ISO weeks as
``(day + 3) // 7`` (1970-01-01 was a Thursday), so a UTC day always lies inside one ISO week and
re-pricing one clinician's week is exact.
"""

# SQL text is assembled only from fixed identifiers, choice values and int() numbers from the rule
# set; every value that comes from a request or a row is passed as a query parameter.
# ruff: noqa: S608

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from campaigns.models import ActivityStatus, Category, MetricSource
from clinicians.models import VerificationStatus
from incentives import dialect, tables
from incentives.models import LedgerKind, RuleSet

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def epoch_seconds_sql(column: str) -> str:
    """SQL for the whole seconds since the epoch of a timestamp column, on this database."""
    return dialect.epoch_seconds_sql(column)


def day_number_sql(column: str) -> str:
    return f"({epoch_seconds_sql(column)} / 86400)"


def week_bounds_of_day(day_no: int) -> tuple[datetime, datetime]:
    """Monday 00:00 UTC of the ISO week holding UTC day ``day_no`` (days since the epoch), and the
    Monday after: the same week as ``(day_no + 3) // 7`` in the SQL (1970-01-01 was a Thursday)."""
    start = EPOCH + dt.timedelta(days=((day_no + 3) // 7) * 7 - 3)
    return start, start + dt.timedelta(days=7)


def _category_points_sql(rule_set: RuleSet) -> str:
    # Only known category values and int() points reach the SQL text: nothing user-typed is inlined.
    whens = " ".join(
        f"WHEN '{category}' THEN {int(rule_set.category_points.get(category, 0))}" for category in Category.values
    )
    return f"CASE a.category {whens} ELSE 0 END"


def _engagement_sql(rule_set: RuleSet) -> str:
    decades = " + ".join(f"CASE WHEN a.impressions >= {10**power} THEN 1 ELSE 0 END" for power in range(1, 10))
    raw = f"({int(rule_set.engagement_bonus_per_decade)} * ({decades}))"
    cap = int(rule_set.engagement_bonus_cap)
    bonus = f"(CASE WHEN {raw} > {cap} THEN {cap} ELSE {raw} END)"
    # Typed impressions earn only the rule set's share of the bonus (rounded down); imported ones all.
    share = int(rule_set.self_reported_engagement_share)
    return f"CASE WHEN a.impressions_source = '{MetricSource.IMPORTED}' THEN {bonus} ELSE ({bonus} * {share}) / 100 END"


def _clamp(amount: str, remaining: str) -> str:
    """max(0, min(amount, remaining)) in portable SQL."""
    return f"CASE WHEN {remaining} <= 0 THEN 0 WHEN {amount} < {remaining} THEN {amount} ELSE {remaining} END"


@dataclass(frozen=True)
class Scope:
    """Which activities to price: all, one clinician, one clinician's ISO week, or the clinician-weeks
    listed in a table (``touched_weeks_materialize``: the incremental nightly run)."""

    clinician_id: int | None = None
    week_start: datetime | None = None
    week_end: datetime | None = None
    weeks_table: str = ""
    # A part of the clinicians, [first, after): the rule-set preview prices them part by part.
    clinicians_from: int | None = None
    clinicians_before: int | None = None

    def activities_from(self) -> str:
        """The FROM item of the in-scope activities (alias ``a``): all of them, or only those of the
        listed clinician-weeks, read through the clinician/posting index."""
        if not self.weeks_table:
            return f"{tables.ACTIVITY} a"
        week = "a.clinician_id = w.clinician_id AND a.posted_at >= w.week_start AND a.posted_at < w.week_end"
        if dialect.is_postgresql():
            # As a plain join the planner probes the index by clinician only and reads all of each
            # clinician's activities (168k rows for 3k at 1M); a lateral subquery (OFFSET 0 keeps it
            # one) probes by clinician and week.
            return (
                f"{self.weeks_table} w CROSS JOIN LATERAL (SELECT * FROM {tables.ACTIVITY} a WHERE {week} OFFSET 0) a"
            )
        return f"{tables.ACTIVITY} a JOIN {self.weeks_table} w ON {week}"

    def activity_filter(self) -> tuple[str, list]:
        if self.clinicians_from is not None:
            return "a.clinician_id >= %s AND a.clinician_id < %s", [self.clinicians_from, self.clinicians_before]
        if self.clinician_id is None:
            return "1 = 1", []
        params: list = [self.clinician_id]
        sql = "a.clinician_id = %s"
        if self.week_start is not None:
            sql += " AND a.posted_at >= %s AND a.posted_at < %s"
            params += [adapt_datetime(self.week_start), adapt_datetime(self.week_end)]
        return sql, params


def adapt_datetime(value: datetime):
    """A datetime as this database stores it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


# What the scores and badges read of each priced activity, besides its value.
_FACTS = (
    "{t}.activity_id, {t}.clinician_id, {t}.status, {t}.category, {t}.posted_at, {t}.day_no, {t}.platform,"
    " {t}.campaign_id, {t}.verified, {t}.cited"
)

# The full recompute prices every activity once into this temporary table; the corrections, the
# scores and the badges then read its narrow rows instead of each joining the activities again.
PRICED_TABLE = "incentives_recompute_priced"


def valued_activities_sql(*, rule_set: RuleSet, scope: Scope) -> tuple[str, list]:
    """A WITH clause ending in ``priced``: every in-scope activity with its value and ledger total.

    The ledger total comes from ``ActivityTotal`` (kept by triggers in the statement that appends
    each entry), so pricing never sums the ledger.

    Columns of ``priced``: activity_id, clinician_id, status, category, posted_at, day_no (UTC days
    since the epoch), platform, campaign_id, verified (the clinician is verified: 1 or 0), cited (a
    misinformation correction with a citation: 1 or 0), eligible, uncapped, value, total, entries.
    """
    activity_where, activity_params = scope.activity_filter()
    eligible = (
        f"(a.status = '{ActivityStatus.ACCEPTED}' AND (c.verification_status = '{VerificationStatus.VERIFIED}'"
        f" OR (c.verification_status = '{VerificationStatus.LAPSED}' AND c.lapsed_at IS NOT NULL"
        " AND a.posted_at <= c.lapsed_at)))"
    )
    evidence = (
        f"CASE WHEN a.category = '{Category.MISINFORMATION_CORRECTION}' AND a.citation_count > 0"
        f" THEN {int(rule_set.evidence_bonus)} ELSE 0 END"
    )
    raw = f"({_category_points_sql(rule_set)} + {evidence} + {_engagement_sql(rule_set)})"
    multiplier = "COALESCE(CAST(ROUND(cp.multiplier * 100) AS INTEGER), 100)"
    weekly_cap = int(rule_set.weekly_category_cap)
    daily_cap = int(rule_set.daily_cap)
    earlier = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
    sql = f"""
WITH base AS (
    SELECT a.id AS activity_id, a.clinician_id, a.category, a.status, a.posted_at, a.platform, a.campaign_id,
           {day_number_sql("a.posted_at")} AS day_no,
           CASE WHEN c.verification_status = '{VerificationStatus.VERIFIED}' THEN 1 ELSE 0 END AS verified,
           CASE WHEN a.category = '{Category.MISINFORMATION_CORRECTION}' AND a.citation_count > 0
                THEN 1 ELSE 0 END AS cited,
           CASE WHEN {eligible} THEN 1 ELSE 0 END AS eligible,
           CASE WHEN {eligible} THEN ({raw} * {multiplier} + 50) / 100 ELSE 0 END AS uncapped
    FROM {scope.activities_from()}
    JOIN {tables.CLINICIAN} c ON c.id = a.clinician_id
    LEFT JOIN {tables.CAMPAIGN} cp ON cp.id = a.campaign_id
    WHERE {activity_where}
),
hot AS (
    SELECT clinician_id, (day_no + 3) / 7 AS week_no FROM base
    GROUP BY clinician_id, (day_no + 3) / 7
    HAVING SUM(uncapped) > {min(weekly_cap, daily_cap)} OR MIN(uncapped) < 0
),
capped AS (
    SELECT base.* FROM base JOIN hot ON hot.clinician_id = base.clinician_id AND hot.week_no = (base.day_no + 3) / 7
),
weekly AS (
    SELECT capped.*, CAST(COALESCE(SUM(uncapped) OVER (
        PARTITION BY clinician_id, (day_no + 3) / 7, category ORDER BY posted_at, activity_id {earlier}
    ), 0) AS BIGINT) AS week_before
    FROM capped
),
week_valued AS (
    SELECT weekly.*, {_clamp("uncapped", f"{weekly_cap} - week_before")} AS week_value FROM weekly
),
daily AS (
    SELECT week_valued.*, CAST(COALESCE(SUM(week_value) OVER (
        PARTITION BY clinician_id, day_no ORDER BY posted_at, activity_id {earlier}
    ), 0) AS BIGINT) AS day_before
    FROM week_valued
),
valued AS (
    SELECT {_FACTS.format(t="d")}, d.eligible, d.uncapped,
           {_clamp("d.week_value", f"{daily_cap} - d.day_before")} AS value
    FROM daily d
    UNION ALL
    SELECT {_FACTS.format(t="b")}, b.eligible, b.uncapped, b.uncapped AS value
    FROM base b WHERE NOT EXISTS (
        SELECT 1 FROM hot WHERE hot.clinician_id = b.clinician_id AND hot.week_no = (b.day_no + 3) / 7
    )
),
priced AS (
    SELECT {_FACTS.format(t="v")}, v.eligible, v.uncapped, v.value,
           COALESCE(t.total, 0) AS total, COALESCE(t.entries, 0) AS entries
    FROM valued v LEFT JOIN {tables.ACTIVITY_TOTAL} t ON t.activity_id = v.activity_id
)"""
    return sql, activity_params


def corrections_insert(*, rule_set: RuleSet, scope: Scope, now: datetime, priced_table: str = "") -> int:
    """Append one correcting ledger entry per in-scope activity whose total differs from its value.

    ``priced_table`` names a table that ``priced_materialize`` filled for this rule set and scope;
    without it the pricing runs inside this statement.

    The idempotency key names the activity, how many entries it already had and the target total,
    so a second delivery of the same event (which finds nothing to correct) writes nothing, and two
    racing writers of the same correction collide on the unique key instead of doubling it.
    """
    if priced_table:
        with_sql, params, source = "", [], priced_table
    else:
        with_sql, params = valued_activities_sql(rule_set=rule_set, scope=scope)
        source = "priced"
    sql = f"""INSERT INTO {tables.LEDGER_ENTRY}
    (clinician_id, amount, kind, activity_id, rule_set_id, uncapped_amount, memo, actor_id,
     idempotency_key, created_at)
{with_sql}
SELECT p.clinician_id, p.value - p.total,
       CASE WHEN p.value > p.total THEN '{LedgerKind.AWARD}' ELSE '{LedgerKind.REVERSAL}' END,
       p.activity_id, {int(rule_set.pk)},
       CASE WHEN p.value < p.uncapped THEN p.uncapped ELSE NULL END,
       CASE
           WHEN p.eligible = 0 AND p.status <> '{ActivityStatus.ACCEPTED}'
               THEN 'Reversed: the activity is ' || p.status
           WHEN p.eligible = 0 THEN 'Reversed: points need a verified clinician'
           WHEN p.total = 0 THEN 'Points for an accepted activity (rule set v{int(rule_set.version)})'
           ELSE 'Re-priced (rule set v{int(rule_set.version)})'
       END,
       NULL,
       'activity:' || p.activity_id || ':' || p.entries || ':' || p.value,
       %s
FROM {source} p
WHERE p.value <> p.total"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, adapt_datetime(now)])
        return max(cursor.rowcount, 0)


@contextmanager
def priced_materialize(*, rule_set: RuleSet, scope: Scope) -> Iterator[str]:
    """Price the in-scope activities once into a temporary table; yields its name, drops it after.

    Call inside a transaction: the table holds the values and ledger totals as they were when it
    was filled, so only that transaction's own corrections may follow.
    """
    with_sql, params = valued_activities_sql(rule_set=rule_set, scope=scope)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PRICED_TABLE}", [])
        cursor.execute(f"CREATE TEMPORARY TABLE {PRICED_TABLE} AS {with_sql} SELECT * FROM priced", params)
    dialect.analyse_temporary(PRICED_TABLE)
    yield PRICED_TABLE
    # On an error the transaction's rollback removes the table with everything else.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PRICED_TABLE}", [])


TOUCHED_WEEKS_TABLE = "incentives_touched_weeks"


@contextmanager
def touched_weeks_materialize(*, since: datetime, campaign_ids: list[int]) -> Iterator[str]:
    """The clinician-weeks whose value may have changed since ``since``: the weeks of activities
    changed since then, every week of clinicians changed since then (verification, lapse), and the
    weeks of activities of ``campaign_ids`` (their multiplier changed). Each part reads an index
    (``activity_updated_idx``, the clinicians, ``activity_campaign_status_idx``); yields the name of
    a temporary table (clinician_id, week_no, week_start, week_end), dropped after the block."""
    week = f"({day_number_sql('a.posted_at')} + 3) / 7"
    parts = [
        f"SELECT a.clinician_id, {week} AS week_no FROM {tables.ACTIVITY} a WHERE a.updated_at >= %s",
        f"SELECT a.clinician_id, {week} AS week_no FROM {tables.ACTIVITY} a"
        f" WHERE a.clinician_id IN (SELECT c.id FROM {tables.CLINICIAN} c WHERE c.updated_at >= %s)",
    ]
    params: list = [adapt_datetime(since), adapt_datetime(since)]
    if campaign_ids:
        parts.append(
            f"SELECT a.clinician_id, {week} AS week_no FROM {tables.ACTIVITY} a"
            f" WHERE a.campaign_id IN ({', '.join(str(int(pk)) for pk in campaign_ids)})"
        )
    # Monday 00:00 UTC of ISO week n is day 7n - 3 (1970-01-01, day 0, was a Thursday).
    start = dialect.from_epoch_sql("(t.week_no * 7 - 3) * 86400")
    end = dialect.from_epoch_sql("(t.week_no * 7 + 4) * 86400")
    sql = f"""CREATE TEMPORARY TABLE {TOUCHED_WEEKS_TABLE} AS
SELECT t.clinician_id, t.week_no, {start} AS week_start, {end} AS week_end
FROM ({" UNION ".join(parts)}) t"""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED_WEEKS_TABLE}", [])
        cursor.execute(sql, params)
    dialect.analyse_temporary(TOUCHED_WEEKS_TABLE)
    yield TOUCHED_WEEKS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED_WEEKS_TABLE}", [])


SCORE_SCOPE_TABLE = "incentives_score_scope"


@contextmanager
def score_scope_materialize(*, touched_weeks: str, left_from: datetime, left_before: datetime) -> Iterator[str]:
    """The clinicians whose Score the incremental run must refresh: those with a touched week, and
    those with points whose moment (the post's time, or the entry's own without a post) left the
    rolling 30 days since the previous run, i.e. lies in [left_from, left_before). Yields the name
    of a temporary table (clinician_id), dropped after the block."""
    sql = f"""CREATE TEMPORARY TABLE {SCORE_SCOPE_TABLE} AS
SELECT w.clinician_id FROM {touched_weeks} w
UNION SELECT a.clinician_id FROM {tables.ACTIVITY} a WHERE a.posted_at >= %s AND a.posted_at < %s
UNION SELECT e.clinician_id FROM {tables.LEDGER_ENTRY} e
      WHERE e.activity_id IS NULL AND e.created_at >= %s AND e.created_at < %s"""
    bounds = [adapt_datetime(left_from), adapt_datetime(left_before)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCORE_SCOPE_TABLE}", [])
        cursor.execute(sql, bounds * 2)
    dialect.analyse_temporary(SCORE_SCOPE_TABLE)
    yield SCORE_SCOPE_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCORE_SCOPE_TABLE}", [])


# PostgreSQL advisory lock (a fixed key) that serialises the full recompute with the event path:
# awards and re-pricings hold it shared, the recompute exclusively, for their whole transaction.
# Without it an award committed while the recompute runs either collides with the recompute's
# correction on the idempotency key (IntegrityError, the recompute aborts) or, with a different
# target, is added on top of the recompute's stale total (points doubled).
PRICING_LOCK_KEY = 7_340_012_001


def pricing_lock(*, exclusive: bool) -> None:
    """Take the pricing lock for the rest of the current transaction (PostgreSQL; on SQLite every
    write transaction is IMMEDIATE, which already serialises them). Take it first, before any row
    lock, so the recompute and an award can never wait for each other in a cycle.

    The shared (event path) side waits at most INCENTIVES_PRICING_LOCK_TIMEOUT_MS for a running
    recompute (about 8 s at 1M activities); past that the task's transient-error retry tries later.
    """
    dialect.advisory_lock(PRICING_LOCK_KEY, exclusive=exclusive)


@dataclass(frozen=True)
class AwardContext:
    clinician_id: int
    day_no: int
    rule_set: RuleSet


def award_context_lock(*, activity_id: int) -> AwardContext | None:
    """One round trip for the event path: lock the activity's clinician row (concurrent awards of
    one clinician then run one after the other), and read the day the activity was posted and the
    current rule set (the highest version). None when the activity does not exist."""
    rule_set_columns = ", ".join(f"r.{connection.ops.quote_name(f.column)}" for f in RuleSet._meta.concrete_fields)
    sql = f"""SELECT {rule_set_columns}, c.id AS award_clinician_id, {day_number_sql("a.posted_at")} AS award_day_no
FROM {tables.CLINICIAN} c
JOIN {tables.ACTIVITY} a ON a.clinician_id = c.id
LEFT JOIN (SELECT * FROM {tables.RULE_SET} ORDER BY version DESC LIMIT 1) r ON 1 = 1
WHERE a.id = %s{dialect.for_update_of_sql("c")}"""
    rows = list(RuleSet.objects.raw(sql, [activity_id]))
    if not rows:
        return None
    rule_set = rows[0]
    if rule_set.pk is None:
        raise RuntimeError("No rule set exists; run the migrations (they create rule set v1).")
    return AwardContext(
        clinician_id=int(rule_set.award_clinician_id), day_no=int(rule_set.award_day_no), rule_set=rule_set
    )


def pricing_stamp(*, scope: Scope) -> None:
    """Record, for every in-scope activity, which version of it (its ``updated_at``) is being priced.

    Called before the pricing statements of the same transaction, so the stamp never claims a newer
    version than the one priced (at worst an older one, which only costs a needless re-pricing).
    An activity whose ``updated_at`` is newer than its stamp changed after its last pricing: the
    award sweeper re-queues it when that is older than a few minutes (its award was lost).
    """
    activity_where, params = scope.activity_filter()
    sql = f"""INSERT INTO {tables.ACTIVITY_TOTAL} (activity_id, total, entries, priced_change_at)
SELECT a.id, 0, 0, a.updated_at FROM {tables.ACTIVITY} a WHERE {activity_where}
ON CONFLICT (activity_id) DO UPDATE SET priced_change_at = excluded.priced_change_at"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@dataclass(frozen=True)
class Preview:
    """What pricing under a rule set would change, without writing anything."""

    activities: int
    points_added: int
    points_removed: int

    @property
    def points_moved(self) -> int:
        return self.points_added + self.points_removed


def corrections_preview(*, rule_set: RuleSet, scope: Scope | None = None) -> Preview:
    with_sql, params = valued_activities_sql(rule_set=rule_set, scope=scope or Scope())
    sql = f"""{with_sql}
SELECT COUNT(*),
       COALESCE(SUM(CASE WHEN value > total THEN value - total ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN value < total THEN total - value ELSE 0 END), 0)
FROM priced WHERE value <> total"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, added, removed = cursor.fetchone()
    return Preview(activities=int(count), points_added=int(added), points_removed=int(removed))


def activity_values(*, rule_set: RuleSet, scope: Scope | None = None) -> dict[int, tuple[int, int]]:
    """{activity id: (value, ledger total)}: for tests and audits of small scopes."""
    with_sql, params = valued_activities_sql(rule_set=rule_set, scope=scope or Scope())
    with connection.cursor() as cursor:
        cursor.execute(f"{with_sql} SELECT activity_id, value, total FROM priced", params)
        return {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}


def activity_totals_mismatched() -> list[tuple[int, int, int]]:
    """Audit of the ``ActivityTotal`` cache against the ledger, its source of truth.

    Returns (activity id, cached total, ledger total) for every activity where they differ (an empty
    list when the cache is exact). Sums the whole ledger: for audits, not for the recompute.
    """
    sql = f"""
SELECT COALESCE(t.activity_id, l.activity_id), COALESCE(t.total, 0), COALESCE(l.total, 0)
FROM {tables.ACTIVITY_TOTAL} t
FULL OUTER JOIN (
    SELECT e.activity_id, SUM(e.amount) AS total, COUNT(*) AS entries FROM {tables.LEDGER_ENTRY} e
    WHERE e.activity_id IS NOT NULL AND e.kind IN ('{LedgerKind.AWARD}', '{LedgerKind.REVERSAL}')
    GROUP BY e.activity_id
) l ON l.activity_id = t.activity_id
WHERE COALESCE(t.total, 0) <> COALESCE(l.total, 0) OR COALESCE(t.entries, 0) <> COALESCE(l.entries, 0)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [])
        return [(int(row[0]), int(row[1]), int(row[2])) for row in cursor.fetchall()]
