"""Receivers for the signals of lower apps: they only promise scoring tasks through the outbox.

The outbox row is written in the sender's transaction and published after it commits, so a broker
that is down at that moment delays the award instead of losing it.
"""

from core.services import outbox_enqueue
from incentives import tasks


def on_activity_status_changed(sender, activity_id: int, **kwargs) -> None:
    outbox_enqueue(task=tasks.award_activity, args=[activity_id])


def on_activity_updated(sender, activity_id: int, **kwargs) -> None:
    outbox_enqueue(task=tasks.award_activity, args=[activity_id])


def on_verification_status_changed(sender, clinician_id: int, **kwargs) -> None:
    outbox_enqueue(task=tasks.reprice_clinician, args=[clinician_id])


def on_module_completed(sender, completion_id: int, **kwargs) -> None:
    outbox_enqueue(task=tasks.award_module_completion, args=[completion_id])
