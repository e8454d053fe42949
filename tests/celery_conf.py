"""Change the Celery app's configuration for the length of a block, then restore it.

The app reads Django settings under the CELERY_ namespace. Celery 5.6 (pinned, see README "Workers and
failure recovery") looks a namespaced key up before the plain name, so `app.conf.task_always_eager =
False` is silently shadowed by CELERY_TASK_ALWAYS_EAGER; writing the namespaced key is what takes.
"""

import contextlib
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
