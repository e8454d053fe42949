"""App configuration for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Accounts and platform"

    def ready(self) -> None:
        from core import receivers  # noqa: F401  (connects the audit trail's receivers)
        from core.audit_trail import audit_trail_register

        audit_trail_register()
