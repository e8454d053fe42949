"""App configuration for the project package (home, dashboard, health, demo data, checks, roles)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _roles_sync(sender, **kwargs) -> None:
    from advocacy_portal.services import roles_sync

    roles_sync()


class AdvocacyPortalConfig(AppConfig):
    name = "advocacy_portal"
    verbose_name = "Advocacy Portal"

    def ready(self) -> None:
        from advocacy_portal import checks  # noqa: F401  (registers system checks)

        # After every migrate (and every test database flush) the role groups match advocacy_portal.roles,
        # including permissions of apps migrated after the data migration ran. Django sends post_migrate
        # only for apps with models, so this listens to django.contrib.auth's (roles_sync creates every
        # app's permissions itself first).
        post_migrate.connect(
            _roles_sync, sender=self.apps.get_app_config("auth"), dispatch_uid="advocacy_portal_roles_sync"
        )
