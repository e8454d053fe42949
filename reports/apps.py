"""App configuration for reports."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_staff_group(sender, **kwargs) -> None:
    from reports.services import staff_group_ensure

    staff_group_ensure()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Advocacy reports"

    def ready(self) -> None:
        # The group must exist on every fresh database (permissions exist only after migrate).
        post_migrate.connect(_ensure_staff_group, sender=self, dispatch_uid="reports_staff_group")
