"""Health probes for /healthz and `manage.py healthcheck`: can we reach the database, the broker and
the cache, and how far behind is the outbox?"""

from django.conf import settings
from django.core.cache import cache
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


def cache_ok() -> tuple[bool, str]:
    """Ask the cache server itself: the cache backend hides Redis errors from pages on purpose."""
    client = getattr(cache, "client", None)
    try:
        if client is not None and hasattr(client, "get_client"):  # django-redis
            client.get_client(write=False).ping()
        else:
            cache.get("healthz-probe")
    except Exception as exc:  # noqa: BLE001 - any cache error means "down"; we report its text.
        return False, f"{exc.__class__.__name__}: {exc}"[:300]
    return True, "ok"


def outbox_backlog() -> dict | None:
    """Messages promised but not yet published, and the age of the oldest (informational)."""
    from core.models import OutboxMessage

    try:
        oldest = OutboxMessage.objects.unsent().order_by("created_at").values_list("created_at", flat=True).first()
        unsent = OutboxMessage.objects.unsent().count() if oldest else 0
    except DatabaseError:
        return None
    age = round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0
    return {"unsent": unsent, "oldest_seconds": age}


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
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        cache_up, cache_detail = True, "kept in the database"
    else:
        cache_up, cache_detail = cache_ok()
    checks = (("database", db_up), ("broker", broker_up), ("cache", cache_up))
    down = [name for name, up in checks if not up]
    report = {
        "status": "unavailable" if down else "ok",
        "database": {"ok": db_up, "detail": db_detail},
        "broker": {"ok": broker_up, "detail": broker_detail},
        "cache": {"ok": cache_up, "detail": cache_detail},
        "worker_last_seen": worker_last_seen() if db_up else None,
        "outbox": outbox_backlog() if db_up else None,
        "time": timezone.now().isoformat(),
    }
    if down:
        report["down"] = down
    return not down, report
