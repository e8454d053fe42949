"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered per app.

Convention: tasks take primary keys, are promised through the transactional outbox
(`core.services.outbox_enqueue`, published after commit), and are safe to run twice.
Every task is a `core.task_retries.RetryingTask`: transient database and broker errors are retried.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy_portal.settings")

app = Celery("advocacy_portal", task_cls="core.task_retries:RetryingTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
