"""Receivers for the signals of lower apps: they only enqueue scoring tasks after commit."""

from incentives import tasks


def on_activity_status_changed(sender, activity_id: int, **kwargs) -> None:
    tasks.award_activity.delay_on_commit(activity_id)


def on_activity_updated(sender, activity_id: int, **kwargs) -> None:
    tasks.award_activity.delay_on_commit(activity_id)


def on_verification_status_changed(sender, clinician_id: int, **kwargs) -> None:
    tasks.reprice_clinician.delay_on_commit(clinician_id)
