"""App configuration for campaigns."""

from django.apps import AppConfig


def _release_on_verification(sender, clinician_id: int, new_status: str, **kwargs) -> None:
    """Only enqueue (through the outbox): a newly verified clinician's waiting activities are released
    by a task."""
    from campaigns.tasks import activities_release
    from core.services import outbox_enqueue

    if new_status == "verified":
        outbox_enqueue(task=activities_release, args=[clinician_id])


def _release_on_proof(sender, account_id: int, **kwargs) -> None:
    """Only enqueue (through the outbox): posts held until this account was proven are re-matched by
    a task."""
    from campaigns.tasks import activities_release_for_proven_account
    from core.services import outbox_enqueue

    outbox_enqueue(task=activities_release_for_proven_account, args=[account_id])


def _label_on_publications(sender, clinician_id: int, **kwargs) -> None:
    """Only enqueue (through the outbox): research posts citing the clinician's own works are
    re-labelled by a task."""
    from campaigns.tasks import activities_label_own_citations
    from core.services import outbox_enqueue

    outbox_enqueue(task=activities_label_own_citations, args=[clinician_id])


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns and activities"

    def ready(self) -> None:
        from clinicians.signals import publications_updated, social_account_proven, verification_status_changed

        publications_updated.connect(_label_on_publications, dispatch_uid="campaigns_label_on_publications")
        verification_status_changed.connect(_release_on_verification, dispatch_uid="campaigns_release_on_verification")
        social_account_proven.connect(_release_on_proof, dispatch_uid="campaigns_release_on_proof")
