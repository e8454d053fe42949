"""Health probes for /healthz and `manage.py healthcheck`: can we reach the database and the broker?"""

from django.db import connections
from django.db.utils import DatabaseError
from django.utils import timezone

from advocacy_portal.celery import app as celery_app
from core.models import Heartbeat


def database_ok() -> tuple[bool, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any transport error means "down"; we report its text.
        return False, f"{exc.__class__.__name__}: {exc}"[:300]
    return True, "ok"


def worker_last_seen() -> str | None:
    """ISO time of the worker's last heartbeat (informational: beat sends one a minute)."""
    try:
        heartbeat = Heartbeat.objects.filter(name="worker").first()
    except DatabaseError:
        return None
    return heartbeat.beat_at.isoformat() if heartbeat else None


def health_report() -> tuple[bool, dict]:
    db_up, db_detail = database_ok()
    broker_up, broker_detail = broker_ok()
    report = {
        "status": "ok" if db_up and broker_up else "unavailable",
        "database": {"ok": db_up, "detail": db_detail},
        "broker": {"ok": broker_up, "detail": broker_detail},
        "worker_last_seen": worker_last_seen() if db_up else None,
        "time": timezone.now().isoformat(),
    }
    down = [name for name, up in (("database", db_up), ("broker", broker_up)) if not up]
    if down:
        report["down"] = down
    return not down, report
