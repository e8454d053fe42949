"""The one retry policy of every Celery task: transient database and broker errors are retried.

Every task of the project is an instance of ``RetryingTask`` (the Celery app's ``task_cls``), so no
``@shared_task`` can forget it. A task that fails because PostgreSQL restarted, a connection was
dropped, a lock wait timed out or the broker blinked is tried again with exponential backoff and
jitter, a bounded number of times. Every task is safe to run twice (see each app's tasks.py), so
a retry after a partial run writes nothing twice.
"""

from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Errors that say "try again later", not "this input is wrong". Django's OperationalError covers a
# server restart, a dropped connection, a lock timeout and a serialization failure; InterfaceError
# a connection closed under the ORM; kombu's OperationalError a broker that refused a publish.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    BrokerOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)


class RetryingTask(DjangoTask):
    """Base class of every task (Celery's Django task, so ``delay_on_commit`` stays): autoretry
    on ``TRANSIENT_ERRORS`` with backoff 2, 4, 8... s (capped at 10 minutes, full jitter), at most
    8 retries (about 20 minutes in all)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8
