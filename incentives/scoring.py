"""Set-based SQL that derives the Score table, ranks, tiers and badges from the ledger.

One statement per step, for all clinicians (the full recompute) or for one (the event path); the
same SQL text serves both, so both give the same result. The statements run unchanged on
PostgreSQL and SQLite (upsert with ``ON CONFLICT ... DO UPDATE`` and ``RETURNING``).
"""

# SQL text is assembled only from fixed identifiers, choice values and int() numbers from the rule
# set; every value that comes from a request or a row is passed as a query parameter.
# ruff: noqa: S608

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from campaigns.models import ActivityStatus, Category
from clinicians.models import VerificationStatus
from incentives import dialect, tables
from incentives.models import LedgerKind, RuleSet, Tier
from incentives.pricing import adapt_datetime, day_number_sql

EARNING_KINDS = (LedgerKind.AWARD, LedgerKind.REVERSAL, LedgerKind.ADJUSTMENT)
TIER_ORDER = [Tier.NONE, Tier.BRONZE, Tier.SILVER, Tier.GOLD, Tier.PLATINUM]

BADGE_FIRST_POST = "first-accepted-post"
BADGE_TEN_CITED = "ten-cited-corrections"
BADGE_THREE_PLATFORMS = "three-platforms"
BADGE_CAMPAIGN_TOP_TEN = "campaign-top-ten"
BADGE_FOUR_WEEK_STREAK = "four-week-streak"
# The professional development track: modules completed (any version, each module once).
PROFESSIONAL_DEVELOPMENT_BADGES = {1: "learning-first-module", 3: "learning-three-modules", 6: "learning-six-modules"}


