"""Celery for the tests: change the app's configuration for the length of a block, and the command
line of the real workers the services leg and the fault tests start.

The app reads Django settings under the CELERY_ namespace. Celery 5.6 (pinned, see README "Workers and
failure recovery") looks a namespaced key up before the plain name, so `app.conf.task_always_eager =
False` is silently shadowed by CELERY_TASK_ALWAYS_EAGER; writing the namespaced key is what takes.
"""

import contextlib
import sys
from collections.abc import Iterator

from advocacy_portal.celery import app as celery_app


@contextlib.contextmanager
def celery_conf(**values) -> Iterator[None]:
    conf = celery_app.conf
    keys = {name: f"CELERY_{name.upper()}" for name in values}
    previous = {name: conf[key] if key in conf else getattr(conf, name) for name, key in keys.items()}
    for name, value in values.items():
        conf[keys[name]] = value
    try:
        yield
    finally:
        for name, value in previous.items():
            conf[keys[name]] = value


def worker_argv(*, hostname: str, pool: str = "solo", concurrency: int = 1) -> list[str]:
    """`celery worker` on every queue, as the Procfile runs it, named and without chatter between
    workers (mingle, gossip), for a test to start as a real process."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "advocacy_portal",
        "worker",
        "--queues",
        "default,scores,reports",
        "--pool",
        pool,
        *(["--concurrency", str(concurrency)] if pool != "solo" else []),
        "--loglevel",
        "INFO",
        "--hostname",
        hostname,
        "--without-mingle",
        "--without-gossip",
    ]
