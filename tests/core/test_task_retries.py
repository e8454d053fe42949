"""Every task of the project retries transient database and broker errors, and fits in the
Redis visibility timeout."""

import pytest
from django.conf import settings
from django.db import OperationalError

from advocacy_portal.celery import app
from core.task_retries import RetryingTask

PROJECT_APPS = ("core.", "clinicians.", "campaigns.", "incentives.", "reports.")


def project_tasks():
    app.loader.import_default_modules()
    return [task for name, task in sorted(app.tasks.items()) if name.startswith(PROJECT_APPS)]


def test_it_gives_every_task_the_shared_retry_policy():
    tasks = project_tasks()
    assert len(tasks) >= 10
    for task in tasks:
        assert isinstance(task, RetryingTask), task.name
        assert OperationalError in task.autoretry_for, task.name
        assert task.retry_backoff and task.retry_jitter and task.max_retries, task.name


@pytest.mark.parametrize("name", ["incentives.tasks.award_activity", "reports.tasks.build_report"])
def test_it_keeps_delay_on_commit(name):
    assert callable(app.tasks[name].delay_on_commit)


def test_it_keeps_every_task_within_the_visibility_timeout():
    for task in project_tasks():
        limit = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert limit <= settings.CELERY_TASK_TIME_LIMIT, task.name


def test_it_sweeps_stale_jobs_every_minute_on_the_default_queue():
    for key in ("every-minute-sweep-stale-reports", "every-minute-sweep-unpriced-activities"):
        entry = settings.CELERY_BEAT_SCHEDULE[key]
        assert entry["schedule"] == 60.0 and entry["options"]["queue"] == "default"
        assert entry["task"] in app.tasks