def period_starts(now: dt.datetime) -> dict[str, dt.datetime]:
    """UTC starts of the rolling 30 days, calendar month, quarter and year containing ``now``."""
    now = now.astimezone(dt.UTC)
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return {
        "last_30_days": now - dt.timedelta(days=30),
        "this_month": month,
        "this_quarter": month.replace(month=3 * ((now.month - 1) // 3) + 1),
        "this_year": month.replace(month=1),
    }


def tier_sql(column: str, rule_set: RuleSet) -> str:
    """The one tier rule: the highest tier whose rule-set threshold ``column`` (lifetime points, an SQL
    expression) reaches, '' below bronze. Scores store it; pages read the stored tier."""
    thresholds = rule_set.tier_thresholds
    whens = " ".join(
        f"WHEN {column} >= {int(thresholds[tier])} THEN '{tier}'"
        for tier in (Tier.PLATINUM, Tier.GOLD, Tier.SILVER, Tier.BRONZE)
    )
    return f"CASE {whens} ELSE '' END"


def tier_changes_count(*, rule_set: RuleSet) -> int:
    """How many clinicians' tiers ``rule_set`` would change at the next recompute (the admin preview)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {tables.SCORE} WHERE tier <> {tier_sql('lifetime', rule_set)}", [])
        return int(cursor.fetchone()[0])


def _tier_rank_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{tier}' THEN {index}" for index, tier in enumerate(TIER_ORDER))
    return f"CASE {column} {whens} ELSE 0 END"


def _excluded_sql(rule_set: RuleSet, column: str = "a.category") -> str:
    excluded = [c for c in rule_set.leaderboard_excluded_categories if c in Category.values]
    if not excluded:
        return "0 = 1"
    return f"{column} IN (" + ", ".join(f"'{c}'" for c in excluded) + ")"


def ledger_earned_in_period(entries: QuerySet, *, start: dt.datetime, end: dt.datetime | None = None) -> QuerySet:
    """The one "points in a period" rule, for readers of the ledger (the points roster): the earning
    entries (awards, reversals, adjustments; not redemptions or refunds) whose moment falls in
    [start, end): the activity's posting time, or the entry's own time when it has no activity.
    ``_movements_sql`` states the same rule for the scores (``happened_at``)."""
    in_period = (
        entries.filter(kind__in=EARNING_KINDS)
        .alias(happened_at=Coalesce("activity__posted_at", "created_at"))
        .filter(happened_at__gte=start)
    )
    return in_period.filter(happened_at__lt=end) if end is not None else in_period


PRICED_KINDS = "('" + "', '".join((LedgerKind.AWARD, LedgerKind.REVERSAL)) + "')"


def _movements_sql(scope: str, priced_table: str = "") -> str:
    """Every clinician's point movements: one row per priced activity (its ``ActivityTotal``, which
    stands for all its award and reversal entries) plus every other ledger entry.

    Columns: clinician_id, amount, kind, category (NULL without an activity), happened_at (the
    activity's posting time, or the entry's own time without an activity). ``scope`` is appended to
    both WHERE clauses (one clinician: ``AND clinician_id = %s`` twice in the parameters). With
    ``priced_table`` (after the full recompute's corrections, when every activity's total equals
    its value; or the incremental run's ``badge_facts_materialize`` table of stored totals) the
    activities' rows come from that table's ``value`` column instead.
    """
    if priced_table:
        activities = f"""
    SELECT p.clinician_id, p.value AS amount, '{LedgerKind.AWARD}' AS kind, p.category, p.posted_at AS happened_at
    FROM {priced_table} p
    WHERE p.value <> 0{scope.format(column="p.clinician_id")}"""
    else:
        activities = f"""
    SELECT a.clinician_id, t.total AS amount, '{LedgerKind.AWARD}' AS kind, a.category, a.posted_at AS happened_at
    FROM {tables.ACTIVITY_TOTAL} t JOIN {tables.ACTIVITY} a ON a.id = t.activity_id
    WHERE t.total <> 0{scope.format(column="a.clinician_id")}"""
    return f"""{activities}
    UNION ALL
    SELECT e.clinician_id, e.amount, e.kind, a.category, COALESCE(a.posted_at, e.created_at) AS happened_at
    FROM {tables.LEDGER_ENTRY} e LEFT JOIN {tables.ACTIVITY} a ON a.id = e.activity_id
    WHERE (e.activity_id IS NULL OR e.kind NOT IN {PRICED_KINDS}){scope.format(column="e.clinician_id")}"""


def scores_upsert(
    *,
    rule_set: RuleSet,
    now: dt.datetime,
    clinician_id: int | None = None,
    priced_table: str = "",
    clinicians_table: str = "",
) -> None:
    """Insert or refresh Score rows from the per-activity totals and the other ledger entries.

    Periods count points by their activity's posting time (or the entry's own time when it has no
    activity), so re-pricing an old post corrects the period the post belongs to. Ranks: the full
    recompute re-ranks everybody afterwards (``ranks_refresh``) and rewrites only the rows whose
    figures changed; for one clinician the rank is ``rank_sql``. Pages read ranks live (``rank_sql``
    again), so another clinician's stored rank going out of date until the nightly run shows nowhere.
    ``clinicians_table`` (a table with a clinician_id column) limits the refresh to those clinicians
    (the incremental run; ranks are then refreshed by ``ranks_refresh`` as for everybody).
    """
    starts = period_starts(now)
    earning = "m.kind IN (" + ", ".join(f"'{k}'" for k in EARNING_KINDS) + ")"
    leaderboard = f"{earning} AND NOT (m.category IS NOT NULL AND {_excluded_sql(rule_set, 'm.category')})"
    params: list = []
    period_sums = []
    for name, start in starts.items():
        period_sums.append(f"SUM(CASE WHEN {earning} AND m.happened_at >= %s THEN m.amount ELSE 0 END) AS {name}")
        period_sums.append(
            f"SUM(CASE WHEN {leaderboard} AND m.happened_at >= %s THEN m.amount ELSE 0 END) AS leaderboard_{name}"
        )
        params += [adapt_datetime(start), adapt_datetime(start)]
    movement_scope = ""
    clinician_scope = "1 = 1"
    if clinician_id is not None:
        movement_scope = " AND {column} = %s"
        clinician_scope = "c.id = %s"
        params += [clinician_id, clinician_id, clinician_id]
    elif clinicians_table:
        movement_scope = f" AND {{column}} IN (SELECT sc.clinician_id FROM {clinicians_table} sc)"
        clinician_scope = f"c.id IN (SELECT sc.clinician_id FROM {clinicians_table} sc)"
    if clinician_id is None:
        rank_overall = rank_specialty = "NULL"
    else:
        points = "COALESCE(t.leaderboard_lifetime, 0)"
        rank_overall = rank_sql(points=points, clinician="c")
        rank_specialty = rank_sql(points=points, clinician="c", within_specialty=True)
    columns = [
        "lifetime",
        "balance",
        "last_30_days",
        "this_month",
        "this_quarter",
        "this_year",
        "leaderboard_lifetime",
        "leaderboard_last_30_days",
        "leaderboard_this_month",
        "leaderboard_this_quarter",
        "leaderboard_this_year",
    ]
    if clinician_id is None:
        # The full recompute leaves rows whose figures did not change alone (no dead tuples).
        changed = " OR ".join(f"{tables.SCORE}.{column} <> excluded.{column}" for column in [*columns, "tier"])
        only_changed = f"WHERE {changed}"
        ranks_update = ""
    else:
        only_changed = ""
        ranks_update = "rank_overall = excluded.rank_overall, rank_specialty = excluded.rank_specialty,"
    sql = f"""
INSERT INTO {tables.SCORE}
    (clinician_id, {", ".join(columns)}, rank_overall, rank_specialty, tier, highest_tier_notified, updated_at)
SELECT c.id, {", ".join(f"COALESCE(t.{column}, 0)" for column in columns)},
       {rank_overall}, {rank_specialty}, {tier_sql("COALESCE(t.lifetime, 0)", rule_set)}, '', %s
FROM {tables.CLINICIAN} c
LEFT JOIN (
    SELECT m.clinician_id,
           SUM(CASE WHEN {earning} THEN m.amount ELSE 0 END) AS lifetime,
           SUM(m.amount) AS balance,
           SUM(CASE WHEN {leaderboard} THEN m.amount ELSE 0 END) AS leaderboard_lifetime,
           {", ".join(period_sums)}
    FROM ({_movements_sql(movement_scope, priced_table)}) m
    GROUP BY m.clinician_id
) t ON t.clinician_id = c.id
WHERE {clinician_scope}
ON CONFLICT (clinician_id) DO UPDATE SET
    {", ".join(f"{column} = excluded.{column}" for column in columns)},
    {ranks_update}
    tier = excluded.tier, updated_at = excluded.updated_at
{only_changed}"""
    # Placeholders in text order: updated_at, the period starts, then the scope ids.
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt_datetime(now), *params])


# Rank: one definition, competition ranking ("1, 1, 3": ties share a rank and the next rank skips),
# as the leaderboard has always shown it: 1 + the number of other verified clinicians with strictly
# more leaderboard points (within the clinician's specialty for the specialty rank). Unverified
# clinicians have no rank. ``rank_sql`` states it for one row (the event path, and the pages, which
# read ranks live); ``rank_window_sql`` is the same number as RANK() for every row at once (the full
# recompute). tests/incentives/test_scoring.py pins that the two agree, ties included.


def rank_sql(
    *, points: str, clinician: str, within_specialty: bool = False, column: str = "leaderboard_lifetime"
) -> str:
    """The rank of the clinician row aliased ``clinician`` holding ``points`` (an SQL expression)."""
    same_specialty = f" AND c2.specialty = {clinician}.specialty" if within_specialty else ""
    return (
        f"CASE WHEN {clinician}.verification_status = '{VerificationStatus.VERIFIED}' THEN 1 + ("
        f"SELECT COUNT(*) FROM {tables.SCORE} s2 JOIN {tables.CLINICIAN} c2 ON c2.id = s2.clinician_id"
        f" WHERE c2.verification_status = '{VerificationStatus.VERIFIED}' AND s2.clinician_id <> {clinician}.id"
        f" AND s2.{column} > {points}{same_specialty}) END"
    )


def ranks_of_sorted(points: list[int]) -> list[int]:
    """``rank_sql`` for the first rows of the ranking, from their points alone (in descending order):
    every clinician with more points than one of these rows is among them, so each rank is 1 + the
    number of rows before it with strictly more points."""
    ranks: list[int] = []
    for index, value in enumerate(points):
        ranks.append(ranks[-1] if index and points[index - 1] == value else index + 1)
    return ranks


def rank_window_sql(*, score: str, clinician: str, within_specialty: bool = False) -> str:
    """``rank_sql`` for every verified row at once (only verified rows may be in the window)."""
    partition = f"PARTITION BY {clinician}.specialty " if within_specialty else ""
    return f"RANK() OVER ({partition}ORDER BY {score}.leaderboard_lifetime DESC)"


def ranks_refresh() -> None:
    """Store every verified clinician's ranks (``rank_window_sql``); others have none."""
    verified = f"c.verification_status = '{VerificationStatus.VERIFIED}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
UPDATE {tables.SCORE} SET rank_overall = r.rank_overall, rank_specialty = r.rank_specialty
FROM (
    SELECT s.clinician_id,
           {rank_window_sql(score="s", clinician="c")} AS rank_overall,
           {rank_window_sql(score="s", clinician="c", within_specialty=True)} AS rank_specialty
    FROM {tables.SCORE} s JOIN {tables.CLINICIAN} c ON c.id = s.clinician_id
    WHERE {verified}
) r
WHERE {tables.SCORE}.clinician_id = r.clinician_id
  AND ({tables.SCORE}.rank_overall IS NULL OR {tables.SCORE}.rank_overall <> r.rank_overall
       OR {tables.SCORE}.rank_specialty IS NULL OR {tables.SCORE}.rank_specialty <> r.rank_specialty)""",
            [],
        )
        cursor.execute(
            f"""
UPDATE {tables.SCORE} SET rank_overall = NULL, rank_specialty = NULL
WHERE (rank_overall IS NOT NULL OR rank_specialty IS NOT NULL)
  AND clinician_id IN (SELECT c.id FROM {tables.CLINICIAN} c WHERE NOT ({verified}))""",
            [],
        )


def _tiers_reached_sql(*, clinician_id: int | None = None) -> tuple[str, list]:
    """Mark tiers above the highest one announced; RETURNING (clinician id, tier) to announce."""
    scope, params = ("", []) if clinician_id is None else (" AND clinician_id = %s", [clinician_id])
    sql = f"""UPDATE {tables.SCORE} SET highest_tier_notified = tier
WHERE {_tier_rank_sql("tier")} > {_tier_rank_sql("highest_tier_notified")}{scope}
RETURNING clinician_id, tier"""
    return sql, params


def tiers_reached(*, clinician_id: int | None = None) -> list[tuple[int, str]]:
    """Mark tiers above the highest one announced; returns (clinician id, tier) to announce."""
    sql, params = _tiers_reached_sql(clinician_id=clinician_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def announcements_find(
    *, now: dt.datetime, clinician_id: int | None = None, priced_table: str = "", touched_weeks: str = ""
) -> tuple[list[tuple[int, str]], list[tuple[int, int]]]:
    """``tiers_reached`` and ``badges_award`` together: ([(clinician id, tier)], [(badge id,
    clinician id)]). On PostgreSQL both writes are one statement (a data-modifying WITH), which
    keeps the event path at six queries; elsewhere they are the two statements."""
    if not dialect.writable_cte():
        return tiers_reached(clinician_id=clinician_id), badges_award(
            now=now, clinician_id=clinician_id, priced_table=priced_table, touched_weeks=touched_weeks
        )
    tiers_sql, tiers_params = _tiers_reached_sql(clinician_id=clinician_id)
    badges_sql, badges_params = _badges_award_sql(
        now=now, clinician_id=clinician_id, priced_table=priced_table, touched_weeks=touched_weeks
    )
    sql = f"""WITH tiers AS ({tiers_sql}), badges AS ({badges_sql})
SELECT 't', clinician_id, tier, NULL FROM tiers
UNION ALL SELECT 'b', clinician_id, NULL, badge_id FROM badges"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tiers_params, *badges_params])
        rows = cursor.fetchall()
    tiers = [(row[1], row[2]) for row in rows if row[0] == "t"]
    badges = [(row[3], row[1]) for row in rows if row[0] == "b"]
    return tiers, badges


def _badge_facts_sql(*, clinician_id: int | None, priced_table: str) -> tuple[str, list]:
    """The activity facts the badges look at: the full recompute's priced table, or one clinician's
    activities. Columns: clinician_id, counted (accepted, of a verified clinician: 1 or 0), cited,
    platform, day_no, campaign_id, verified, value (only from the priced table)."""
    accepted = f"p.status = '{ActivityStatus.ACCEPTED}' AND p.verified = 1"
    if priced_table:
        return (
            f"SELECT p.clinician_id, CASE WHEN {accepted} THEN 1 ELSE 0 END AS counted, p.cited, p.platform,"
            f" p.day_no, p.campaign_id, p.verified, p.value FROM {priced_table} p",
            [],
        )
    return (
        "SELECT a.clinician_id,"
        f" CASE WHEN a.status = '{ActivityStatus.ACCEPTED}' AND c.verification_status = '{VerificationStatus.VERIFIED}'"
        " THEN 1 ELSE 0 END AS counted,"
        f" CASE WHEN a.category = '{Category.MISINFORMATION_CORRECTION}' AND a.citation_count > 0 THEN 1 ELSE 0 END"
        f" AS cited, a.platform, {day_number_sql('a.posted_at')} AS day_no"
        f" FROM {tables.ACTIVITY} a JOIN {tables.CLINICIAN} c ON c.id = a.clinician_id WHERE a.clinician_id = %s",
        [clinician_id],
    )


def _stored_facts_sql(where: str) -> str:
    """``_badge_facts_sql``'s columns (and the category and posting time the scores need) from the
    activities themselves and their ledger totals (which equal their values after a run's
    corrections), for the activities ``where`` selects."""
    verified = f"c.verification_status = '{VerificationStatus.VERIFIED}'"
    return (
        "SELECT a.clinician_id,"
        f" CASE WHEN a.status = '{ActivityStatus.ACCEPTED}' AND {verified} THEN 1 ELSE 0 END AS counted,"
        f" CASE WHEN a.category = '{Category.MISINFORMATION_CORRECTION}' AND a.citation_count > 0 THEN 1 ELSE 0 END"
        f" AS cited, a.platform, {day_number_sql('a.posted_at')} AS day_no, a.campaign_id,"
        f" CASE WHEN {verified} THEN 1 ELSE 0 END AS verified,"
        # A subquery, not a join: probing the totals' primary key for these few activities beats the
        # hash join the planner picks, which reads every total (0.35 s at 1M).
        f" COALESCE((SELECT t.total FROM {tables.ACTIVITY_TOTAL} t WHERE t.activity_id = a.id), 0) AS value,"
        " a.category, a.posted_at"
        f" FROM {tables.ACTIVITY} a JOIN {tables.CLINICIAN} c ON c.id = a.clinician_id WHERE {where}"
    )


BADGE_FACTS_TABLE = "incentives_badge_facts"
CAMPAIGN_FACTS_TABLE = "incentives_campaign_facts"


@contextmanager
def badge_facts_materialize(*, clinicians: str, priced_table: str) -> Iterator[str]:
    """For the incremental run, after its corrections: every activity of the ``clinicians`` (a table
    with a clinician_id column: the run's score scope, which holds every clinician with a touched
    week), and every activity of the campaigns of the re-priced activities, each read once into a
    temporary table (dropped after the block). The scores (``scores_upsert`` with this
    ``priced_table``) and the badge rules then read them; yields the first table's name."""
    statements = [
        (BADGE_FACTS_TABLE, _stored_facts_sql(f"a.clinician_id IN (SELECT sc.clinician_id FROM {clinicians} sc)")),
        (
            CAMPAIGN_FACTS_TABLE,
            _stored_facts_sql(
                f"a.campaign_id IN (SELECT p.campaign_id FROM {priced_table} p WHERE p.campaign_id IS NOT NULL)"
            ),
        ),
    ]
    with connection.cursor() as cursor:
        for table, select in statements:
            cursor.execute(f"DROP TABLE IF EXISTS {table}", [])
            cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {select}", [])
    for table, _ in statements:
        dialect.analyse_temporary(table)
    yield BADGE_FACTS_TABLE
    with connection.cursor() as cursor:
        for table, _ in statements:
            cursor.execute(f"DROP TABLE IF EXISTS {table}", [])


def badges_award(
    *, now: dt.datetime, clinician_id: int | None = None, priced_table: str = "", touched_weeks: str = ""
) -> list[tuple[int, int]]:
    """Insert the badges that clinicians newly qualify for; returns (badge id, clinician id) pairs."""
    sql, params = _badges_award_sql(
        now=now, clinician_id=clinician_id, priced_table=priced_table, touched_weeks=touched_weeks
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _badges_award_sql(
    *, now: dt.datetime, clinician_id: int | None, priced_table: str, touched_weeks: str = ""
) -> tuple[str, list]:
    """The INSERT ... RETURNING (badge id, clinician id) of the badges clinicians newly qualify for.

    One clinician (the event path), everybody from the full recompute's ``priced_table``, or (the
    incremental run: ``touched_weeks`` and its ``priced_table``) every activity of the clinicians
    of its score scope (``badge_facts_materialize``); the rules are the same SQL over each. The
    campaign top-ten badge compares clinicians with each other, so only the nightly runs award it:
    the full run for every campaign, the incremental one for the campaigns of the activities it
    re-priced (a campaign's ranking changes only when one of its activities does).
    """
    if clinician_id is None and not priced_table:
        raise ValueError("badges_award needs a clinician or a nightly run's priced table")
    campaign_facts = ""
    if touched_weeks:
        # Each rule reads the facts again: they are materialised once (``badge_facts_materialize``).
        facts, facts_params = f"SELECT * FROM {BADGE_FACTS_TABLE}", []
        campaign_facts = f"SELECT * FROM {CAMPAIGN_FACTS_TABLE}"
    else:
        facts, facts_params = _badge_facts_sql(clinician_id=clinician_id, priced_table=priced_table)
        campaign_facts = facts if priced_table else ""

    def badge(code: str) -> str:
        return f"(SELECT b.id FROM {tables.BADGE} b WHERE b.code = '{code}')"

    def candidates(code: str) -> str:
        # Badges are awarded once: the counted activities of clinicians who hold one are skipped
        # before any grouping (in steady state that is nearly everybody).
        return (
            f"FROM ({facts}) f WHERE f.counted = 1 AND NOT EXISTS (SELECT 1 FROM {tables.AWARD} w"
            f" WHERE w.clinician_id = f.clinician_id AND w.badge_id = {badge(code)})"
        )

    rules = [
        f"SELECT {badge(BADGE_FIRST_POST)} AS badge_id, f.clinician_id {candidates(BADGE_FIRST_POST)}"
        " GROUP BY f.clinician_id",
        f"SELECT {badge(BADGE_TEN_CITED)}, f.clinician_id {candidates(BADGE_TEN_CITED)} AND f.cited = 1"
        " GROUP BY f.clinician_id HAVING COUNT(*) >= 10",
        f"SELECT {badge(BADGE_THREE_PLATFORMS)}, f.clinician_id {candidates(BADGE_THREE_PLATFORMS)}"
        " GROUP BY f.clinician_id HAVING COUNT(DISTINCT f.platform) >= 3",
        # Gaps and islands: consecutive week numbers minus their row number share one island.
        f"SELECT {badge(BADGE_FOUR_WEEK_STREAK)}, w.clinician_id FROM (SELECT weeks.clinician_id,"
        " weeks.week_no - ROW_NUMBER() OVER (PARTITION BY weeks.clinician_id ORDER BY weeks.week_no) AS island"
        f" FROM (SELECT DISTINCT f.clinician_id, (f.day_no + 3) / 7 AS week_no {candidates(BADGE_FOUR_WEEK_STREAK)})"
        " weeks) w GROUP BY w.clinician_id, w.island HAVING COUNT(*) >= 4",
    ]
    params = facts_params * len(rules)
    if campaign_facts:
        # Campaign points are the activities' values (each total equals its value after the corrections).
        rules.append(
            f"SELECT {badge(BADGE_CAMPAIGN_TOP_TEN)}, ranked.clinician_id FROM ("
            "SELECT f.clinician_id, SUM(f.value) AS points,"
            " RANK() OVER (PARTITION BY f.campaign_id ORDER BY SUM(f.value) DESC) AS campaign_rank"
            f" FROM ({campaign_facts}) f WHERE f.campaign_id IS NOT NULL AND f.verified = 1"
            " GROUP BY f.campaign_id, f.clinician_id) ranked WHERE ranked.campaign_rank <= 10 AND ranked.points > 0"
        )
    sql = f"""
INSERT INTO {tables.AWARD} (badge_id, clinician_id, awarded_at, context)
SELECT u.badge_id, u.clinician_id, %s, '{{}}'
FROM (SELECT DISTINCT badge_id, clinician_id FROM ({" UNION ALL ".join(rules)}) r) u WHERE 1 = 1
ON CONFLICT (badge_id, clinician_id) DO NOTHING
RETURNING badge_id, clinician_id"""
    return sql, [adapt_datetime(now), *params]
