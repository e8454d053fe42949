"""App configuration for the project package (home, dashboard, health, demo data, checks)."""

from django.apps import AppConfig


class AdvocacyPortalConfig(AppConfig):
    name = "advocacy_portal"
    verbose_name = "Advocacy Portal"

    def ready(self) -> None:
        from advocacy_portal import checks  # noqa: F401  (registers system checks)
