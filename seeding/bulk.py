"""Deterministic bulk data at association scale for benchmarks (`seed_demo --clinicians N --activities M`).

Rows are generated from one `random.Random(seed)` and written through the fastest path the database
offers: PostgreSQL `COPY ... FROM STDIN` from an in-memory CSV buffer filled in chunks, SQLite large
`bulk_create` batches. Primary keys are assigned here (after the current maximum) so that foreign keys
can be written without reading anything back; sequences are moved past them at the end.
"""

import csv
import datetime as dt
import io
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from campaigns.models import (
    Activity,
    ActivityStatus,
    Campaign,
    Category,
    GoalKind,
    Participation,
    ToolkitItem,
    ToolkitItemKind,
)
from campaigns.services import campaign_totals_forget
from clinicians.models import (
    Clinician,
    Credential,
    CredentialKind,
    CredentialStatus,
    Platform,
    Profession,
    RegistryResult,
    Specialty,
    VerificationStatus,
)
from clinicians.validators import npi_with_check_digit
from core.models import User
from incentives.models import LedgerLink, PricingRun, RuleSet

SCALE_EMAIL_DOMAIN = "scale.advocacy.example"
SCALE_PASSWORD = "scale-password-2026"  # noqa: S105 - benchmark accounts on a local database only
CHUNK_ROWS = 50_000
SQLITE_BATCH = 2_000

