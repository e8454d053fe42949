"""App configuration for campaigns."""

from django.apps import AppConfig


def _release_on_verification(sender, clinician_id: int, new_status: str, **kwargs) -> None:
    """Only enqueue (through the outbox): a newly verified clinician's waiting activities are released
    by a task."""
    from campaigns.tasks import activities_release
    from core.services import outbox_enqueue

    if new_status == "verified":
        outbox_enqueue(task=activities_release, args=[clinician_id])


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns and activities"

    def ready(self) -> None:
        from clinicians.signals import verification_status_changed

        verification_status_changed.connect(_release_on_verification, dispatch_uid="campaigns_release_on_verification")
