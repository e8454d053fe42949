"""App configuration for incentives: connects the scoring receivers to the lower apps' signals."""

from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Incentives"

    def ready(self) -> None:
        from campaigns.signals import activity_status_changed, activity_updated
        from clinicians.signals import verification_status_changed
        from incentives import receivers
        from learning.signals import module_completed

        activity_status_changed.connect(receivers.on_activity_status_changed, dispatch_uid="incentives_status")
        activity_updated.connect(receivers.on_activity_updated, dispatch_uid="incentives_updated")
        verification_status_changed.connect(
            receivers.on_verification_status_changed, dispatch_uid="incentives_verification"
        )
        module_completed.connect(receivers.on_module_completed, dispatch_uid="incentives_module_completed")
