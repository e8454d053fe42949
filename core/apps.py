"""App configuration for core."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def cache_tables_create(sender, using: str, verbosity: int = 1, **kwargs) -> None:
    """`migrate` creates the database cache table too (the embedded default's cache, and the cache of
    any deployment without REDIS_URL), so no separate `createcachetable` step can be forgotten.
    Idempotent: an existing table is left alone; with a Redis cache there is nothing to create."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and platform"

    def ready(self) -> None:
        post_migrate.connect(cache_tables_create, sender=self, dispatch_uid="core.cache_tables_create")
        from core import metrics, receivers, request_id  # noqa: F401  (connect their signal receivers)
        from core.audit_trail import audit_trail_register

        audit_trail_register()
