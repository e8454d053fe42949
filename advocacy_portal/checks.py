"""System checks for configuration mistakes (ids ADVOCACY.E001...)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development default.",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="ADVOCACY.E001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_production_services(app_configs, **kwargs):
    messages = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        messages.append(
            Warning(
                "DATABASE_URL is not set: the embedded SQLite database is for development only.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name.",
                id="ADVOCACY.W001",
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        messages.append(
            Warning(
                "CELERY_BROKER_URL is not set: the filesystem broker is for development only.",
                hint="Set CELERY_BROKER_URL=redis://host:6379/0.",
                id="ADVOCACY.W002",
            )
        )
    return messages
