"""The event path under a live worker: an activity accepted → its points in `incentives.Score`.

A real Celery worker (`--pool solo`, queue scores) is started on the Redis broker named by
CELERY_BROKER_URL, against the same database. Submitted activities of verified clinicians (one per
clinician) are accepted one at a time through `campaigns.services.activity_accept` in committed
transactions; the clock starts in the first on-commit callback (right after COMMIT, before the
outbox's fast path publishes the task the receiver promised) and stops when the clinician's Score row shows an
`updated_at` at or after the commit. Queries per award are counted in-process for a few more
activities by running `incentives.tasks.award_activity` under CaptureQueriesContext.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 200
QUERY_SAMPLES = 5
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 30.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _candidates(count: int) -> list[int]:
    """Submitted activities of verified clinicians, one per clinician, newest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (a.clinician_id) a.id
            FROM campaigns_activity a JOIN clinicians_clinician c ON c.id = a.clinician_id
            WHERE a.status = 'submitted' AND c.verification_status = 'verified'
            ORDER BY a.clinician_id, a.posted_at DESC
            LIMIT %s
            """,
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


class Worker:
    """`celery -A advocacy_portal worker -Q scores --pool solo`, stopped when the block ends."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.log = tempfile.NamedTemporaryFile(mode="w+", prefix="bench-worker-", suffix=".log")  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Worker":
        celery = str(Path(sys.executable).with_name("celery"))
        self.process = subprocess.Popen(  # noqa: S603
            # The event path's queue only: the default queue may hold the nightly run's announcements
            # (thousands of notifications after a bulk load), which would delay the awards measured.
            [celery, "-A", "advocacy_portal", "worker", "-Q", "scores", "--pool", "solo", "-l", "info"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited: {self.tail()}")
            if " ready." in Path(self.log.name).read_text():
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("the worker was not ready within 60 s")

    def text(self) -> str:
        return Path(self.log.name).read_text()

    def tail(self) -> str:
        return self.text()[-1500:]

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _accept_and_wait(activity_id: int) -> float:
    """Accept one activity in its own transaction; seconds from COMMIT to its Score row being refreshed."""
    from campaigns.models import Activity
    from campaigns.services import activity_accept
    from incentives.models import Score

    committed: dict[str, float] = {}

    def mark() -> None:
        committed["monotonic"] = time.monotonic()
        committed["wall"] = timezone.now()

    activity = Activity.objects.select_related("clinician").get(pk=activity_id)
    with transaction.atomic():
        transaction.on_commit(mark)
        activity_accept(activity=activity)
    deadline = committed["monotonic"] + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if Score.objects.filter(clinician_id=activity.clinician_id, updated_at__gte=committed["wall"]).exists():
            return time.monotonic() - committed["monotonic"]
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"activity {activity_id}: no Score refresh within {TIMEOUT_SECONDS:.0f} s")


def _queries_per_award(activity_ids: list[int]) -> list[int]:
    """Accept each activity and run its award in-process in the same transaction, counting the award's queries.

    The receiver's task is still published on commit; the worker then finds nothing left to write.
    """
    from campaigns.models import Activity
    from campaigns.services import activity_accept
    from incentives.tasks import award_activity

    counts = []
    for activity_id in activity_ids:
        with transaction.atomic():
            activity_accept(activity=Activity.objects.get(pk=activity_id))
            with CaptureQueriesContext(connection) as captured:
                award_activity(activity_id)
            counts.append(len(captured.captured_queries))
    return counts


def event_path_measure(*, env: dict[str, str], events: int = EVENTS) -> dict:
    """p50/p95/max seconds from commit to Score over `events` activities, and queries per award."""
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        return {"status": f"not measured: CELERY_BROKER_URL must be redis:// (is {broker.split(':')[0]})"}
    ids = _candidates(events + QUERY_SAMPLES)
    if len(ids) < events + QUERY_SAMPLES:
        return {"status": f"not measured: only {len(ids)} submitted activities of verified clinicians"}
    timed, sampled = ids[:events], ids[events:]
    worker_env = dict(os.environ)
    worker_env.update(env)
    worker_env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    seconds: list[float] = []
    try:
        with Worker(worker_env) as worker:
            # One untimed event warms the worker (imports, connection, rule set) before the timed ones.
            _accept_and_wait(timed[0])
            for activity_id in timed[1:]:
                seconds.append(_accept_and_wait(activity_id))
            queries = _queries_per_award(sampled)
            worker_log = worker.text()
    except (RuntimeError, TimeoutError) as error:
        return {"status": f"failed: {error}"[:600], "events_timed": len(seconds)}
    return {
        "status": "measured",
        "broker": broker.rsplit("@", 1)[-1],
        "events": len(seconds),
        "p50_seconds": statistics.median(seconds),
        "p95_seconds": _percentile(seconds, 0.95),
        "max_seconds": max(seconds),
        "mean_seconds": statistics.fmean(seconds),
        "queries_per_award": queries,
        "worker_errors": worker_log.count("ERROR"),
    }