# Mission categories (education, corrections, advocacy) are the association's purpose, so they dominate.
CATEGORY_WEIGHTS = {
    Category.PUBLIC_EDUCATION: 30,
    Category.MISINFORMATION_CORRECTION: 22,
    Category.PUBLIC_HEALTH_ADVOCACY: 16,
    Category.RESEARCH_DISSEMINATION: 10,
    Category.PROFESSIONAL_NETWORKING: 8,
    Category.PROFESSIONAL_DEVELOPMENT: 6,
    Category.RECRUITMENT: 4,
    Category.PRACTICE_MARKETING: 4,
}
PLATFORM_WEIGHTS = {
    Platform.X: 22,
    Platform.INSTAGRAM: 16,
    Platform.LINKEDIN: 14,
    Platform.FACEBOOK: 12,
    Platform.TIKTOK: 10,
    Platform.YOUTUBE: 6,
    Platform.THREADS: 5,
    Platform.BLUESKY: 5,
    Platform.MASTODON: 3,
    Platform.REDDIT: 4,
    Platform.OTHER: 3,
}
STATUS_WEIGHTS = {
    ActivityStatus.ACCEPTED: 86,
    ActivityStatus.SUBMITTED: 5,
    ActivityStatus.FLAGGED: 4,
    ActivityStatus.REJECTED: 3,
    ActivityStatus.WITHDRAWN: 2,
}
PROFESSION_WEIGHTS = {
    Profession.MD: 34,
    Profession.DO: 8,
    Profession.NP: 14,
    Profession.PA: 7,
    Profession.RN: 18,
    Profession.PHARMD: 6,
    Profession.DENTIST: 3,
    Profession.PSYCHOLOGIST: 4,
    Profession.DIETITIAN: 3,
    Profession.PHYSICAL_THERAPIST: 2,
    Profession.OTHER: 1,
}
# US states weighted roughly by population.
STATE_WEIGHTS = {
    "CA": 39, "TX": 30, "FL": 22, "NY": 20, "PA": 13, "IL": 12, "OH": 12, "GA": 11, "NC": 11, "MI": 10,
    "NJ": 9, "VA": 9, "WA": 8, "AZ": 7, "TN": 7, "MA": 7, "IN": 7, "MO": 6, "MD": 6, "WI": 6, "CO": 6,
    "MN": 6, "SC": 5, "AL": 5, "LA": 5, "KY": 5, "OR": 4, "OK": 4, "CT": 4, "UT": 3, "IA": 3, "NV": 3,
    "AR": 3, "MS": 3, "KS": 3, "NM": 2, "NE": 2, "ID": 2, "WV": 2, "HI": 1, "NH": 1, "ME": 1, "MT": 1,
    "RI": 1, "DE": 1, "SD": 1, "ND": 1, "AK": 1, "DC": 1, "VT": 1, "WY": 1,
}  # fmt: skip
FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as one string
    "Ada Amara Ben Carlos Chen Dana Elena Farah Grace Hiro Imani Jamal Julia Kofi Lena Luis Maya Mei Nadia "
    "Omar Priya Quinn Rosa Sam Sofia Tariq Uma Victor Wen Yara Zoe Aisha Daniel Ines Kenji Laura Marco Noah"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Okafor Carter Chen Patel Garcia Nguyen Kim Smith Johnson Rossi Haddad Silva Mensah Novak Ito Cohen "
    "Fischer Diaz Ahmed Brown Lopez Walker Young Singh Martin Osei Reyes Park Ali Kowalski Murphy Tanaka"
).split()
TOPICS = (  # noqa: SIM905
    "flu vaccines, measles, sunscreen, antibiotics, blood pressure, heat stroke, HPV vaccination, "
    "fluoride, sleep, mental health, diabetes, naloxone, childhood asthma, RSV, screen time, hydration"
).split(", ")
EXCERPTS = {
    Category.PUBLIC_EDUCATION: "What you should know about {t}: a short thread from a {p}.",
    Category.MISINFORMATION_CORRECTION: "No, the viral claim about {t} is not true. Here is what the evidence says.",
    Category.PUBLIC_HEALTH_ADVOCACY: "Our community needs better access to {t} care. Ask your representative.",
    Category.RESEARCH_DISSEMINATION: "New study on {t}: what it found and what it means for patients.",
    Category.PROFESSIONAL_NETWORKING: "Great panel today with colleagues on {t}. Thanks to everyone who joined.",
    Category.RECRUITMENT: "We are looking for volunteers for a {t} study in our clinic.",
    Category.PRACTICE_MARKETING: "Our clinic now offers {t} appointments on Saturdays.",
    Category.PROFESSIONAL_DEVELOPMENT: "Finished a course on {t} this week; notes for fellow clinicians.",
}
URL_PATTERNS = {
    Platform.X: "https://x.com/{h}/status/{n}",
    Platform.INSTAGRAM: "https://www.instagram.com/p/{c}/",
    Platform.TIKTOK: "https://www.tiktok.com/@{h}/video/{n}",
    Platform.YOUTUBE: "https://www.youtube.com/watch?v={c}",
    Platform.LINKEDIN: "https://www.linkedin.com/feed/update/urn:li:activity:{n}/",
    Platform.FACEBOOK: "https://www.facebook.com/{h}/posts/{n}",
    Platform.THREADS: "https://www.threads.net/@{h}/post/{c}",
    Platform.BLUESKY: "https://bsky.app/profile/{h}.bsky.social/post/{c}",
    Platform.MASTODON: "https://mastodon.social/@{h}/{n}",
    Platform.REDDIT: "https://www.reddit.com/r/medicine/comments/{c}/",
    Platform.OTHER: "https://blog.example.org/{h}/{n}",
}
CAMPAIGN_TOPICS = (
    "Flu season facts", "Measles is back", "Sun safe summer", "Antibiotics awareness", "Heat and health",
    "HPV: one and done", "Healthy sleep", "Mental health month", "Know your numbers", "Naloxone saves lives",
    "Breathe easy", "RSV this winter",
)  # fmt: skip


class SeedRefused(Exception):
    """The load cannot run (the database holds activities and no reset was requested) or failed and
    was rolled back; the message says which."""


@dataclass
class TableTiming:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class ScaleSeedResult:
    timings: list[TableTiming] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(timing.seconds for timing in self.timings)

    @property
    def rows(self) -> int:
        return sum(timing.rows for timing in self.timings)


def _weighted(rng: random.Random, weights: dict) -> Callable[[], object]:
    """A fast picker for a fixed weighted choice (cumulative weights, bisected by `choices`)."""
    population = list(weights)
    cumulative = []
    running = 0
    for key in population:
        running += weights[key]
        cumulative.append(running)
    return lambda: rng.choices(population, cum_weights=cumulative)[0]


