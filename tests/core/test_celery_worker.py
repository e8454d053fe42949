"""A real Celery worker process takes a task from Redis and writes to PostgreSQL (CI's services leg)."""

import uuid

import pytest

from core.models import Heartbeat
from core.tasks import heartbeat
from tests.conftest import wait_for

pytestmark = pytest.mark.services


def test_a_real_worker_runs_a_task_enqueued_over_the_broker(live_worker):
    name = f"integration-{uuid.uuid4().hex[:8]}"
    heartbeat.delay(name)
    beat = wait_for(lambda: Heartbeat.objects.filter(name=name).first(), timeout=60, message="worker heartbeat row")
    assert beat.beat_at is not None
    assert any("core.tasks.heartbeat" in line for line in live_worker.log)
