"""Loaded with `-p tests.environment` (pyproject.toml), before Django reads its settings.

Tests talk plain HTTP to the test client and the live server, so the production security
redirects are off; everything else comes from the same settings module as production. Variables
already set in the environment (CI's DATABASE_URL, CELERY_BROKER_URL, REDIS_URL) win.
"""

import os

TEST_DEFAULTS = {
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "VAR_DIR": os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "test"),
    # Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests
    # are still synchronous, so Django's async-safety guard must not refuse them.
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
}
for name, value in TEST_DEFAULTS.items():
    os.environ.setdefault(name, value)


def _per_xdist_worker(worker: str) -> None:
    """Under pytest-xdist (`make test` runs `-n auto`) each worker process gets its own files and,
    on the services leg, its own Redis databases: worker N adds 2N to the database number of
    CELERY_BROKER_URL and REDIS_URL (gw0 keeps them, gw1 uses the next two), so a worker's real
    Celery process never takes another's tasks. pytest-django already gives each its own test database."""
    index = int(worker.removeprefix("gw"))
    shared = os.environ["VAR_DIR"]
    os.environ["VAR_DIR"] = os.path.join(shared, worker)
    if os.environ.get("PRIVATE_FILES_ROOT") == os.path.join(shared, "private"):  # inherited from the controller
        del os.environ["PRIVATE_FILES_ROOT"]
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        url = os.environ.get(name, "")
        base, _, database = url.rpartition("/")
        if url.startswith("redis://") and database.isdigit():
            shifted = int(database) + 2 * index
            if shifted > 15:
                raise RuntimeError(f"{name}={url}: worker {worker} would need Redis database {shifted}")
            os.environ[name] = f"{base}/{shifted}"


if os.environ.get("PYTEST_XDIST_WORKER"):
    _per_xdist_worker(os.environ["PYTEST_XDIST_WORKER"])
os.environ.setdefault("PRIVATE_FILES_ROOT", os.path.join(os.environ["VAR_DIR"], "private"))