def _max_id(model: type[models.Model]) -> int:
    return model.objects.aggregate(top=models.Max("pk"))["top"] or 0


def _rows_for(model: type[models.Model], rows: Iterable[dict]) -> Iterator[list]:
    """Each row dict as a list in the model's concrete column order; missing columns take their default."""
    fields = model._meta.concrete_fields
    for row in rows:
        yield [row[f.attname] if f.attname in row else f.get_default() for f in fields]


def _csv_value(value):
    """One CSV cell for COPY; checked by exact type, commonest first, because it runs per cell."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if value is None:
        return r"\N"
    if kind is list or kind is dict:
        return json.dumps(value) if value else ("[]" if kind is list else "{}")
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    return value


def _write_postgresql(model: type[models.Model], rows: Iterable[dict]) -> int:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for values in _rows_for(model, rows):
            writer.writerow([_csv_value(v) for v in values])
            count += 1
            if count % CHUNK_ROWS == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def _write_batches(model: type[models.Model], rows: Iterable[dict]) -> int:
    count = 0
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**row))
        if len(batch) >= SQLITE_BATCH:
            model.objects.bulk_create(batch, batch_size=SQLITE_BATCH)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=SQLITE_BATCH)
        count += len(batch)
    return count


def _write(model: type[models.Model], rows: Iterable[dict], result: ScaleSeedResult, log) -> None:
    started = time.perf_counter()
    writer = _write_postgresql if connection.vendor == "postgresql" else _write_batches
    count = writer(model, rows)
    timing = TableTiming(model._meta.db_table, count, time.perf_counter() - started)
    result.timings.append(timing)
    _timing_log(timing, log)


def _timing_log(timing: TableTiming, log) -> None:
    log(f"  {timing.table:<28} {timing.rows:>10,} rows {timing.seconds:8.2f} s {timing.rows_per_second:>10,.0f} rows/s")


@contextmanager
def _secondary_indexes_deferred(model: type[models.Model], result: ScaleSeedResult, log) -> Iterator[None]:
    """On PostgreSQL, drop the model's Meta indexes during the load and build them once afterwards.

    Building an index in one sort is far cheaper than maintaining it through a million inserts.
    """
    if connection.vendor != "postgresql":
        yield
        return
    indexes = list(model._meta.indexes)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(model, index)
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The rows' deferred foreign-key checks run now: PostgreSQL refuses DDL while they are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(model, index)
    timing = TableTiming(f"{model._meta.db_table} indexes", 0, time.perf_counter() - started)
    result.timings.append(timing)
    log(f"  {timing.table:<28} {len(indexes):>10,} built {timing.seconds:8.2f} s")


SEEDED_MODELS = (User, Clinician, Credential, Campaign, ToolkitItem, Participation, Activity)


def scale_tables_flush() -> None:
    """Empty the seeded tables and everything that refers to them (ledger, scores, sessions' users...).

    This is Django's own flush SQL (TRUNCATE ... RESTART IDENTITY CASCADE on PostgreSQL), meant for
    benchmark databases only: it removes every user, not just the seeded ones. The cascade also
    reaches the rule sets (through ``created_by``), which are configuration, not seeded data: they
    are put back as they were, without their author, so the portal still prices afterwards. The
    ledger's hash chain goes with the ledger; the ledger's TRUNCATE guard is lifted for this
    transaction only (incentives migration 0008).
    """
    rule_sets = [{**values, "created_by_id": None} for values in RuleSet.objects.values()]
    # The pricing runs go too: the next nightly run then prices everything (the loaded rows bypassed
    # the event path, so no incremental run could know them).
    tables = [model._meta.db_table for model in (*SEEDED_MODELS, LedgerLink, PricingRun)]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    if connection.vendor == "postgresql":
        # Deferred foreign-key checks pending in an open transaction would make TRUNCATE refuse.
        # The audit trail (reached through its actors) refuses TRUNCATE to everybody: on a benchmark
        # database the operator's own way round it (core migration 0003) is a replica-role session,
        # which skips ordinary triggers; it is switched back before any row is loaded.
        statements = [
            "SET CONSTRAINTS ALL IMMEDIATE",
            "SET LOCAL advocacy.allow_ledger_truncate = 'on'",
            "SET LOCAL session_replication_role = replica",
            *statements,
            "SET LOCAL session_replication_role = origin",
        ]
    connection.ops.execute_sql_flush(statements)
    RuleSet.objects.bulk_create(RuleSet(**values) for values in rule_sets)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [RuleSet]):
            cursor.execute(statement)


def scale_seed(*, clinicians: int, activities: int, seed: int, reset: bool = False, log=print) -> ScaleSeedResult:
    """Load `clinicians` clinicians and `activities` activities, the same rows for the same seed and day.

    The reset and the load are one transaction: a load that fails midway (a constraint, a full disk)
    leaves the database as it was before the command, never half-loaded or emptied.
    """
    seeder = _ScaleSeeder(clinicians=clinicians, activities=activities, seed=seed, log=log)
    try:
        with transaction.atomic():
            if Activity.objects.exists():
                if not reset:
                    raise SeedRefused(
                        "The database already holds activities; the scale mode loads into an empty database. "
                        "Pass --reset to empty the seeded tables first (this removes every user and activity)."
                    )
                started = time.perf_counter()
                scale_tables_flush()
                log(f"  reset (flush seeded tables)  {time.perf_counter() - started:8.2f} s")
            seeder.load()
    except DatabaseError as error:
        raise SeedRefused(
            f"The load failed and was rolled back: nothing was loaded. The database said: {error}"
        ) from error
    seeder.analyse()
    return seeder.result


class _ScaleSeeder:
    """One load: generators per table sharing one random stream, in foreign-key order."""

    def __init__(self, *, clinicians: int, activities: int, seed: int, log) -> None:
        self.clinician_count = clinicians
        self.activity_count = activities
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.log = log
        # Anchored at today's UTC midnight so the same seed gives the same rows all day.
        self.now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.year_ago = self.now - dt.timedelta(days=365)
        self.result = ScaleSeedResult()

    def load(self) -> None:
        """Every row, in foreign-key order, inside the caller's transaction."""
        with transaction.atomic():
            self.user_base = _max_id(User)
            self.clinician_base = _max_id(Clinician)
            if connection.vendor == "postgresql":
                self._load_in_sql()
                return
            self._write(User, self._users())
            self._write(Clinician, self._clinicians())
            self._write(Credential, self._credentials())
            self._campaigns_create()
            self._write(Participation, self._participations())
            with _secondary_indexes_deferred(Activity, self.result, self.log):
                self._write(Activity, self._activities())
            self._sequences_reset()

    def _load_in_sql(self) -> None:
        """PostgreSQL: the database generates the rows (``seeding.sql``); credentials go through COPY."""
        from seeding import sql

        rows = sql.SqlRows(
            seed=self.rng.randrange(2**31),
            clinicians=self.clinician_count,
            activities=self.activity_count,
            now=self.now,
            year_ago=self.year_ago,
        )
        with connection.cursor() as cursor:
            # Index rebuilds sort in memory; the load is one transaction of the benchmark database only.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        password = make_password(SCALE_PASSWORD, salt="scalebenchseed")
        self._timed(User, lambda: rows.users(base=self.user_base, password=password, email_domain=SCALE_EMAIL_DOMAIN))
        vocabulary = {
            "first_names": FIRST_NAMES,
            "last_names": LAST_NAMES,
            "professions": PROFESSION_WEIGHTS,
            "states": STATE_WEIGHTS,
            "platforms": PLATFORM_WEIGHTS,
            "categories": CATEGORY_WEIGHTS,
            "statuses": STATUS_WEIGHTS,
            "url_patterns": URL_PATTERNS,
            "excerpts": EXCERPTS,
            "topics": TOPICS,
        }
        self._timed(
            Clinician,
            lambda: rows.clinicians_insert(base=self.clinician_base, user_base=self.user_base, weights=vocabulary),
        )
        self.verification = list(
            Clinician.objects.filter(pk__gt=self.clinician_base)
            .order_by("pk")
            .values_list("verification_status", flat=True)
            .iterator(chunk_size=50_000)
        )
        self._write(Credential, self._credentials())
        self._campaigns_create()
        self._timed(
            Participation,
            lambda: rows.participations(
                base=_max_id(Participation), clinician_base=self.clinician_base, campaigns=self.campaigns
            ),
        )
        with sql.indexes_and_keys_deferred(Activity, self._built):
            self._timed(
                Activity,
                lambda: rows.activities_insert(
                    base=_max_id(Activity),
                    clinician_base=self.clinician_base,
                    campaigns=self.campaigns,
                    vocabulary=vocabulary,
                ),
            )
        self._sequences_reset()

    def _built(self, label: str, count: int, seconds: float) -> None:
        self.result.timings.append(TableTiming(label, 0, seconds))
        self.log(f"  {label:<28} {count:>10,} built {seconds:8.2f} s")

    def _timed(self, model, insert: Callable[[], int]) -> None:
        started = time.perf_counter()
        count = insert()
        timing = TableTiming(model._meta.db_table, count, time.perf_counter() - started)
        self.result.timings.append(timing)
        _timing_log(timing, self.log)

    def analyse(self) -> None:
        """After the commit: forget cached totals and refresh the planner's statistics."""
        # Rows written by COPY bypass the services, so no cached campaign total may outlive the load.
        campaign_totals_forget(campaign_ids=Campaign.objects.values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for model in SEEDED_MODELS:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self.log(f"  {'ANALYZE':<28} {'':>10}       {time.perf_counter() - started:8.2f} s")

    def _write(self, model, rows) -> None:
        _write(model, rows, self.result, self.log)

    def _instant(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        return start + dt.timedelta(seconds=self.rng.randrange(max(1, int((end - start).total_seconds()))))

    def _users(self) -> Iterator[dict]:
        # One hash for every scale account: hashing 50,000 passwords would take longer than the load.
        password = make_password(SCALE_PASSWORD, salt="scalebenchseed")
        for index in range(self.clinician_count):
            joined = self._instant(self.year_ago - dt.timedelta(days=365), self.year_ago)
            yield {
                "id": self.user_base + index + 1,
                "password": password,
                "last_login": None,
                "is_superuser": False,
                "is_staff": False,
                "is_active": True,
                "first_name": "",
                "last_name": "",
                "date_joined": joined,
                "email": f"clinician{index + 1}@{SCALE_EMAIL_DOMAIN}",
            }

    def _clinicians(self) -> Iterator[dict]:
        rng = self.rng
        profession = _weighted(rng, PROFESSION_WEIGHTS)
        state = _weighted(rng, STATE_WEIGHTS)
        specialties = [s for s in Specialty.values if s != Specialty.OTHER]
        statuses = _weighted(
            rng,
            {VerificationStatus.VERIFIED: 86, VerificationStatus.PENDING: 7, VerificationStatus.UNVERIFIED: 5,
             VerificationStatus.LAPSED: 2},
        )  # fmt: skip
        self.verification = []
        # Activity per clinician is heavy-tailed: a few prolific posters, many occasional ones.
        self.activity_weights = []
        for index in range(self.clinician_count):
            status = statuses()
            self.verification.append(status)
            self.activity_weights.append(rng.paretovariate(1.3))
            created = self._instant(self.year_ago - dt.timedelta(days=300), self.year_ago)
            verified_at = created + dt.timedelta(days=rng.randint(1, 20)) if status != "unverified" else None
            yield {
                "id": self.clinician_base + index + 1,
                "user_id": self.user_base + index + 1,
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "profession": profession(),
                "specialty": rng.choice(specialties),
                "specialty_other": "",
                "organisation": f"{rng.choice(LAST_NAMES)} {rng.choice(['Clinic', 'Hospital', 'Health'])}",
                "country": "US",
                "state": state(),
                "bio": "",
                "public_profile": rng.random() < 0.4,
                "leaderboard_opt_in": rng.random() < 0.7,
                "verification_status": status,
                "verified_at": verified_at if status in ("verified", "lapsed") else None,
                "lapsed_at": verified_at + dt.timedelta(days=200) if status == "lapsed" else None,
                "profile_completed_at": created,
                "created_at": created,
                "updated_at": created,
            }

    def _credentials(self) -> Iterator[dict]:
        base = _max_id(Credential)
        credential_status = {
            VerificationStatus.VERIFIED: CredentialStatus.VERIFIED,
            VerificationStatus.PENDING: CredentialStatus.SUBMITTED,
            VerificationStatus.LAPSED: CredentialStatus.EXPIRED,
        }
        written = 0
        for index, status in enumerate(self.verification):
            if status not in credential_status:
                continue
            written += 1
            created = self.year_ago - dt.timedelta(days=self.rng.randint(0, 300))
            decided = status != VerificationStatus.PENDING
            yield {
                "id": base + written,
                "clinician_id": self.clinician_base + index + 1,
                "kind": CredentialKind.NPI,
                "identifier": npi_with_check_digit(100_000_000 + self.clinician_base + index),
                "issuer": "",
                "expires_on": None,
                "status": credential_status[status],
                "registry_result": RegistryResult.MATCH if decided else RegistryResult.NOT_CHECKED,
                "registry_checked_at": created if decided else None,
                "decided_at": created if decided else None,
                "created_at": created,
                "updated_at": created,
            }

    def _campaigns_create(self) -> None:
        """A dozen campaigns spread over the last 12 months, each with a small toolkit (ORM: few rows)."""
        started = time.perf_counter()
        rng = self.rng
        self.campaigns = []
        for index, title in enumerate(CAMPAIGN_TOPICS):
            starts = (self.year_ago + dt.timedelta(days=30 * index)).date()
            ends = starts + dt.timedelta(days=rng.randint(45, 100))
            self.campaigns.append(
                Campaign(
                    title=title,
                    slug=f"scale-{index + 1:02d}-{title.lower().replace(' ', '-').replace(':', '')}",
                    summary=f"{title}: clinicians share accurate, practical advice.",
                    description=f"## {title}\n\nPost the toolkit's messages in your own words.",
                    hashtags=[title.split()[0].lower(), "cliniciansforhealth"],
                    starts_on=starts,
                    ends_on=ends,
                    target_platforms=[Platform.X, Platform.INSTAGRAM, Platform.TIKTOK],
                    goal_kind=GoalKind.POSTS if index % 2 else GoalKind.REACH,
                    goal_target=5_000 if index % 2 else 20_000_000,
                    multiplier=Decimal(rng.choice(["1.00", "1.25", "1.50", "2.00"])),
                    created_at=self.year_ago,
                )
            )
        Campaign.objects.bulk_create(self.campaigns)
        if connection.vendor != "postgresql" or any(c.pk is None for c in self.campaigns):
            by_slug = dict(Campaign.objects.filter(slug__startswith="scale-").values_list("slug", "pk"))
            for campaign in self.campaigns:
                campaign.pk = by_slug[campaign.slug]
        ToolkitItem.objects.bulk_create(
            ToolkitItem(campaign=campaign, kind=kind, text=f"{campaign.title}: {kind.label.lower()}", position=pos)
            for campaign in self.campaigns
            for pos, kind in enumerate(ToolkitItemKind)
        )
        seconds = time.perf_counter() - started
        self.result.timings.append(TableTiming("campaigns + toolkit items", len(self.campaigns) * 4, seconds))
        self.log(f"  {'campaigns + toolkit items':<28} {len(self.campaigns) * 4:>10,} rows  {seconds:8.2f} s")

    def _participations(self) -> Iterator[dict]:
        rng = self.rng
        base = _max_id(Participation)
        self.joined: dict[int, list[Campaign]] = {}
        for index in range(self.clinician_count):
            if rng.random() >= 0.45:
                continue
            chosen = rng.sample(self.campaigns, rng.randint(1, 3))
            self.joined[index] = chosen
            for campaign in chosen:
                start = dt.datetime.combine(campaign.starts_on, dt.time(), tzinfo=dt.UTC)
                base += 1
                yield {
                    "id": base,
                    "campaign_id": campaign.pk,
                    "clinician_id": self.clinician_base + index + 1,
                    "joined_at": start - dt.timedelta(hours=rng.randint(0, 240)),
                    "left_at": None,
                }

    def _activities(self) -> Iterator[dict]:
        rng = self.rng
        category = _weighted(rng, CATEGORY_WEIGHTS)
        platform = _weighted(rng, PLATFORM_WEIGHTS)
        status = _weighted(rng, STATUS_WEIGHTS)
        cumulative = []
        running = 0.0
        for weight in self.activity_weights:
            running += weight
            cumulative.append(running)
        indices = range(self.clinician_count)
        base = _max_id(Activity)
        span = int((self.now - self.year_ago).total_seconds())
        for number in range(1, self.activity_count + 1):
            index = rng.choices(indices, cum_weights=cumulative)[0]
            clinician_id = self.clinician_base + index + 1
            chosen_platform = platform()
            chosen_category = category()
            campaign = None
            joined = self.joined.get(index)
            if joined and rng.random() < 0.45:
                campaign = rng.choice(joined)
                start = max(dt.datetime.combine(campaign.starts_on, dt.time(), tzinfo=dt.UTC), self.year_ago)
                end = min(dt.datetime.combine(campaign.ends_on, dt.time(23, 59), tzinfo=dt.UTC), self.now)
                posted = self._instant(start, end) if end > start else start
            else:
                posted = self.year_ago + dt.timedelta(seconds=rng.randrange(span))
            chosen_status = status()
            handle = f"dr{clinician_id}"
            code = f"{number:x}{rng.getrandbits(24):06x}"
            url = URL_PATTERNS[chosen_platform].format(h=handle, n=10**15 + number, c=code)
            cites = []
            if chosen_category == Category.MISINFORMATION_CORRECTION and rng.random() < 0.7:
                cites = [f"10.{rng.randint(1000, 9999)}/{rng.getrandbits(32):x}" for _ in range(rng.randint(1, 3))]
            elif chosen_category in (Category.PUBLIC_EDUCATION, Category.RESEARCH_DISSEMINATION) and rng.random() < 0.3:
                cites = [f"PMID:{rng.randint(20_000_000, 39_999_999)}"]
            impressions = min(int(rng.lognormvariate(6.0, 1.8)), 2_000_000_000)
            engagement = rng.uniform(0.005, 0.06)
            decided = chosen_status in (ActivityStatus.ACCEPTED, ActivityStatus.REJECTED)
            created = posted + dt.timedelta(minutes=rng.randint(5, 4_000))
            yield {
                "id": base + number,
                "clinician_id": clinician_id,
                "platform": chosen_platform,
                "url": url,
                "submitted_url": url,
                "posted_at": posted,
                "category": chosen_category,
                "campaign_id": campaign.pk if campaign else None,
                "excerpt": EXCERPTS[chosen_category].format(t=rng.choice(TOPICS), p="clinician"),
                "citations": cites,
                "citation_count": len(cites),
                "impressions": impressions,
                "likes": int(impressions * engagement),
                "shares": int(impressions * engagement / 6),
                "comments": int(impressions * engagement / 10),
                "clicks": int(impressions * engagement / 4),
                "disclosure": "none",
                "disclosure_text": "",
                "reading_grade": round(rng.uniform(5.0, 12.0), 1),
                "status": chosen_status,
                "guard_flags": ["privacy"] if chosen_status == ActivityStatus.FLAGGED else [],
                "privacy_hits": [],
                "review_reason": "Possible patient detail in the excerpt."
                if chosen_status == ActivityStatus.FLAGGED
                else "",
                "decided_by_id": None,
                "decided_at": created + dt.timedelta(hours=rng.randint(1, 48)) if decided else None,
                "created_at": created,
                "updated_at": created,
            }

    def _sequences_reset(self) -> None:
        for statement in connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS):
            with connection.cursor() as cursor:
                cursor.execute(statement)
