"""App configuration for campaigns."""

from django.apps import AppConfig


def _release_on_verification(sender, clinician_id: int, new_status: str, **kwargs) -> None:
    """Only enqueue: a newly verified clinician's waiting activities are released by a task."""
    from campaigns.tasks import activities_release

    if new_status == "verified":
        activities_release.delay_on_commit(clinician_id)


def _release_on_proof(sender, account_id: int, **kwargs) -> None:
    """Only enqueue: posts held until this account was proven are re-matched by a task."""
    from campaigns.tasks import activities_release_for_proven_account

    activities_release_for_proven_account.delay_on_commit(account_id)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns and activities"

    def ready(self) -> None:
        from clinicians.signals import social_account_proven, verification_status_changed

        verification_status_changed.connect(_release_on_verification, dispatch_uid="campaigns_release_on_verification")
        social_account_proven.connect(_release_on_proof, dispatch_uid="campaigns_release_on_proof")
