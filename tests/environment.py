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
os.environ.setdefault("PRIVATE_FILES_ROOT", os.path.join(os.environ["VAR_DIR"], "private"))
